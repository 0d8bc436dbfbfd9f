#include <gtest/gtest.h>

#include "store/store.h"
#include "store/testing/test_util.h"

namespace chiso {
namespace {

using testing::OpenOrDie;
using testing::TempDir;

class StoreStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = testing::OptionsFor(dir_.path());
    store_ = OpenOrDie(options_);
    ASSERT_NE(store_, nullptr);
  }
  std::optional<std::string> Get(std::string_view space, std::string_view key) {
    auto value = store_->GetState(space, key);
    EXPECT_TRUE(value.ok()) << value.status().ToString();
    return value.ok() ? value.value() : std::nullopt;
  }

  TempDir dir_;
  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreStateTest, PutGetDelete) {
  EXPECT_EQ(Get("alerts", "a1"), std::nullopt);
  ASSERT_TRUE(store_->PutState("alerts", "a1", "firing").ok());
  EXPECT_EQ(Get("alerts", "a1"), "firing");
  ASSERT_TRUE(store_->PutState("alerts", "a1", std::string("pending\0x", 9)).ok());
  EXPECT_EQ(Get("alerts", "a1"), std::string("pending\0x", 9));
  ASSERT_TRUE(store_->DeleteState("alerts", "a1").ok());
  EXPECT_EQ(Get("alerts", "a1"), std::nullopt);
  EXPECT_TRUE(store_->DeleteState("alerts", "never_there").ok());
}

TEST_F(StoreStateTest, SpacesAreSeparate) {
  ASSERT_TRUE(store_->PutState("ab", "c", "1").ok());
  ASSERT_TRUE(store_->PutState("a", "bc", "2").ok());
  EXPECT_EQ(Get("ab", "c"), "1");
  EXPECT_EQ(Get("a", "bc"), "2");
  auto scanned = store_->ScanState("a");
  ASSERT_TRUE(scanned.ok());
  EXPECT_EQ(scanned.value(), (std::vector<StateEntry>{{"bc", "2"}}));
}

TEST_F(StoreStateTest, ScanByPrefixInKeyOrder) {
  StateBatch batch;
  batch.Put("tasks", "gia_loc/t2", "done");
  batch.Put("tasks", "gia_loc/t1", "in_progress");
  batch.Put("tasks", "nghia_dan/t1", "not_started");
  batch.Put("tasks", "gia_loc/t3", "x");
  batch.Delete("tasks", "gia_loc/t3");
  ASSERT_TRUE(store_->WriteState(batch).ok());
  auto scanned = store_->ScanState("tasks", "gia_loc/");
  ASSERT_TRUE(scanned.ok());
  EXPECT_EQ(scanned.value(),
            (std::vector<StateEntry>{{"gia_loc/t1", "in_progress"}, {"gia_loc/t2", "done"}}));
  EXPECT_EQ(store_->ScanState("tasks")->size(), 3u);
  EXPECT_TRUE(store_->ScanState("empty")->empty());
}

TEST_F(StoreStateTest, SurvivesReopen) {
  ASSERT_TRUE(store_->PutState("meta", "schema", "v3").ok());
  store_.reset();
  store_ = OpenOrDie(options_);
  EXPECT_EQ(Get("meta", "schema"), "v3");
}

TEST_F(StoreStateTest, BadNamesAreRejected) {
  EXPECT_EQ(store_->PutState("", "k", "v").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PutState(std::string(256, 's'), "k", "v").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PutState("s", std::string(kMaxStateKeyBytes + 1, 'k'), "v").code(),
            StatusCode::kInvalidArgument);
  StateBatch batch;
  batch.Put("ok", "k", "v");
  batch.Put("", "k", "v");
  EXPECT_EQ(store_->WriteState(batch).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Get("ok", "k"), std::nullopt);  // all or nothing
}

TEST_F(StoreStateTest, WriteWithStateAppliesSamplesAndStateTogetherOrNeither) {
  const Labels series = testing::SeriesLabels("dvc_received", {{"unit", "gia_loc"}});
  const auto samples_of = [&] {
    auto selected = store_->Select({}, kMinSampleTimestamp, kMaxSampleTimestamp);
    EXPECT_TRUE(selected.ok());
    return selected.ok() && !selected->empty() ? selected->front().samples.size() : 0;
  };
  StateBatch entry;
  entry.Put("forward_queue", "1", "queued");
  ASSERT_TRUE(store_->Write({testing::MakeSample(series, 1, 1)}, entry).ok());
  EXPECT_EQ(Get("forward_queue", "1"), "queued");
  EXPECT_EQ(samples_of(), 1u);

  // A bad sample: the state is not written either.
  StateBatch second;
  second.Put("forward_queue", "2", "queued");
  EXPECT_FALSE(
      store_->Write({testing::MakeSample(series, 2, 2), testing::MakeSample({}, 3, 3)}, second)
          .ok());
  EXPECT_EQ(Get("forward_queue", "2"), std::nullopt);
  // A bad state key: the samples are not written either.
  StateBatch bad;
  bad.Put("", "3", "queued");
  EXPECT_EQ(store_->Write({testing::MakeSample(series, 4, 4)}, bad).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(samples_of(), 1u);

  // Both survive a reopen.
  store_.reset();
  store_ = OpenOrDie(options_);
  EXPECT_EQ(Get("forward_queue", "1"), "queued");
  EXPECT_EQ(samples_of(), 1u);
}

}  // namespace
}  // namespace chiso
