#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <limits>
#include <thread>

#include "store/testing/test_util.h"

namespace chiso {
namespace {

using testing::ExactMatchers;
using testing::MakeSample;
using testing::OpenOrDie;
using testing::SeriesLabels;
using testing::TempDir;

constexpr TimestampMs kOct2025 = 1'761'929'999'999;  // end of 2025-10 in Asia/Ho_Chi_Minh
constexpr TimestampMs kDay = 86'400'000;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_ = testing::OptionsFor(dir_.path() / "data");
    options_.clock = clock_;
    store_ = OpenOrDie(options_);
    ASSERT_NE(store_, nullptr);
  }

  WriteSummary Write(SampleBatch batch) {
    auto summary = store_->Write(batch);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? summary.value() : WriteSummary{};
  }

  std::vector<SeriesSamples> Select(std::vector<LabelMatcher> matchers,
                                    TimestampMs from = kMinSampleTimestamp,
                                    TimestampMs to = kMaxSampleTimestamp) {
    auto result = store_->Select(matchers, from, to);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? std::move(result).value() : std::vector<SeriesSamples>{};
  }

  std::vector<SeriesAudit> AuditOf(const Labels& labels) {
    auto result = store_->Audit(ExactMatchers(labels), kMinSampleTimestamp, kMaxSampleTimestamp);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? std::move(result).value() : std::vector<SeriesAudit>{};
  }

  std::vector<StoredSample> SamplesOf(const Labels& labels) {
    auto series = Select(ExactMatchers(labels));
    if (series.size() != 1) return {};
    EXPECT_EQ(series[0].labels, labels);
    return series[0].samples;
  }

  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kOct2025 + 10 * kDay);
  StoreOptions options_;
  std::unique_ptr<Store> store_;
};

const Labels kGiaLoc =
    SeriesLabels("chiso_reading", {{"indicator", "dvc_online_dossier_rate"}, {"unit", "gia_loc"}});
const Labels kNghiaDan = SeriesLabels(
    "chiso_reading", {{"indicator", "dvc_online_dossier_rate"}, {"unit", "nghia_dan"}});

TEST_F(StoreTest, RoundTripKeepsValueAndProvenance) {
  const WriteSummary summary =
      Write({MakeSample(kGiaLoc, kOct2025, 57.3, "dvc_portal", kOct2025 + 3 * kDay, "tháng 10"),
             MakeSample(kGiaLoc, kOct2025 - 31 * kDay, 55.1, "dvc_portal"),
             MakeSample(kNghiaDan, kOct2025, 61, "excel_import")});
  EXPECT_EQ(summary.inserted, 3u);
  EXPECT_EQ(summary.new_series, 2u);
  EXPECT_EQ(summary.changed + summary.unchanged, 0u);

  const auto samples = SamplesOf(kGiaLoc);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].timestamp, kOct2025 - 31 * kDay);
  EXPECT_EQ(samples[0].value, 55.1);
  EXPECT_EQ(samples[0].comment, std::nullopt);
  EXPECT_EQ(samples[1], (StoredSample{kOct2025, 57.3, 0, "dvc_portal", kOct2025 + 3 * kDay,
                                      "tháng 10", kOct2025 + 3 * kDay}));
  EXPECT_EQ(SamplesOf(kNghiaDan).at(0).writer, "excel_import");
}

TEST_F(StoreTest, SelectHonoursTimeRangeInclusively) {
  Write({MakeSample(kGiaLoc, 100, 1), MakeSample(kGiaLoc, 200, 2), MakeSample(kGiaLoc, 300, 3)});
  const auto series = Select(ExactMatchers(kGiaLoc), 100, 200);
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].samples.size(), 2u);
  EXPECT_EQ(series[0].samples[1].value, 2);
  EXPECT_TRUE(Select(ExactMatchers(kGiaLoc), 301, 400).empty());
  EXPECT_EQ(store_->Select({}, 5, 4).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, OverwriteWritesOneAuditEntry) {
  Write({MakeSample(kGiaLoc, kOct2025, 57.3, "dvc_portal", kOct2025 + kDay)});
  clock_->Advance(kDay);
  const WriteSummary summary =
      Write({MakeSample(kGiaLoc, kOct2025, 58.0, "phong_vhxh", kOct2025 + 5 * kDay, "sửa")});
  EXPECT_EQ(summary.changed, 1u);

  const auto samples = SamplesOf(kGiaLoc);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].value, 58.0);
  EXPECT_EQ(samples[0].revision, 1u);
  EXPECT_EQ(samples[0].writer, "phong_vhxh");
  EXPECT_EQ(samples[0].arrived_at, kOct2025 + 5 * kDay);
  EXPECT_EQ(samples[0].first_arrived_at, kOct2025 + kDay);  // the report was on time

  const auto audit = AuditOf(kGiaLoc);
  ASSERT_EQ(audit.size(), 1u);
  ASSERT_EQ(audit[0].entries.size(), 1u);
  const AuditEntry& entry = audit[0].entries[0];
  EXPECT_EQ(entry.timestamp, kOct2025);
  EXPECT_EQ(entry.revision, 1u);
  EXPECT_EQ(entry.changed_at, clock_->Now());
  EXPECT_EQ(entry.old_value, 57.3);
  EXPECT_EQ(entry.new_value, 58.0);
  EXPECT_EQ(entry.old_writer, "dvc_portal");
  EXPECT_EQ(entry.new_writer, "phong_vhxh");
  EXPECT_EQ(entry.old_arrived_at, kOct2025 + kDay);
  EXPECT_EQ(entry.old_comment, std::nullopt);
  EXPECT_EQ(entry.new_comment, "sửa");
}

TEST_F(StoreTest, IdenticalRewriteChangesNothing) {
  Write({MakeSample(kGiaLoc, kOct2025, 57.3, "dvc_portal", kOct2025 + kDay)});
  const WriteSummary summary =
      Write({MakeSample(kGiaLoc, kOct2025, 57.3, "retry_client", kOct2025 + 9 * kDay)});
  EXPECT_EQ(summary.unchanged, 1u);
  EXPECT_EQ(summary.inserted + summary.changed, 0u);
  const auto samples = SamplesOf(kGiaLoc);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].revision, 0u);
  EXPECT_EQ(samples[0].writer, "dvc_portal");         // first writer kept
  EXPECT_EQ(samples[0].arrived_at, kOct2025 + kDay);  // on-time arrival kept
  EXPECT_EQ(samples[0].first_arrived_at, kOct2025 + kDay);
  EXPECT_TRUE(AuditOf(kGiaLoc).empty());
}

TEST_F(StoreTest, CommentChangeIsAudited) {
  Write({MakeSample(kGiaLoc, kOct2025, 57.3)});
  Write({MakeSample(kGiaLoc, kOct2025, 57.3, "test", {}, "nguồn: báo cáo quý")});
  const auto audit = AuditOf(kGiaLoc);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].entries.at(0).new_comment, "nguồn: báo cáo quý");
  EXPECT_EQ(SamplesOf(kGiaLoc).at(0).revision, 1u);
}

TEST_F(StoreTest, RepeatedCorrectionsCountRevisions) {
  for (double value : {1.0, 2.0, 2.0, 3.0, 1.0}) Write({MakeSample(kGiaLoc, kOct2025, value)});
  EXPECT_EQ(SamplesOf(kGiaLoc).at(0).revision, 3u);
  const auto audit = AuditOf(kGiaLoc);
  ASSERT_EQ(audit.size(), 1u);
  ASSERT_EQ(audit[0].entries.size(), 3u);
  EXPECT_EQ(audit[0].entries[2].old_value, 3.0);
  EXPECT_EQ(audit[0].entries[2].new_value, 1.0);
  EXPECT_EQ(audit[0].entries[2].revision, 3u);
}

TEST_F(StoreTest, DuplicatesWithinABatchApplyInOrder) {
  const WriteSummary summary =
      Write({MakeSample(kGiaLoc, kOct2025, 1), MakeSample(kGiaLoc, kOct2025, 2),
             MakeSample(kGiaLoc, kOct2025, 2)});
  EXPECT_EQ(summary.inserted, 1u);
  EXPECT_EQ(summary.changed, 1u);
  EXPECT_EQ(summary.unchanged, 1u);
  EXPECT_EQ(SamplesOf(kGiaLoc).at(0).value, 2);
  EXPECT_EQ(AuditOf(kGiaLoc).at(0).entries.size(), 1u);
}

// Known series are visited in (series, timestamp, position) order however the batch lists
// them: a few ascending runs (merged) or many (sorted). Either way a key written twice takes its
// later value, with one audit entry from the first.
TEST_F(StoreTest, KnownSeriesApplyInBatchOrderInRunsOrShuffled) {
  std::vector<Labels> series;
  SampleBatch first;
  for (int i = 0; i < 12; ++i) {
    series.push_back(SeriesLabels("portal", {{"unit", "xa_" + std::to_string(i)}}));
    first.push_back(MakeSample(series.back(), kOct2025, 0));
  }
  Write(first);
  // Three runs over the series at the next instant; the third repeats series 0 and 5.
  SampleBatch runs;
  for (int i = 6; i < 12; ++i) runs.push_back(MakeSample(series[i], kOct2025 + 1, i));
  for (int i = 0; i < 6; ++i) runs.push_back(MakeSample(series[i], kOct2025 + 1, i));
  runs.push_back(MakeSample(series[0], kOct2025 + 1, 100));
  runs.push_back(MakeSample(series[5], kOct2025 + 1, 105));
  EXPECT_EQ(Write(runs).changed, 2u);
  // Many runs: every series twice at one instant (the second value wins), once at another.
  const std::vector<int> order{3, 9, 1, 11, 0, 7, 4, 10, 2, 8, 6, 5};
  SampleBatch shuffled;
  for (int round = 0; round < 2; ++round) {
    for (int i : order) shuffled.push_back(MakeSample(series[i], kOct2025 + 2, 10 * round + i));
  }
  for (auto i = order.rbegin(); i != order.rend(); ++i) {
    shuffled.push_back(MakeSample(series[*i], kOct2025 + 3, *i));
  }
  const WriteSummary summary = Write(shuffled);
  EXPECT_EQ(summary.inserted, 24u);
  EXPECT_EQ(summary.changed, 12u);
  for (int i = 0; i < 12; ++i) {
    const auto samples = SamplesOf(series[i]);
    ASSERT_EQ(samples.size(), 4u) << i;
    EXPECT_EQ(samples[1].value, i == 0 ? 100 : i == 5 ? 105 : i) << i;
    EXPECT_EQ(samples[2].value, 10 + i) << i;
    EXPECT_EQ(samples[3].value, i) << i;
    const auto audit = AuditOf(series[i]);
    ASSERT_EQ(audit.size(), 1u) << i;
    const std::size_t at_two = (i == 0 || i == 5) ? 1 : 0;
    ASSERT_EQ(audit[0].entries.size(), at_two + 1) << i;
    EXPECT_EQ(audit[0].entries[at_two].old_value, i) << i;  // the instant written twice
    EXPECT_EQ(audit[0].entries[at_two].new_value, 10 + i) << i;
  }
}

TEST_F(StoreTest, OutOfOrderAndBackdatedWrites) {
  Write({MakeSample(kGiaLoc, 3000, 3), MakeSample(kGiaLoc, 1000, 1)});
  Write({MakeSample(kGiaLoc, 2000, 2)});   // backdated, new
  Write({MakeSample(kGiaLoc, 500, 0.5)});  // older than everything
  const auto samples = SamplesOf(kGiaLoc);
  ASSERT_EQ(samples.size(), 4u);
  for (std::size_t i = 1; i < samples.size(); ++i) {
    EXPECT_LT(samples[i - 1].timestamp, samples[i].timestamp);
  }
  auto latest = store_->Latest(ExactMatchers(kGiaLoc));
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(latest->at(0).sample.timestamp, 3000);  // a backdated reading never becomes latest

  Write({MakeSample(kGiaLoc, 1000, 10)});  // backdated correction
  EXPECT_EQ(store_->Latest(ExactMatchers(kGiaLoc))->at(0).sample.value, 3);
  EXPECT_EQ(AuditOf(kGiaLoc).at(0).entries.at(0).timestamp, 1000);

  Write({MakeSample(kGiaLoc, 3000, 30)});  // correction of the latest
  const auto corrected = store_->Latest(ExactMatchers(kGiaLoc));
  EXPECT_EQ(corrected->at(0).sample.value, 30);
  EXPECT_EQ(corrected->at(0).sample.revision, 1u);
}

TEST_F(StoreTest, ReportArrivingYearsLateIsStored) {
  clock_->Set(kOct2025 + 2 * 365 * kDay);
  Write({MakeSample(kGiaLoc, kOct2025 + 365 * kDay, 80)});
  Write({MakeSample(kGiaLoc, kOct2025, 57.3, "late_office", kOct2025 + 700 * kDay)});
  const auto samples = SamplesOf(kGiaLoc);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].arrived_at, kOct2025 + 700 * kDay);
}

TEST_F(StoreTest, TimestampExtremes) {
  Write(
      {MakeSample(kGiaLoc, kMinSampleTimestamp, -1), MakeSample(kGiaLoc, kMaxSampleTimestamp, 1)});
  const auto samples = SamplesOf(kGiaLoc);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].timestamp, kMinSampleTimestamp);
  EXPECT_EQ(samples[1].timestamp, kMaxSampleTimestamp);
  EXPECT_EQ(store_->Latest({})->at(0).sample.timestamp, kMaxSampleTimestamp);

  for (TimestampMs bad : {TimestampMs{-1}, kMaxSampleTimestamp + 1}) {
    auto rejected = store_->Write({MakeSample(kGiaLoc, bad, 0)});
    EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto range = store_->Select({}, std::numeric_limits<TimestampMs>::min(),
                              std::numeric_limits<TimestampMs>::max());
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->at(0).samples.size(), 2u);
}

TEST_F(StoreTest, SpecialValuesAreStoredBitExactly) {
  const double stale_marker = std::bit_cast<double>(std::uint64_t{0x7ff0000000000002});
  Write({MakeSample(kGiaLoc, 1, stale_marker), MakeSample(kGiaLoc, 2, -0.0),
         MakeSample(kGiaLoc, 3, std::numeric_limits<double>::infinity())});
  const auto samples = SamplesOf(kGiaLoc);
  ASSERT_EQ(samples.size(), 3u);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(samples[0].value), 0x7ff0000000000002u);
  EXPECT_TRUE(std::signbit(samples[1].value));
  EXPECT_TRUE(std::isinf(samples[2].value));
}

TEST_F(StoreTest, InvalidSampleRejectsTheWholeBatch) {
  Labels unsorted = {{"unit", "gia_loc"}, {"__name__", "chiso_reading"}};
  auto result = store_->Write({MakeSample(kGiaLoc, 1, 1), MakeSample(unsorted, 2, 2)});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("sample 1"), std::string::npos)
      << result.status().message();
  EXPECT_TRUE(Select({}).empty());
  EXPECT_TRUE(store_->FindSeries({}).empty());

  EXPECT_FALSE(store_->Write({MakeSample({{"unit", "x"}}, 1, 1)}).ok());  // no __name__
  EXPECT_FALSE(store_->Write({MakeSample(SeriesLabels("m", {{"unit", ""}}), 1, 1)}).ok());
  EXPECT_FALSE(store_->Write({MakeSample(kGiaLoc, 1, 1, std::string(300, 'w'))}).ok());
}

TEST_F(StoreTest, MatchersSelectSeries) {
  const Labels dossiers_online =
      SeriesLabels("dvc_dossiers_received_total", {{"channel", "online"}, {"unit", "gia_loc"}});
  const Labels dossiers_total = SeriesLabels("dvc_dossiers_received_total", {{"unit", "gia_loc"}});
  Write({MakeSample(kGiaLoc, 1, 1), MakeSample(kNghiaDan, 1, 2), MakeSample(dossiers_online, 1, 3),
         MakeSample(dossiers_total, 1, 4)});
  const auto names = [&](std::vector<LabelMatcher> matchers) {
    std::vector<double> values;
    for (const auto& series : Select(std::move(matchers))) {
      values.push_back(series.samples.at(0).value);
    }
    return values;
  };
  using Op = LabelMatcher::Op;
  EXPECT_EQ(names({LabelMatcher::Equal("unit", "gia_loc")}), (std::vector<double>{1, 3, 4}));
  EXPECT_EQ(names({LabelMatcher::NotEqual("unit", "gia_loc")}), (std::vector<double>{2}));
  EXPECT_EQ(names({LabelMatcher::Make(Op::kRegexMatch, "__name__", "dvc_.*").value()}),
            (std::vector<double>{3, 4}));
  EXPECT_EQ(names({LabelMatcher::Make(Op::kRegexNoMatch, "unit", "gia.*").value()}),
            (std::vector<double>{2}));
  EXPECT_EQ(names({LabelMatcher::Equal("__name__", "dvc_dossiers_received_total"),
                   LabelMatcher::Equal("channel", "")}),
            (std::vector<double>{4}));
  EXPECT_EQ(store_->FindSeries(std::vector{LabelMatcher::Equal("channel", "online")}),
            (std::vector<Labels>{dossiers_online}));
  EXPECT_EQ(store_->LabelValues("unit"), (std::vector<std::string>{"gia_loc", "nghia_dan"}));
  EXPECT_EQ(store_->LabelNames(),
            (std::vector<std::string>{"__name__", "channel", "indicator", "unit"}));
}

TEST_F(StoreTest, LatestOfManySeries) {
  SampleBatch batch;
  for (int unit = 0; unit < 500; ++unit) {
    const Labels labels = SeriesLabels("chiso_reading", {{"unit", "xa_" + std::to_string(unit)}});
    for (int month = 0; month < 4; ++month) {
      batch.push_back(MakeSample(labels, (3 - month) * kDay, unit * 10 + (3 - month)));
    }
  }
  Write(batch);
  auto latest = store_->Latest({});
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 500u);
  for (const LatestSample& entry : *latest) {
    const int unit = std::stoi(std::string(LabelValue(entry.labels, "unit").substr(3)));
    EXPECT_EQ(entry.sample.timestamp, 3 * kDay);
    EXPECT_EQ(entry.sample.value, unit * 10 + 3);
  }
  // Sparse selections seek instead of stepping.
  auto some = store_->Latest(std::vector{
      LabelMatcher::Make(LabelMatcher::Op::kRegexMatch, "unit", "xa_7|xa_300|xa_499").value()});
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 3u);
  EXPECT_EQ(some->at(2).sample.value, 4993);
}

TEST_F(StoreTest, QueryLimitsFailInsteadOfTruncating) {
  Write({MakeSample(kGiaLoc, 1, 1), MakeSample(kGiaLoc, 2, 2), MakeSample(kNghiaDan, 1, 1)});
  EXPECT_EQ(store_->Select({}, 0, 10, {.max_series = 1}).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(store_->Select({}, 0, 10, {.max_samples = 2}).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(store_->Select({}, 0, 10, {.max_series = 2, .max_samples = 3}).ok());
  EXPECT_EQ(store_->Latest({}, {.max_series = 1}).status().code(), StatusCode::kResourceExhausted);
}

TEST_F(StoreTest, ReopenAfterCloseKeepsEverything) {
  Write({MakeSample(kGiaLoc, kOct2025, 57.3, "dvc_portal"), MakeSample(kNghiaDan, kOct2025, 61)});
  Write({MakeSample(kGiaLoc, kOct2025, 58, "phong_vhxh")});
  store_.reset();
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(SamplesOf(kGiaLoc).at(0).writer, "phong_vhxh");
  EXPECT_EQ(AuditOf(kGiaLoc).at(0).entries.at(0).old_writer, "dvc_portal");

  // Ids and latest timestamps continue where they were.
  const Labels third = SeriesLabels("chiso_reading", {{"unit", "rang_dong"}});
  Write({MakeSample(third, 1, 1, "new_writer"), MakeSample(kGiaLoc, kOct2025, 58)});
  EXPECT_EQ(store_->FindSeries({}).size(), 3u);
  EXPECT_EQ(SamplesOf(third).at(0).writer, "new_writer");
  EXPECT_EQ(SamplesOf(kGiaLoc).at(0).revision, 1u);
  EXPECT_EQ(store_->Stats().series, 3u);
}

// Latest timestamps live in memory and are found again from the samples at Open, whether they
// sit in table files or only in the write-ahead log.
TEST_F(StoreTest, ReopenFindsTheLatestSampleOfEverySeries) {
  constexpr int kSeries = 300;
  const auto labels_of = [](int i) {
    return SeriesLabels("chiso_reading", {{"unit", "xa_" + std::to_string(i)}});
  };
  const auto latest_of = [](int i) { return TimestampMs{1000} * (i % 7 + 2); };
  SampleBatch batch;
  for (int i = 0; i < kSeries; i += 2) {  // even series: latest first, then backdated samples
    batch.push_back(MakeSample(labels_of(i), latest_of(i), i));
    batch.push_back(MakeSample(labels_of(i), latest_of(i) - 1000, -1));
  }
  Write(batch);
  ASSERT_TRUE(store_->Compact().ok());  // even series now in table files only
  batch.clear();
  for (int i = 1; i < kSeries; i += 2) batch.push_back(MakeSample(labels_of(i), latest_of(i), i));
  for (int i = 0; i < kSeries; i += 2) batch.push_back(MakeSample(labels_of(i), 1, -1));
  Write(batch);

  store_.reset();
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  auto latest = store_->Latest({});
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_EQ(latest->size(), std::size_t{kSeries});
  for (const LatestSample& entry : *latest) {
    const int i = std::stoi(std::string(LabelValue(entry.labels, "unit").substr(3)));
    EXPECT_EQ(entry.sample.timestamp, latest_of(i)) << i;
    EXPECT_EQ(entry.sample.value, i);
  }
  // A sample at the recovered latest instant is a correction; one past it becomes the latest.
  const WriteSummary summary = Write(
      {MakeSample(labels_of(4), latest_of(4), 40), MakeSample(labels_of(5), latest_of(5) + 1, 50)});
  EXPECT_EQ(summary.changed, 1u);
  EXPECT_EQ(summary.inserted, 1u);
  EXPECT_EQ(store_->Latest(ExactMatchers(labels_of(5)))->at(0).sample.value, 50);
}

TEST_F(StoreTest, ChangedSeriesNamesWhatChangedSinceAGeneration) {
  Write({MakeSample(kGiaLoc, kOct2025, 57.3), MakeSample(kNghiaDan, kOct2025, 61)});
  const auto readings = std::vector{LabelMatcher::Equal("__name__", "chiso_reading")};
  const SeriesChanges all = store_->ChangedSeries(readings, 0);
  EXPECT_EQ(all.series, (std::vector<Labels>{kGiaLoc, kNghiaDan}));

  // Nothing since; an identical rewrite changes nothing; a correction and a backdated reading
  // change their series.
  EXPECT_TRUE(store_->ChangedSeries(readings, all.generation).series.empty());
  Write({MakeSample(kGiaLoc, kOct2025, 57.3)});
  EXPECT_TRUE(store_->ChangedSeries(readings, all.generation).series.empty());
  Write({MakeSample(kNghiaDan, kOct2025, 62)});
  const SeriesChanges corrected = store_->ChangedSeries(readings, all.generation);
  EXPECT_EQ(corrected.series, (std::vector<Labels>{kNghiaDan}));
  EXPECT_GT(corrected.generation, all.generation);
  Write({MakeSample(kGiaLoc, kOct2025 - 365 * kDay, 40)});
  EXPECT_EQ(store_->ChangedSeries(readings, corrected.generation).series,
            (std::vector<Labels>{kGiaLoc}));
  EXPECT_EQ(store_
                ->ChangedSeries(std::vector{LabelMatcher::Equal("unit", "nghia_dan")},
                                corrected.generation)
                .series,
            (std::vector<Labels>{}));

  // After a reopen every series counts as changed since 0 and none since the first generation.
  store_.reset();
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  const SeriesChanges reopened = store_->ChangedSeries(readings, 0);
  EXPECT_EQ(reopened.series.size(), 2u);
  EXPECT_TRUE(store_->ChangedSeries(readings, reopened.generation).series.empty());
}

TEST_F(StoreTest, FirstArrivalSurvivesCorrectionsAndReopen) {
  Write({MakeSample(kGiaLoc, kOct2025, 57.3, "dvc_portal", kOct2025 + 2 * kDay)});
  Write({MakeSample(kGiaLoc, kOct2025, 58, "phong_vhxh", kOct2025 + 20 * kDay)});
  Write({MakeSample(kGiaLoc, kOct2025, 59, "phong_vhxh", kOct2025 + 40 * kDay)});
  store_.reset();
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  const StoredSample stored = SamplesOf(kGiaLoc).at(0);
  EXPECT_EQ(stored.revision, 2u);
  EXPECT_EQ(stored.arrived_at, kOct2025 + 40 * kDay);
  EXPECT_EQ(stored.first_arrived_at, kOct2025 + 2 * kDay);
  EXPECT_EQ(store_->Latest(ExactMatchers(kGiaLoc))->at(0).sample.first_arrived_at,
            kOct2025 + 2 * kDay);
}

TEST_F(StoreTest, SecondOpenOfTheSameDirectoryFailsClearly) {
  auto second = Store::Open(options_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("already in use"), std::string::npos)
      << second.status().message();
}

TEST_F(StoreTest, OpenOfSomethingElseFailsClearly) {
  const auto file = dir_.path() / "not_a_dir";
  std::ofstream(file) << "x";
  auto opened = Store::Open(testing::OptionsFor(file));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);

  EXPECT_EQ(Store::Open(StoreOptions{}).status().code(), StatusCode::kInvalidArgument);
  StoreOptions bad_retention = testing::OptionsFor(dir_.path() / "other");
  bad_retention.retention = {{"tmp_", std::chrono::hours(0)}};
  EXPECT_EQ(Store::Open(bad_retention).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, StatsDescribeTheStore) {
  SampleBatch batch;
  // A reading a day: never sealed, so every sample is a record the estimate counts.
  for (int i = 0; i < 1000; ++i) batch.push_back(MakeSample(kGiaLoc, i * kDay, i));
  Write(batch);
  ASSERT_TRUE(store_->Compact().ok());
  const StoreStats stats = store_->Stats();
  EXPECT_EQ(stats.series, 1u);
  EXPECT_GT(stats.bytes_on_disk, 0u);
  EXPECT_GE(stats.samples_estimate, 900u);
  EXPECT_GE(stats.flushes_total, 1u);
  EXPECT_TRUE(stats.background_error.empty());
}

TEST_F(StoreTest, ConcurrentWritersAndReaders) {
  constexpr int kWriters = 4;
  constexpr int kBatches = 25;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      const Labels labels = SeriesLabels("load", {{"writer", std::to_string(w)}});
      for (int b = 0; b < kBatches; ++b) {
        SampleBatch batch;
        for (int i = 0; i < 20; ++i) batch.push_back(MakeSample(labels, b * 20 + i, w));
        batch.push_back(MakeSample(kGiaLoc, b, w));  // contended key: overwrites and audits
        EXPECT_TRUE(store_->Write(batch).ok());
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 50; ++i) {
      EXPECT_TRUE(store_->Select({}, 0, 1000).ok());
      EXPECT_TRUE(store_->Latest({}).ok());
    }
  });
  for (auto& thread : threads) thread.join();
  for (int w = 0; w < kWriters; ++w) {
    EXPECT_EQ(SamplesOf(SeriesLabels("load", {{"writer", std::to_string(w)}})).size(),
              std::size_t{kBatches * 20});
  }
  std::size_t revisions = 0;
  for (const StoredSample& sample : SamplesOf(kGiaLoc)) revisions += sample.revision;
  std::size_t audit_entries = 0;
  for (const auto& series : AuditOf(kGiaLoc)) audit_entries += series.entries.size();
  EXPECT_EQ(revisions, audit_entries);
}

// Batches touching different series write side by side; one touching a series another batch is
// writing waits for it. Each series' corrections must chain in order (every audit entry's old
// value is the previous entry's new value) and its latest entry must be its greatest timestamp.
TEST_F(StoreTest, ConcurrentBatchesKeepEachSeriesHistoryInOrder) {
  constexpr int kWriters = 4;
  constexpr int kBatches = 40;
  const Labels shared = SeriesLabels("shared", {{"unit", "gia_loc"}});
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        SampleBatch batch;
        for (int s = 0; s < 50; ++s) {
          batch.push_back(MakeSample(
              SeriesLabels("own", {{"series", std::to_string(s)}, {"writer", std::to_string(w)}}),
              1000 + b, b));
        }
        if (b % 4 == w) batch.push_back(MakeSample(shared, 500, w * 1000 + b));  // a correction
        batch.push_back(MakeSample(shared, 1000 + b * kWriters + w, b));
        EXPECT_TRUE(store_->Write(batch).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();

  const auto audit = AuditOf(shared);
  ASSERT_EQ(audit.size(), 1u);
  std::vector<AuditEntry> chain;
  for (const AuditEntry& entry : audit[0].entries) {
    if (entry.timestamp == 500) chain.push_back(entry);
  }
  ASSERT_FALSE(chain.empty());
  for (std::size_t k = 0; k < chain.size(); ++k) {
    EXPECT_EQ(chain[k].revision, k + 1);
    if (k > 0) {
      EXPECT_EQ(chain[k].old_value, chain[k - 1].new_value) << k;
    }
  }
  const auto samples = SamplesOf(shared);
  ASSERT_FALSE(samples.empty());
  EXPECT_EQ(samples.front().timestamp, 500);
  EXPECT_EQ(samples.front().value, chain.back().new_value);
  EXPECT_EQ(samples.front().revision, chain.size());
  EXPECT_EQ(samples.size(), std::size_t{1 + kWriters * kBatches});

  auto latest = store_->Latest({});
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->size(), std::size_t{1 + kWriters * 50});
  for (const LatestSample& one : *latest) {
    const TimestampMs expected = one.labels == shared
                                     ? 1000 + (kBatches - 1) * kWriters + kWriters - 1
                                     : 1000 + kBatches - 1;
    EXPECT_EQ(one.sample.timestamp, expected) << LabelsToString(one.labels);
  }
}

TEST_F(StoreTest, GroupCommitModeWritesDurably) {
  store_.reset();
  options_.sync_mode = SyncMode::kGroupCommit;
  options_.group_commit_window = std::chrono::milliseconds(2);
  store_ = OpenOrDie(options_);
  Write({MakeSample(kGiaLoc, 1, 1)});
  store_.reset();
  store_ = OpenOrDie(options_);
  EXPECT_EQ(SamplesOf(kGiaLoc).size(), 1u);
}

}  // namespace
}  // namespace chiso
