#include <gtest/gtest.h>

#include "store/store.h"
#include "store/testing/test_util.h"

namespace chiso {
namespace {

using testing::MakeSample;
using testing::OpenOrDie;
using testing::SeriesLabels;
using testing::TempDir;

struct Contents {
  std::vector<SeriesSamples> series;
  std::vector<SeriesAudit> audit;
  std::vector<StateEntry> state;
};

Contents ReadAll(const Store& store) {
  Contents contents;
  contents.series = store.Select({}, kMinSampleTimestamp, kMaxSampleTimestamp).value();
  contents.audit = store.Audit({}, kMinSampleTimestamp, kMaxSampleTimestamp).value();
  contents.state = store.ScanState("alerts").value();
  return contents;
}

void ExpectSame(const Contents& a, const Contents& b) {
  ASSERT_EQ(a.series.size(), b.series.size());
  for (std::size_t i = 0; i < a.series.size(); ++i) {
    EXPECT_EQ(a.series[i].labels, b.series[i].labels);
    EXPECT_EQ(a.series[i].samples, b.series[i].samples);
  }
  ASSERT_EQ(a.audit.size(), b.audit.size());
  for (std::size_t i = 0; i < a.audit.size(); ++i) {
    EXPECT_EQ(a.audit[i].labels, b.audit[i].labels);
    EXPECT_EQ(a.audit[i].entries.size(), b.audit[i].entries.size());
  }
  EXPECT_EQ(a.state, b.state);
}

class StoreBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(testing::OptionsFor(dir_.path() / "data"));
    ASSERT_NE(store_, nullptr);
    SampleBatch batch;
    for (int unit = 0; unit < 50; ++unit) {
      const Labels labels = SeriesLabels("chiso_reading", {{"unit", "xa_" + std::to_string(unit)}});
      for (int month = 0; month < 24; ++month) {
        batch.push_back(MakeSample(labels, month * 2'592'000'000LL, unit + month / 10.0));
      }
    }
    ASSERT_TRUE(store_->Write(batch).ok());
    ASSERT_TRUE(store_->Write({MakeSample(batch[0].labels, 0, 99, "corrector")}).ok());
    ASSERT_TRUE(store_->PutState("alerts", "off_track/xa_1", "firing").ok());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreBackupTest, BackupAndRestoreGiveAnIdenticalStore) {
  const Contents before = ReadAll(*store_);
  ASSERT_TRUE(store_->Backup(dir_.path() / "backups" / "b1").ok());
  // Writes after the backup are not in it.
  ASSERT_TRUE(store_->Write({MakeSample(SeriesLabels("after_backup"), 1, 1)}).ok());

  ASSERT_TRUE(Store::Restore(dir_.path() / "backups" / "b1", dir_.path() / "restored").ok());
  auto restored = OpenOrDie(testing::OptionsFor(dir_.path() / "restored"));
  ASSERT_NE(restored, nullptr);
  ExpectSame(ReadAll(*restored), before);
  EXPECT_EQ(restored->FindSeries({}).size(), 50u);

  // The restored store is independent and writable; the backup stays untouched.
  ASSERT_TRUE(restored->Write({MakeSample(SeriesLabels("restored_only"), 1, 1)}).ok());
  restored.reset();
  ASSERT_TRUE(Store::Restore(dir_.path() / "backups" / "b1", dir_.path() / "restored2").ok());
  auto again = OpenOrDie(testing::OptionsFor(dir_.path() / "restored2"));
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->FindSeries({}).size(), 50u);
}

TEST_F(StoreBackupTest, BackupNeverOverwrites) {
  std::filesystem::create_directories(dir_.path() / "taken");
  EXPECT_EQ(store_->Backup(dir_.path() / "taken").code(), StatusCode::kFailedPrecondition);
}

TEST_F(StoreBackupTest, RestoreNeverOverwritesAndChecksTheBackup) {
  ASSERT_TRUE(store_->Backup(dir_.path() / "b1").ok());
  EXPECT_EQ(Store::Restore(dir_.path() / "b1", dir_.path() / "data").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Store::Restore(dir_.path() / "missing", dir_.path() / "r").code(),
            StatusCode::kNotFound);
  std::filesystem::create_directories(dir_.path() / "junk");
  EXPECT_FALSE(Store::Restore(dir_.path() / "junk", dir_.path() / "r").ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "r"));
  // An empty target directory is fine.
  std::filesystem::create_directories(dir_.path() / "empty");
  EXPECT_TRUE(Store::Restore(dir_.path() / "b1", dir_.path() / "empty").ok());
}

}  // namespace
}  // namespace chiso
