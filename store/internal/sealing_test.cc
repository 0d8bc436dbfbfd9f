// Sealed blocks seen through the store's contracts: reads, corrections and their audit, reopen,
// retention, and stores of the format before blocks.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "common/clock.h"
#include "store/internal/keys.h"
#include "store/internal/sample_block.h"
#include "store/store.h"
#include "store/testing/test_util.h"

namespace chiso::store_internal {
namespace {

using testing::ExactMatchers;
using testing::MakeSample;
using testing::OpenOrDie;
using testing::SameSeriesSamples;
using testing::SeriesLabels;
using testing::TempDir;

constexpr TimestampMs kStart = 1'790'812'800'000;  // 2026-10-01T00:00:00Z
constexpr TimestampMs kMinute = 60'000;
constexpr int kDays = 3;

const Labels kCounter = SeriesLabels("upstream_requests", {{"series", "s1"}});
const Labels kGauge = SeriesLabels("upstream_level", {{"series", "s2"}});
const Labels kMonthly = SeriesLabels("chiso_reading", {{"unit", "xa_0001"}});

class SealingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = testing::OptionsFor(dir_.path() / "data");
    options_.clock = clock_;
    options_.seal_interval = std::chrono::milliseconds(0);  // sealed by Compact only
    store_ = OpenOrDie(options_);
    ASSERT_NE(store_, nullptr);
  }

  // kDays of one sample a minute for the counter and the gauge, a reading a month for kMonthly.
  void WriteDense() {
    SampleBatch batch;
    for (int minute = 0; minute < kDays * 1440; ++minute) {
      const TimestampMs at = kStart + minute * kMinute;
      batch.push_back(MakeSample(kCounter, at, minute * 3, "scraper", at + 700));
      batch.push_back(MakeSample(kGauge, at, 50 + (minute % 37) * 0.25, "scraper", at + 900));
    }
    for (int month = 0; month < 3; ++month) {
      batch.push_back(MakeSample(kMonthly, kStart + month * 30 * kBlockWindowMs, 57.3 + month,
                                 "portal", kStart + month * 30 * kBlockWindowMs + 5));
    }
    auto written = store_->Write(batch);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }

  std::vector<SeriesSamples> SelectAll(TimestampMs from = kMinSampleTimestamp,
                                       TimestampMs to = kMaxSampleTimestamp) {
    auto selected = store_->Select({}, from, to);
    EXPECT_TRUE(selected.ok()) << selected.status().ToString();
    return selected.ok() ? std::move(selected).value() : std::vector<SeriesSamples>{};
  }

  std::uint64_t BlockKeys() {
    for (const KeySpaceStats& space : store_->Stats().key_spaces) {
      if (space.name == "blocks") return space.keys_estimate;
    }
    return 0;
  }

  std::vector<SeriesSamples> SelectOne(const Labels& labels, TimestampMs from,
                                       TimestampMs to = kMaxSampleTimestamp) {
    auto selected = store_->Select(ExactMatchers(labels), from, to);
    EXPECT_TRUE(selected.ok()) << selected.status().ToString();
    return selected.ok() ? std::move(selected).value() : std::vector<SeriesSamples>{};
  }

  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kStart + 10 * kBlockWindowMs);
  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

TEST_F(SealingTest, SealedSamplesReadAsBefore) {
  WriteDense();
  const auto before = SealingTest::SelectAll();
  const auto day_two =
      SelectAll(kStart + kBlockWindowMs + 90 * kMinute, kStart + 2 * kBlockWindowMs);
  ASSERT_TRUE(store_->Compact().ok());
  // The three days of both dense series (the last without its latest sample, which stays a
  // record); the monthly series stays records.
  EXPECT_EQ(BlockKeys(), 6u);
  EXPECT_TRUE(SameSeriesSamples(SelectAll(), before));
  EXPECT_TRUE(SameSeriesSamples(
      SelectAll(kStart + kBlockWindowMs + 90 * kMinute, kStart + 2 * kBlockWindowMs), day_two));
  auto latest = store_->Latest(ExactMatchers(kCounter));
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(latest->front().sample.timestamp, kStart + (kDays * 1440 - 1) * kMinute);
  // Sealing again changes nothing; so does reopening.
  ASSERT_TRUE(store_->Compact().ok());
  EXPECT_TRUE(SameSeriesSamples(SelectAll(), before));
  store_.reset();
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  EXPECT_TRUE(SameSeriesSamples(SelectAll(), before));
}

TEST_F(SealingTest, CorrectionsOfSealedSamplesAreAuditedAndWin) {
  WriteDense();
  ASSERT_TRUE(store_->Compact().ok());
  const TimestampMs sealed = kStart + 100 * kMinute;
  // An identical rewrite of a sealed sample, by anyone, changes nothing.
  auto same = store_->Write({MakeSample(kCounter, sealed, 300, "retry", sealed + 99'000)});
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->unchanged, 1u);
  // A correction: revision 1, the first arrival kept, an audit entry with the sealed values.
  clock_->Set(kStart + 11 * kBlockWindowMs);
  auto changed = store_->Write(
      {MakeSample(kCounter, sealed, 301, "fixer", sealed + 5 * kBlockWindowMs, "recount")});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->changed, 1u);
  // Samples in a gap of a sealed window are new.
  SampleBatch late;
  for (int i = 1; i <= 10; ++i)
    late.push_back(MakeSample(kCounter, sealed + i, i, "late", sealed + 2));
  auto inserted = store_->Write(late);
  ASSERT_TRUE(inserted.ok());
  EXPECT_EQ(inserted->inserted, 10u);

  const auto check = [&] {
    const auto samples = SelectOne(kCounter, sealed, sealed + 10);
    ASSERT_EQ(samples.size(), 1u);
    const auto& got = samples.front().samples;
    ASSERT_EQ(got.size(), 11u);
    EXPECT_EQ(got[0].value, 301);
    EXPECT_EQ(got[0].revision, 1u);
    EXPECT_EQ(got[0].writer, "fixer");
    EXPECT_EQ(got[0].comment, "recount");
    EXPECT_EQ(got[0].first_arrived_at, sealed + 700);
    EXPECT_EQ(got[10].value, 10);
    EXPECT_EQ(got[10].writer, "late");
    auto audit = store_->Audit(ExactMatchers(kCounter), kMinSampleTimestamp, kMaxSampleTimestamp);
    ASSERT_TRUE(audit.ok());
    ASSERT_EQ(audit->size(), 1u);
    ASSERT_EQ(audit->front().entries.size(), 1u);
    const AuditEntry& entry = audit->front().entries.front();
    EXPECT_EQ(entry.timestamp, sealed);
    EXPECT_EQ(entry.revision, 1u);
    EXPECT_EQ(entry.changed_at, kStart + 11 * kBlockWindowMs);
    EXPECT_EQ(entry.old_value, 300);
    EXPECT_EQ(entry.old_writer, "scraper");
    EXPECT_EQ(entry.old_arrived_at, sealed + 700);
    EXPECT_EQ(entry.new_value, 301);
  };
  check();
  // Resealing the window (the late samples join the block) keeps the correction a record.
  ASSERT_TRUE(store_->Compact().ok());
  check();
  auto again = store_->Write(
      {MakeSample(kCounter, sealed, 301, "fixer", sealed + 6 * kBlockWindowMs, "recount")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 1u);
  store_.reset();
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  check();
}

TEST_F(SealingTest, SparseSeriesAreNeverSealed) {
  SampleBatch batch;
  for (int month = 0; month < 24; ++month) {
    const TimestampMs at = kStart + month * 30 * kBlockWindowMs;
    batch.push_back(MakeSample(kMonthly, at, month, "portal", at + 1));
  }
  ASSERT_TRUE(store_->Write(batch).ok());
  ASSERT_TRUE(store_->Compact().ok());
  EXPECT_EQ(BlockKeys(), 0u);
}

TEST_F(SealingTest, RetentionTrimsSealedWindows) {
  store_.reset();
  options_.retention = {{"upstream_", std::chrono::milliseconds(kBlockWindowMs)}};
  options_.retention_interval = std::chrono::milliseconds(0);
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  WriteDense();
  ASSERT_TRUE(store_->Compact().ok());
  const TimestampMs cutoff = kStart + kBlockWindowMs + 600 * kMinute;
  const auto counter = SelectOne(kCounter, cutoff);
  const auto gauge = SelectOne(kGauge, cutoff);
  // Keep one day back from 10:00 of day 3: day 1 goes, day 2 is cut at 10:00.
  clock_->Set(cutoff + kBlockWindowMs);
  auto summary = store_->EnforceRetention();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->series_trimmed, 2u);
  for (int pass = 0; pass < 2; ++pass) {
    EXPECT_TRUE(SameSeriesSamples(SelectOne(kCounter, kMinSampleTimestamp), counter));
    EXPECT_TRUE(SameSeriesSamples(SelectOne(kGauge, kMinSampleTimestamp), gauge));
    EXPECT_EQ(SelectOne(kMonthly, kMinSampleTimestamp).at(0).samples.size(), 3u);
    ASSERT_TRUE(store_->Compact().ok());
  }
}

// A store written before sealed blocks (format chiso-store-3: no blocks key space) opens, reads
// as before and is marked with the new format; so does a restored backup of one.
TEST(SealingFormatTest, StoresOfTheFormatBeforeBlocksOpenAndUpgrade) {
  TempDir dir;
  const auto data = dir.path() / "data";
  std::vector<SeriesSamples> written;
  {
    auto store = OpenOrDie(testing::OptionsFor(data));
    ASSERT_NE(store, nullptr);
    SampleBatch batch;
    for (int i = 0; i < 100; ++i) batch.push_back(MakeSample(kCounter, kStart + i * kMinute, i));
    ASSERT_TRUE(store->Write(batch).ok());
    auto selected = store->Select({}, kMinSampleTimestamp, kMaxSampleTimestamp);
    ASSERT_TRUE(selected.ok());
    written = *selected;
  }
  {  // Make it the earlier format: drop the blocks key space, mark chiso-store-3.
    rocksdb::Options options;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(options, data.string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names)
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, data.string(), families, &handles, &db).ok());
    for (auto* handle : handles) {
      if (handle->GetName() == "blocks") {
        ASSERT_TRUE(db->DropColumnFamily(handle).ok());
      }
    }
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), kFormatKey, kFormatWithoutBlocks).ok());
    for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    delete db;
  }
  ASSERT_TRUE(Store::Restore(data, dir.path() / "restored").ok());
  for (const auto& path : {data, dir.path() / "restored"}) {
    {
      auto store = OpenOrDie(testing::OptionsFor(path));
      ASSERT_NE(store, nullptr);
      auto selected = store->Select({}, kMinSampleTimestamp, kMaxSampleTimestamp);
      ASSERT_TRUE(selected.ok());
      EXPECT_TRUE(SameSeriesSamples(*selected, written));
    }
    rocksdb::DB* db = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}}};
    ASSERT_TRUE(
        rocksdb::DB::OpenForReadOnly(rocksdb::Options(), path.string(), families, &handles, &db)
            .ok());
    std::string format;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), kFormatKey, &format).ok());
    EXPECT_EQ(format, kFormatVersion);
    for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
    delete db;
  }
}

}  // namespace
}  // namespace chiso::store_internal
