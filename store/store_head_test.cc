// The head (store/internal/head.h) seen through the store's contracts: a store keeping fresh
// samples in memory and draining them into blocks reads exactly as a store writing every sample
// as a record (head_max_samples = 0), through drains, corrections, reopen, Compact, retention and
// backups.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "store/store.h"
#include "store/testing/test_util.h"

namespace chiso {
namespace {

using testing::ExactMatchers;
using testing::MakeSample;
using testing::OpenOrDie;
using testing::SameSeriesSamples;
using testing::SeriesLabels;
using testing::TempDir;

constexpr TimestampMs kStart = 1'790'812'800'000;  // 2026-10-01T00:00:00Z
constexpr TimestampMs kMinute = 60'000;
constexpr TimestampMs kDay = 86'400'000;
constexpr int kDays = 2;
constexpr int kBatchMinutes = 30;

const Labels kPower = SeriesLabels("upstream_power", {{"site", "a"}});
const Labels kLevel = SeriesLabels("upstream_level", {{"site", "b"}});
const Labels kFlow = SeriesLabels("upstream_flow", {{"site", "c"}});
const std::vector<Labels> kDense = {kPower, kLevel, kFlow};

::testing::AssertionResult SameLatest(const std::vector<LatestSample>& got,
                                      const std::vector<LatestSample>& want) {
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << got.size() << " series, want " << want.size();
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].labels != want[i].labels || !(got[i].sample == want[i].sample)) {
      return ::testing::AssertionFailure()
             << "latest of " << LabelsToString(want[i].labels) << ": got "
             << got[i].sample.timestamp << " = " << got[i].sample.value << ", want "
             << want[i].sample.timestamp << " = " << want[i].sample.value;
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult SameAudit(const std::vector<SeriesAudit>& got,
                                     const std::vector<SeriesAudit>& want) {
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << got.size() << " audited series, want " << want.size();
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].labels != want[i].labels) return ::testing::AssertionFailure() << "series " << i;
    if (got[i].entries.size() != want[i].entries.size()) {
      return ::testing::AssertionFailure()
             << got[i].entries.size() << " entries, want " << want[i].entries.size();
    }
    for (std::size_t k = 0; k < got[i].entries.size(); ++k) {
      const AuditEntry& g = got[i].entries[k];
      const AuditEntry& w = want[i].entries[k];
      if (g.timestamp != w.timestamp || g.revision != w.revision || g.changed_at != w.changed_at ||
          g.old_value != w.old_value || g.new_value != w.new_value ||
          g.old_writer != w.old_writer || g.new_writer != w.new_writer ||
          g.old_arrived_at != w.old_arrived_at || g.new_arrived_at != w.new_arrived_at ||
          g.old_comment != w.old_comment || g.new_comment != w.new_comment) {
        return ::testing::AssertionFailure()
               << "audit entry " << k << " of " << LabelsToString(want[i].labels) << " at "
               << w.timestamp << ": got " << g.old_value << " -> " << g.new_value << ", want "
               << w.old_value << " -> " << w.new_value;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// The dense samples of minutes [first, first + count) of every series of kDense.
SampleBatch DenseBatch(int first, int count) {
  SampleBatch batch;
  for (int minute = first; minute < first + count; ++minute) {
    const TimestampMs at = kStart + minute * kMinute;
    batch.push_back(MakeSample(kPower, at, minute * 0.1 + 57.3, "scraper", at + 700));
    batch.push_back(MakeSample(kLevel, at, 50 + (minute % 37) * 0.25, "scraper", at + 900));
    batch.push_back(MakeSample(kFlow, at, minute % 11 == 0 ? -0.0 : minute * 1e-3, "meter",
                               at + 1'100 + minute % 7));
  }
  return batch;
}

// The reads the tests compare: the whole range, sub-ranges within and across days and blocks,
// single instants, and nothing.
const std::vector<std::pair<TimestampMs, TimestampMs>> kRanges = {
    {kMinSampleTimestamp, kMaxSampleTimestamp},
    {kStart + 90 * kMinute, kStart + kDay + 3 * 60 * kMinute},
    {kStart + 5 * kMinute + 1, kStart + 12 * kMinute - 1},
    {kStart + kDay - kMinute, kStart + kDay},
    {kStart + kDay + 777 * kMinute, kStart + kDay + 777 * kMinute},
    {kStart + (kDays * 1440 - 3) * kMinute, kMaxSampleTimestamp},
    {kStart + (kDays * 1440 - 1) * kMinute, kStart + (kDays * 1440 - 1) * kMinute},
    {kMinSampleTimestamp, kStart - 1},
};

class StoreHeadTest : public ::testing::Test {
 protected:
  StoreOptions Options(const std::string& name, std::size_t head_max_samples) {
    StoreOptions options = testing::OptionsFor(dir_.path() / name);
    options.seal_interval = std::chrono::milliseconds(0);  // drains by the head only
    options.head_max_samples = head_max_samples;
    options.clock = clock_;
    return options;
  }

  // Opens `store_` with a head of `head_max_samples` and `reference_` with none.
  void OpenBoth(std::size_t head_max_samples) {
    options_ = Options("head", head_max_samples);
    reference_options_ = Options("reference", 0);
    store_ = OpenOrDie(options_);
    reference_ = OpenOrDie(reference_options_);
    ASSERT_NE(store_, nullptr);
    ASSERT_NE(reference_, nullptr);
  }

  // Writes `batch` to both stores; they must summarise it alike.
  void WriteBoth(const SampleBatch& batch) {
    auto written = store_->Write(batch);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    auto expected = reference_->Write(batch);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    EXPECT_EQ(written->inserted, expected->inserted);
    EXPECT_EQ(written->changed, expected->changed);
    EXPECT_EQ(written->unchanged, expected->unchanged);
  }

  // kDays of one sample a minute of every series of kDense, kBatchMinutes per write.
  void WriteDenseDays() {
    for (int minute = 0; minute < kDays * 1440; minute += kBatchMinutes) {
      WriteBoth(DenseBatch(minute, kBatchMinutes));
    }
  }

  // Polls `store_`'s stats until `done` holds; false after a generous deadline.
  bool WaitFor(const std::function<bool(const StoreStats&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done(store_->Stats())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  // Once a drain has run and none is running: the head is below its limit (a drain takes out a
  // full head, and Stats counts the samples taken out until they are written).
  bool WaitForDrainsToSettle(std::uint64_t drains_before = 0) {
    const std::size_t limit = options_.head_max_samples;
    return WaitFor([&](const StoreStats& stats) {
      return stats.head_drains_total > drains_before && stats.head_samples < limit;
    });
  }

  static std::vector<SeriesSamples> SelectFrom(Store& store, TimestampMs from, TimestampMs to,
                                               const std::vector<LabelMatcher>& matchers = {}) {
    auto selected = store.Select(matchers, from, to);
    EXPECT_TRUE(selected.ok()) << selected.status().ToString();
    return selected.ok() ? std::move(selected).value() : std::vector<SeriesSamples>{};
  }
  static std::vector<LatestSample> LatestFrom(Store& store) {
    auto latest = store.Latest({});
    EXPECT_TRUE(latest.ok()) << latest.status().ToString();
    return latest.ok() ? std::move(latest).value() : std::vector<LatestSample>{};
  }
  static std::vector<SeriesAudit> AuditFrom(Store& store) {
    auto audit = store.Audit({}, kMinSampleTimestamp, kMaxSampleTimestamp);
    EXPECT_TRUE(audit.ok()) << audit.status().ToString();
    return audit.ok() ? std::move(audit).value() : std::vector<SeriesAudit>{};
  }

  // Every read of kRanges, per series and of all series, Latest and Audit: as the reference's.
  void ExpectSameAsReference(const std::string& when) {
    SCOPED_TRACE(when);
    for (const auto& [from, to] : kRanges) {
      SCOPED_TRACE(::testing::Message() << "range " << from << ".." << to);
      EXPECT_TRUE(
          SameSeriesSamples(SelectFrom(*store_, from, to), SelectFrom(*reference_, from, to)));
      for (const Labels& labels : kDense) {
        EXPECT_TRUE(SameSeriesSamples(SelectFrom(*store_, from, to, ExactMatchers(labels)),
                                      SelectFrom(*reference_, from, to, ExactMatchers(labels))));
      }
    }
    EXPECT_TRUE(SameLatest(LatestFrom(*store_), LatestFrom(*reference_)));
    EXPECT_TRUE(SameAudit(AuditFrom(*store_), AuditFrom(*reference_)));
  }

  // The one sample of `labels` at `at` has `value` and `revision`.
  void ExpectSampleAt(const Labels& labels, TimestampMs at, double value, std::uint32_t revision) {
    const auto selected = SelectFrom(*store_, at, at, ExactMatchers(labels));
    ASSERT_EQ(selected.size(), 1u);
    ASSERT_EQ(selected[0].samples.size(), 1u);
    EXPECT_EQ(selected[0].samples[0].value, value);
    EXPECT_EQ(selected[0].samples[0].revision, revision);
  }

  void Reopen() {
    store_.reset();
    store_ = OpenOrDie(options_);
    ASSERT_NE(store_, nullptr);
  }

  TempDir dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>(kStart + 10 * kDay);
  StoreOptions options_;
  StoreOptions reference_options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Store> reference_;
};

TEST_F(StoreHeadTest, DrainedStoreReadsAsOneWithoutAHead) {
  OpenBoth(50);
  WriteDenseDays();
  ASSERT_TRUE(WaitForDrainsToSettle()) << "drains " << store_->Stats().head_drains_total
                                       << ", head samples " << store_->Stats().head_samples;
  EXPECT_LT(store_->Stats().head_samples, kDense.size() * kDays * 1440);
  EXPECT_EQ(reference_->Stats().head_samples, 0u);
  EXPECT_EQ(reference_->Stats().head_drains_total, 0u);
  ExpectSameAsReference("after the drains");
  // Latest: the last sample written, from the head.
  auto latest = store_->Latest(ExactMatchers(kFlow));
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  const TimestampMs last = kStart + (kDays * 1440 - 1) * kMinute;
  EXPECT_EQ(latest->front().sample.timestamp, last);
  EXPECT_EQ(latest->front().sample.value, (kDays * 1440 - 1) * 1e-3);
  EXPECT_EQ(latest->front().sample.writer, "meter");
  EXPECT_EQ(latest->front().sample.revision, 0u);
  // The whole range holds every sample once.
  const auto all = SelectFrom(*store_, kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_EQ(all.size(), kDense.size());
  for (const SeriesSamples& series : all) {
    EXPECT_EQ(series.samples.size(), static_cast<std::size_t>(kDays * 1440));
  }

  ASSERT_TRUE(store_->Compact().ok());
  EXPECT_EQ(store_->Stats().head_samples, 0u);
  ExpectSameAsReference("after Compact");
  Reopen();
  ExpectSameAsReference("after reopening");
}

TEST_F(StoreHeadTest, CorrectionsOfHeadAndDrainedSamplesAreAudited) {
  OpenBoth(50);
  WriteDenseDays();
  ASSERT_TRUE(WaitForDrainsToSettle());
  // Five more minutes stay in the head (15 samples, below 50).
  WriteBoth(DenseBatch(kDays * 1440, 5));
  ASSERT_GE(store_->Stats().head_samples, 15u);
  const TimestampMs in_head = kStart + (kDays * 1440 + 2) * kMinute;  // not the last
  const TimestampMs last = kStart + (kDays * 1440 + 4) * kMinute;
  const TimestampMs drained = kStart + 600 * kMinute;  // day 1, in a block
  clock_->Set(kStart + 20 * kDay);
  SampleBatch corrections = {
      MakeSample(kPower, in_head, 1.25, "operator", kStart + 20 * kDay, "recalibrated"),
      MakeSample(kLevel, last, 2.5, "operator", kStart + 20 * kDay + 1, "spike"),
      MakeSample(kFlow, drained, -3.75, "operator", kStart + 20 * kDay + 2, "meter swapped"),
  };
  {
    auto written = store_->Write(corrections);
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    EXPECT_EQ(written->changed, 3u);
    EXPECT_EQ(written->inserted, 0u);
    auto expected = reference_->Write(corrections);
    ASSERT_TRUE(expected.ok());
  }
  // Selected: the new value, revision 1, the first arrival kept.
  const struct {
    const Labels& labels;
    TimestampMs at;
    double old_value;
    std::string old_writer;
    TimestampMs old_arrived_at;
    const Sample& correction;
  } cases[] = {
      {kPower, in_head, (kDays * 1440 + 2) * 0.1 + 57.3, "scraper", in_head + 700, corrections[0]},
      {kLevel, last, 50 + ((kDays * 1440 + 4) % 37) * 0.25, "scraper", last + 900, corrections[1]},
      {kFlow, drained, 600 * 1e-3, "meter", drained + 1'100 + 600 % 7, corrections[2]},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(LabelsToString(c.labels));
    const auto selected = SelectFrom(*store_, c.at, c.at, ExactMatchers(c.labels));
    ASSERT_EQ(selected.size(), 1u);
    ASSERT_EQ(selected[0].samples.size(), 1u);
    const StoredSample& sample = selected[0].samples[0];
    EXPECT_EQ(sample.value, c.correction.value);
    EXPECT_EQ(sample.revision, 1u);
    EXPECT_EQ(sample.writer, "operator");
    EXPECT_EQ(sample.comment, c.correction.comment);
    EXPECT_EQ(sample.arrived_at, c.correction.arrived_at);
    EXPECT_EQ(sample.first_arrived_at, c.old_arrived_at);
    auto audit = store_->Audit(ExactMatchers(c.labels), kMinSampleTimestamp, kMaxSampleTimestamp);
    ASSERT_TRUE(audit.ok());
    ASSERT_EQ(audit->size(), 1u);
    ASSERT_EQ(audit->front().entries.size(), 1u);
    const AuditEntry& entry = audit->front().entries[0];
    EXPECT_EQ(entry.timestamp, c.at);
    EXPECT_EQ(entry.revision, 1u);
    EXPECT_EQ(entry.changed_at, kStart + 20 * kDay);
    EXPECT_EQ(entry.old_value, c.old_value);
    EXPECT_EQ(entry.old_writer, c.old_writer);
    EXPECT_EQ(entry.old_arrived_at, c.old_arrived_at);
    EXPECT_EQ(entry.old_comment, std::nullopt);
    EXPECT_EQ(entry.new_value, c.correction.value);
    EXPECT_EQ(entry.new_writer, "operator");
    EXPECT_EQ(entry.new_comment, c.correction.comment);
  }
  auto latest = store_->Latest(ExactMatchers(kLevel));
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(latest->front().sample.value, 2.5);
  EXPECT_EQ(latest->front().sample.revision, 1u);
  ExpectSameAsReference("after the corrections");

  // More drains: the corrections still win over the samples drained into blocks.
  const std::uint64_t drains = store_->Stats().head_drains_total;
  for (int minute = kDays * 1440 + 5; minute < kDays * 1440 + 200; minute += kBatchMinutes) {
    WriteBoth(DenseBatch(minute, kBatchMinutes));
  }
  ASSERT_TRUE(WaitForDrainsToSettle(drains));
  ExpectSameAsReference("after draining the corrected samples");
  ASSERT_TRUE(store_->Compact().ok());
  EXPECT_EQ(store_->Stats().head_samples, 0u);
  ExpectSameAsReference("after Compact");
}

TEST_F(StoreHeadTest, IdenticalRewritesOfHeadSamplesChangeNothing) {
  OpenBoth(1'000'000);
  WriteBoth(DenseBatch(0, 20));
  ASSERT_EQ(store_->Stats().head_samples, 60u);
  const TimestampMs at = kStart + 7 * kMinute;
  // The same value again, by another writer arriving later: unchanged, writer and arrival kept.
  const Sample again = MakeSample(kPower, at, 7 * 0.1 + 57.3, "someone-else", at + 99'999);
  auto written = store_->Write({again});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->unchanged, 1u);
  EXPECT_EQ(written->inserted, 0u);
  EXPECT_EQ(written->changed, 0u);
  auto audit = store_->Audit({}, kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->empty());
  const auto selected = SelectFrom(*store_, at, at, ExactMatchers(kPower));
  ASSERT_EQ(selected.size(), 1u);
  ASSERT_EQ(selected[0].samples.size(), 1u);
  EXPECT_EQ(selected[0].samples[0].writer, "scraper");
  EXPECT_EQ(selected[0].samples[0].arrived_at, at + 700);
  EXPECT_EQ(selected[0].samples[0].revision, 0u);
  ASSERT_TRUE(reference_->Write({again}).ok());
  ExpectSameAsReference("after the rewrite");
  // The last sample too: still the head's, not a record.
  const TimestampMs last = kStart + 19 * kMinute;
  written = store_->Write({MakeSample(kFlow, last, 19 * 1e-3, "meter", last + 5)});
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->unchanged, 1u);
  EXPECT_EQ(store_->Stats().head_samples, 60u);
  Reopen();
  audit = store_->Audit({}, kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->empty());
  ExpectSameAsReference("after reopening");
}

// A correction of a head sample marks its series: the next write of the same instant must find
// the correction's record, not the head's sample it replaced.
TEST_F(StoreHeadTest, SecondCorrectionOfAHeadSampleRevisesTheFirst) {
  OpenBoth(1'000'000);
  WriteBoth(DenseBatch(0, 20));
  const TimestampMs at = kStart + 7 * kMinute;
  const std::vector<std::pair<double, const char*>> revisions = {{61, "first"}, {62, "second"}};
  for (const auto& [value, comment] : revisions) {
    Sample correction = MakeSample(kPower, at, value, "fixer", at + 60'000);
    correction.comment = comment;
    auto written = store_->Write({correction});
    ASSERT_TRUE(written.ok()) << written.status().ToString();
    EXPECT_EQ(written->changed, 1u);
    ASSERT_TRUE(reference_->Write({correction}).ok());
  }
  // The same second correction again changes nothing.
  Sample again = MakeSample(kPower, at, 62, "fixer", at + 120'000);
  again.comment = "second";
  auto written = store_->Write({again});
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->unchanged, 1u);
  ExpectSampleAt(kPower, at, 62, 2u);
  auto audit = store_->Audit(ExactMatchers(kPower), at, at);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  ASSERT_EQ(audit->at(0).entries.size(), 2u);
  EXPECT_EQ(audit->at(0).entries[1].old_value, 61);
  EXPECT_EQ(audit->at(0).entries[1].new_value, 62);
  ExpectSameAsReference("after two corrections");
}

TEST_F(StoreHeadTest, ReopenReplaysTheHeadAndCompactDrainsIt) {
  OpenBoth(1'000'000);  // no drain
  WriteDenseDays();
  const std::size_t written = kDense.size() * kDays * 1440;
  ASSERT_EQ(store_->Stats().head_samples, written);
  EXPECT_EQ(store_->Stats().head_drains_total, 0u);
  // A correction of a head sample, before the reopen.
  const TimestampMs at = kStart + kDay + 100 * kMinute;
  const SampleBatch correction = {
      MakeSample(kLevel, at, 99.5, "operator", kStart + 10 * kDay, "gauge stuck")};
  auto changed = store_->Write(correction);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->changed, 1u);
  ASSERT_TRUE(reference_->Write(correction).ok());
  ExpectSameAsReference("before reopening");

  Reopen();
  EXPECT_EQ(store_->Stats().head_samples, written);
  ExpectSameAsReference("after reopening");
  // Writes go on after the replay: the next minute is fresh, a rewrite of a replayed sample is
  // not.
  WriteBoth(DenseBatch(kDays * 1440, 1));
  EXPECT_EQ(store_->Stats().head_samples, written + kDense.size());
  WriteBoth({MakeSample(kPower, kStart + 3 * kMinute, 3 * 0.1 + 57.3, "scraper", kStart)});

  ASSERT_TRUE(store_->Compact().ok());
  EXPECT_EQ(store_->Stats().head_samples, 0u);
  EXPECT_GT(store_->Stats().head_drains_total, 0u);
  ExpectSameAsReference("after Compact");
  ExpectSampleAt(kLevel, at, 99.5, 1u);
  Reopen();
  EXPECT_EQ(store_->Stats().head_samples, 0u);
  ExpectSameAsReference("after Compact and reopening");
}

// A correction made before a reopen must survive a drain of the replayed head into blocks, then
// the merge of those blocks by Compact.
TEST_F(StoreHeadTest, CorrectionBeforeReopenSurvivesDrains) {
  OpenBoth(1'000'000);
  WriteDenseDays();
  const TimestampMs at = kStart + 300 * kMinute;
  const SampleBatch correction = {
      MakeSample(kFlow, at, 12.5, "operator", kStart + 10 * kDay, "reset")};
  ASSERT_TRUE(store_->Write(correction).ok());
  ASSERT_TRUE(reference_->Write(correction).ok());
  // Reopened with a small head: the next write drains the replayed head.
  store_.reset();
  options_.head_max_samples = 50;
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  ExpectSameAsReference("after reopening");
  WriteBoth(DenseBatch(kDays * 1440, kBatchMinutes));
  ASSERT_TRUE(WaitForDrainsToSettle());
  ExpectSameAsReference("after the drain");
  ASSERT_TRUE(store_->Compact().ok());
  ExpectSameAsReference("after Compact");
  ExpectSampleAt(kFlow, at, 12.5, 1u);
}

TEST_F(StoreHeadTest, CorrectionBeforeReopenSurvivesCompact) {
  OpenBoth(1'000'000);
  WriteDenseDays();
  const TimestampMs at = kStart + (kDays * 1440 - 2) * kMinute;  // next to the last
  const SampleBatch correction = {
      MakeSample(kPower, at, -1.5, "operator", kStart + 10 * kDay, "rollover")};
  ASSERT_TRUE(store_->Write(correction).ok());
  ASSERT_TRUE(reference_->Write(correction).ok());
  Reopen();
  ASSERT_TRUE(store_->Compact().ok());
  EXPECT_EQ(store_->Stats().head_samples, 0u);
  ExpectSampleAt(kPower, at, -1.5, 1u);
  EXPECT_EQ(SelectFrom(*store_, at, at, ExactMatchers(kPower)).at(0).samples.at(0).comment,
            "rollover");
  ExpectSameAsReference("after Compact");
  Reopen();
  ExpectSameAsReference("after Compact and reopening");
}

TEST_F(StoreHeadTest, RetentionRemovesExpiredHeadSamples) {
  for (const std::size_t head_max_samples : {std::size_t{1'000'000}, std::size_t{50}}) {
    SCOPED_TRACE(::testing::Message() << "head_max_samples " << head_max_samples);
    store_.reset();
    reference_.reset();
    std::filesystem::remove_all(dir_.path() / "head");
    std::filesystem::remove_all(dir_.path() / "reference");
    clock_->Set(kStart + 10 * kDay);
    OpenBoth(head_max_samples);
    // The power series only: the others have no rule.
    store_.reset();
    reference_.reset();
    for (StoreOptions* options : {&options_, &reference_options_}) {
      options->retention = {{"upstream_power", std::chrono::milliseconds(kDay)}};
      options->retention_interval = std::chrono::milliseconds(0);
    }
    store_ = OpenOrDie(options_);
    reference_ = OpenOrDie(reference_options_);
    ASSERT_NE(store_, nullptr);
    ASSERT_NE(reference_, nullptr);
    WriteDenseDays();
    if (head_max_samples == 50) {
      ASSERT_TRUE(WaitForDrainsToSettle());
    } else {
      ASSERT_EQ(store_->Stats().head_samples, kDense.size() * kDays * 1440);
    }
    // Keep one day back from 10:00 of day 2.
    const TimestampMs cutoff = kStart + kDay + 600 * kMinute;
    const auto kept = SelectFrom(*reference_, cutoff, kMaxSampleTimestamp, ExactMatchers(kPower));
    ASSERT_EQ(kept.size(), 1u);
    clock_->Set(cutoff + kDay);
    auto summary = store_->EnforceRetention();
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->series_trimmed, 1u);
    EXPECT_EQ(summary->series_emptied, 0u);
    EXPECT_EQ(store_->Stats().head_samples, 0u);
    auto expected = reference_->EnforceRetention();
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(expected->series_trimmed, 1u);
    for (int pass = 0; pass < 2; ++pass) {
      EXPECT_TRUE(SameSeriesSamples(
          SelectFrom(*store_, kMinSampleTimestamp, kMaxSampleTimestamp, ExactMatchers(kPower)),
          kept));
      const auto level =
          SelectFrom(*store_, kMinSampleTimestamp, kMaxSampleTimestamp, ExactMatchers(kLevel));
      ASSERT_EQ(level.size(), 1u);
      EXPECT_EQ(level[0].samples.size(), static_cast<std::size_t>(kDays * 1440));
      ExpectSameAsReference(pass == 0 ? "after retention" : "after retention and Compact");
      ASSERT_TRUE(store_->Compact().ok());
    }
  }
}

TEST_F(StoreHeadTest, BackupOfAStoreWithAHeadRestoresAlike) {
  OpenBoth(1'000'000);
  WriteDenseDays();
  const SampleBatch correction = {
      MakeSample(kLevel, kStart + 50 * kMinute, 7.5, "operator", kStart + 10 * kDay, "noise")};
  ASSERT_TRUE(store_->Write(correction).ok());
  ASSERT_TRUE(reference_->Write(correction).ok());
  const std::uint64_t head_samples = store_->Stats().head_samples;
  ASSERT_EQ(head_samples, kDense.size() * kDays * 1440);
  const auto selected = SelectFrom(*store_, kMinSampleTimestamp, kMaxSampleTimestamp);
  const auto latest = LatestFrom(*store_);
  const auto audit = AuditFrom(*store_);
  ASSERT_FALSE(audit.empty());

  ASSERT_TRUE(store_->Backup(dir_.path() / "backup").ok());
  store_.reset();
  ASSERT_TRUE(Store::Restore(dir_.path() / "backup", dir_.path() / "restored").ok());
  options_.data_dir = dir_.path() / "restored";
  store_ = OpenOrDie(options_);
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(store_->Stats().head_samples, head_samples);
  EXPECT_TRUE(
      SameSeriesSamples(SelectFrom(*store_, kMinSampleTimestamp, kMaxSampleTimestamp), selected));
  EXPECT_TRUE(SameLatest(LatestFrom(*store_), latest));
  EXPECT_TRUE(SameAudit(AuditFrom(*store_), audit));
  ExpectSameAsReference("restored");
  ASSERT_TRUE(store_->Compact().ok());
  ExpectSameAsReference("restored and compacted");
}

// Reads running beside drains (the head taken out, its blocks being written) see every sample
// once and in order.
TEST_F(StoreHeadTest, ReadsBesideDrainsSeeEachSampleOnce) {
  OpenBoth(1'000);
  std::atomic<bool> stop = false;
  std::atomic<bool> failed = false;
  std::atomic<int> written_minutes = 0;
  std::atomic<int> reads = 0;
  std::string failure;  // the reader's first failure, read once it has stopped
  std::thread reader([&] {
    const auto fail = [&](std::string what) {
      failure = std::move(what);
      failed = true;
    };
    int iteration = 0;
    while (!stop.load() && !failed.load()) {
      const int minutes = written_minutes.load();
      if (minutes == 0) {
        std::this_thread::yield();
        continue;
      }
      const TimestampMs to = kStart + (minutes - 1) * kMinute;
      // The last few minutes written, where the head's last samples are (each read sees all 5
      // of them); now and then everything, a slow read, which sees at least what was written.
      std::vector<TimestampMs> froms = {to - 4 * kMinute};
      if (++iteration % 50 == 0) froms.push_back(kMinSampleTimestamp);
      for (const TimestampMs from : froms) {
        auto selected = store_->Select({}, from, kMaxSampleTimestamp);
        if (!selected.ok()) return fail(selected.status().ToString());
        ++reads;
        if (selected->size() != kDense.size()) return fail("series missing");
        for (const SeriesSamples& series : *selected) {
          const auto at_least = static_cast<std::size_t>((to - from) / kMinute + 1);
          bool ascending = true;
          std::string repeated;  // the first instant not after its predecessor
          for (std::size_t k = 1; k < series.samples.size() && ascending; ++k) {
            ascending = series.samples[k - 1].timestamp < series.samples[k].timestamp;
            if (!ascending) repeated = std::to_string(series.samples[k].timestamp);
          }
          const bool whole = from == kMinSampleTimestamp;
          std::size_t in_range = 0;  // the samples at from..to
          for (const StoredSample& sample : series.samples) in_range += sample.timestamp <= to;
          if (!ascending ||
              (whole ? in_range < static_cast<std::size_t>(minutes) : in_range != at_least)) {
            return fail(LabelsToString(series.labels) + ": " + std::to_string(in_range) +
                        " samples in " + std::to_string(from) + ".." + std::to_string(to) +
                        ", want " + std::to_string(whole ? minutes : at_least) +
                        (ascending ? "" : ", not strictly ascending at " + repeated));
          }
        }
      }
    }
  });
  for (int minute = 0; minute < kDays * 1440 && !failed.load(); minute += kBatchMinutes) {
    auto written = store_->Write(DenseBatch(minute, kBatchMinutes));
    if (!written.ok()) {
      ADD_FAILURE() << written.status().ToString();  // no ASSERT: the reader must be joined
      break;
    }
    written_minutes = minute + kBatchMinutes;
  }
  stop = true;
  reader.join();
  EXPECT_EQ(failure, "");
  EXPECT_GT(reads.load(), 0);
  EXPECT_GT(store_->Stats().head_drains_total, 0u);
}

}  // namespace
}  // namespace chiso
