#include <gtest/gtest.h>

#include <thread>

#include "store/store.h"
#include "store/testing/test_util.h"

namespace chiso {
namespace {

using std::chrono::hours;
using testing::MakeSample;
using testing::OpenOrDie;
using testing::SeriesLabels;
using testing::TempDir;

constexpr TimestampMs kHour = 3'600'000;
constexpr TimestampMs kNow = 1'800'000'000'000;

TEST(StoreRetentionTest, DeletesOnlyExpiredSamplesOfMatchingMetrics) {
  TempDir dir;
  auto clock = std::make_shared<FakeClock>(kNow);
  StoreOptions options = testing::OptionsFor(dir.path());
  options.clock = clock;
  options.retention = {{"upstream_", hours(24 * 30)}, {"upstream_raw_", hours(24)}};
  auto store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);

  const Labels raw = SeriesLabels("upstream_raw_requests");
  const Labels upstream = SeriesLabels("upstream_dossiers");
  const Labels reading = SeriesLabels("chiso_reading");
  const Labels expired_raw = SeriesLabels("upstream_raw_errors");
  ASSERT_TRUE(store
                  ->Write({MakeSample(raw, kNow - 48 * kHour, 1), MakeSample(raw, kNow - kHour, 2),
                           MakeSample(upstream, kNow - 48 * kHour, 3),
                           MakeSample(reading, 0, 4),  // 1970: never expires
                           MakeSample(expired_raw, kNow - 72 * kHour, 5)})
                  .ok());

  auto summary = store->EnforceRetention();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->series_trimmed, 2u);
  EXPECT_EQ(summary->series_emptied, 1u);

  auto all = store->Select({}, kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);                // expired_raw has no sample left
  EXPECT_EQ(all->at(0).samples.size(), 1u);  // raw: only the recent sample (longest prefix wins)
  EXPECT_EQ(all->at(0).samples[0].value, 2);
  EXPECT_EQ(all->at(1).samples.size(), 1u);  // upstream_dossiers: within 30 days
  EXPECT_EQ(all->at(2).samples.size(), 1u);  // chiso_reading: no rule
  auto latest = store->Latest({});
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->size(), 3u);

  // A second pass finds nothing; after a reopen the emptied series still has no latest sample,
  // and a late sample can be written again.
  EXPECT_EQ(store->EnforceRetention()->series_trimmed, 0u);
  store.reset();
  store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->Latest({})->size(), 3u);
  auto late = store->Write({MakeSample(expired_raw, kNow - 100 * kHour, 6)});
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->inserted, 1u);
  EXPECT_EQ(store->Latest({})->size(), 4u);
}

TEST(StoreRetentionTest, BackgroundThreadAppliesRules) {
  TempDir dir;
  auto clock = std::make_shared<FakeClock>(kNow);
  StoreOptions options = testing::OptionsFor(dir.path());
  options.clock = clock;
  options.retention = {{"", hours(1)}};
  options.retention_interval = std::chrono::milliseconds(10);
  auto store = OpenOrDie(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Write({MakeSample(SeriesLabels("m"), kNow - 2 * kHour, 1)}).ok());
  for (int i = 0; i < 500 && !store->Latest({})->empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(store->Latest({})->empty());
}

}  // namespace
}  // namespace chiso
