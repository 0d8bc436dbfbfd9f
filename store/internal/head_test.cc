// The head's pieces on their own: the head log entry codec, the in-memory table and how a drain
// divides a series' samples.
#include "store/internal/head.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "store/internal/coding.h"
#include "store/internal/sample_codec.h"

namespace chiso::store_internal {
namespace {

constexpr TimestampMs kStart = 1'790'812'800'000;  // 2026-10-01T00:00:00Z, a window start
constexpr TimestampMs kMinute = 60'000;

::testing::AssertionResult SameSample(const BlockSample& got, const BlockSample& want) {
  if (got.timestamp != want.timestamp ||
      std::bit_cast<std::uint64_t>(got.value) != std::bit_cast<std::uint64_t>(want.value) ||
      got.writer != want.writer || got.arrived_at != want.arrived_at) {
    return ::testing::AssertionFailure()
           << "got {" << got.timestamp << ", " << got.value << ", " << got.writer << ", "
           << got.arrived_at << "}, want {" << want.timestamp << ", " << want.value << ", "
           << want.writer << ", " << want.arrived_at << "}";
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult SameSamples(std::span<const BlockSample> got,
                                       std::span<const BlockSample> want) {
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << got.size() << " samples, want " << want.size();
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (auto same = SameSample(got[i], want[i]); !same) return same << " at " << i;
  }
  return ::testing::AssertionSuccess();
}

// `count` samples of one a minute from `first`.
std::vector<BlockSample> Minutes(TimestampMs first, int count, double value = 1.5) {
  std::vector<BlockSample> samples;
  for (int i = 0; i < count; ++i) {
    const TimestampMs at = first + i * kMinute;
    samples.push_back({at, value + i, 3, at + 700});
  }
  return samples;
}

std::vector<BlockSample> Concat(std::vector<BlockSample> a, const std::vector<BlockSample>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// --- Head log entries ---

TEST(HeadLogTest, EntriesRoundTrip) {
  const double nan_with_payload = std::bit_cast<double>(std::uint64_t{0x7ff8'0000'dead'beef});
  const std::vector<std::pair<SeriesId, BlockSample>> samples = {
      {3, {kStart + 5 * kMinute, 57.3, 2, kStart + 5 * kMinute + 700}},
      {1, {kStart, nan_with_payload, 0, kStart - 5}},  // earlier than the previous sample
      {7, {kStart + 1, -0.0, 5, kStart + 1 + 1'000'000'000'000}},  // arrival years later
      {7, {kStart + 2, std::numeric_limits<double>::infinity(), 4'000'000'000u, 0}},
      {0, {0, 0.1, 1, 0}},  // far back: a large negative delta
      {70'000, {kStart + 3, -1e300, 9, kStart + 3}},
      {3, {kStart + 6 * kMinute, 1.0 / 3, 2, kStart + 6 * kMinute + 700}},
  };
  std::string entry;
  TimestampMs previous = 0;
  for (const auto& [id, sample] : samples) {
    AppendHeadLogSample(id, sample, previous, entry);
    EXPECT_EQ(previous, sample.timestamp);
  }
  std::vector<std::pair<SeriesId, BlockSample>> decoded = {{42, {1, 2, 3, 4}}};  // kept
  ASSERT_TRUE(DecodeHeadLogEntry(entry, decoded));
  ASSERT_EQ(decoded.size(), samples.size() + 1);
  EXPECT_EQ(decoded[0].first, 42u);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(decoded[i + 1].first, samples[i].first) << i;
    EXPECT_TRUE(SameSample(decoded[i + 1].second, samples[i].second)) << i;
  }
  EXPECT_TRUE(std::signbit(decoded[3].second.value));  // -0.0 stays negative
  EXPECT_TRUE(std::isnan(decoded[2].second.value));

  std::vector<std::pair<SeriesId, BlockSample>> none;
  EXPECT_TRUE(DecodeHeadLogEntry("", none));
  EXPECT_TRUE(none.empty());
}

TEST(HeadLogTest, TruncatedEntriesAreRefused) {
  std::string entry;
  TimestampMs previous = 0;
  std::vector<std::size_t> boundaries = {0};  // entry sizes after each sample
  const std::vector<std::pair<SeriesId, BlockSample>> samples = {
      {300, {kStart, 57.3, 200, kStart + 700}},
      {2,
       {kStart - kMinute, std::bit_cast<double>(std::uint64_t{0x7ff0'0000'0000'0001}), 1,
        kStart + 3'000'000'000}},
      {300, {kStart + kMinute, 12345.678, 200, kStart + kMinute + 650}},
  };
  for (const auto& [id, sample] : samples) {
    AppendHeadLogSample(id, sample, previous, entry);
    boundaries.push_back(entry.size());
  }
  for (std::size_t size = 0; size <= entry.size(); ++size) {
    std::vector<std::pair<SeriesId, BlockSample>> decoded;
    const bool whole_samples =
        std::find(boundaries.begin(), boundaries.end(), size) != boundaries.end();
    EXPECT_EQ(DecodeHeadLogEntry(std::string_view(entry).substr(0, size), decoded), whole_samples)
        << "prefix of " << size << " bytes of " << entry.size();
    if (whole_samples) {
      EXPECT_EQ(decoded.size(),
                std::find(boundaries.begin(), boundaries.end(), size) - boundaries.begin());
    }
  }
}

TEST(HeadLogTest, GarbageIsRefused) {
  std::vector<std::pair<SeriesId, BlockSample>> decoded;
  // A varint that never ends.
  EXPECT_FALSE(DecodeHeadLogEntry(std::string(12, '\xff'), decoded));
  // A series id beyond 32 bits.
  std::string entry;
  PutVarint64(entry, std::uint64_t{1} << 40);
  PutVarint64(entry, ZigZagEncode(kStart));
  EncodeSampleRecord(BlockSample{kStart, 1, 0, kStart}.ToRecord(), kStart, entry);
  EXPECT_FALSE(DecodeHeadLogEntry(entry, decoded));
  // An unknown value code.
  entry.clear();
  PutVarint64(entry, 1);
  PutVarint64(entry, ZigZagEncode(kStart));
  entry.push_back('\x3e');
  PutVarint64(entry, 0);
  PutVarint64(entry, 0);
  EXPECT_FALSE(DecodeHeadLogEntry(entry, decoded));
  // A valid sample followed by a stray byte.
  entry.clear();
  TimestampMs previous = 0;
  AppendHeadLogSample(1, {kStart, 2.5, 0, kStart}, previous, entry);
  ASSERT_TRUE(DecodeHeadLogEntry(entry, decoded));
  entry.push_back('\x01');
  decoded.clear();
  EXPECT_FALSE(DecodeHeadLogEntry(entry, decoded));
}

TEST(HeadLogTest, RecordsThatAreNotPlainAreRefused) {
  // The head holds plain samples only: a corrected or commented record in a log entry is damage.
  for (const SampleRecord& record : {SampleRecord{.value = 1,
                                    .writer = 0,
                                    .arrived_at = kStart,
                                    .revision = 1,
                                    .comment = std::nullopt,
                                    .first_arrived_at = kStart},
                                     SampleRecord{.value = 1,
                                     .writer = 0,
                                     .arrived_at = kStart,
                                     .revision = 0,
                                     .comment = "meter swapped",
                                     .first_arrived_at = kStart}}) {
    std::string entry;
    PutVarint64(entry, 4);
    PutVarint64(entry, ZigZagEncode(kStart));
    EncodeSampleRecord(record, kStart, entry);
    std::vector<std::pair<SeriesId, BlockSample>> decoded;
    EXPECT_FALSE(DecodeHeadLogEntry(entry, decoded));
  }
}

// --- The table ---

TEST(HeadTest, AppendFindOfCopyRange) {
  Head head;
  EXPECT_EQ(head.samples(), 0u);
  EXPECT_TRUE(head.series().empty());
  EXPECT_FALSE(head.corrected());
  const std::vector<BlockSample> five = Minutes(kStart, 4, 10);
  const std::vector<BlockSample> zero = Minutes(kStart + kMinute / 2, 3, 20);
  for (const BlockSample& sample : five) head.Append(5, sample);
  for (const BlockSample& sample : zero) head.Append(0, sample);
  EXPECT_EQ(head.samples(), 7u);
  EXPECT_EQ(head.series(), (std::vector<SeriesId>{5, 0}));  // order of their first sample
  EXPECT_TRUE(SameSamples(head.Of(5), five));
  EXPECT_TRUE(SameSamples(head.Of(0), zero));
  EXPECT_TRUE(head.Of(3).empty());    // below the largest id, no samples
  EXPECT_TRUE(head.Of(900).empty());  // beyond every id

  for (const BlockSample& sample : five) {
    const BlockSample* found = head.Find(5, sample.timestamp);
    ASSERT_NE(found, nullptr);
    EXPECT_TRUE(SameSample(*found, sample));
  }
  EXPECT_EQ(head.Find(5, kStart + 1), nullptr);
  EXPECT_EQ(head.Find(5, kStart - 1), nullptr);
  EXPECT_EQ(head.Find(5, kStart + 4 * kMinute), nullptr);  // after the last
  EXPECT_EQ(head.Find(0, kStart), nullptr);                // series 5's instant
  EXPECT_EQ(head.Find(3, kStart), nullptr);
  EXPECT_EQ(head.Find(900, kStart), nullptr);

  std::vector<BlockSample> out = {{1, 1, 1, 1}};                   // appended to, not replaced
  head.CopyRange(5, kStart + kMinute, kStart + 2 * kMinute, out);  // bounds inclusive
  EXPECT_TRUE(SameSamples(out, std::vector<BlockSample>{{1, 1, 1, 1}, five[1], five[2]}));
  out.clear();
  head.CopyRange(5, kStart + 1, kStart + 2 * kMinute - 1, out);
  EXPECT_TRUE(SameSamples(out, std::vector<BlockSample>{five[1]}));
  out.clear();
  head.CopyRange(5, kMinSampleTimestamp, kMaxSampleTimestamp, out);
  EXPECT_TRUE(SameSamples(out, five));
  out.clear();
  head.CopyRange(5, kStart + 10 * kMinute, kMaxSampleTimestamp, out);
  head.CopyRange(5, kMinSampleTimestamp, kStart - 1, out);
  head.CopyRange(5, kStart + 2 * kMinute, kStart + kMinute, out);  // from > to
  head.CopyRange(900, kMinSampleTimestamp, kMaxSampleTimestamp, out);
  EXPECT_TRUE(out.empty());
}

TEST(HeadTest, ClearEmptiesEverything) {
  Head head;
  for (const BlockSample& sample : Minutes(kStart, 5)) head.Append(2, sample);
  head.MarkCorrected(2);
  EXPECT_TRUE(head.corrected());
  EXPECT_TRUE(head.corrected(2));
  EXPECT_FALSE(head.corrected(1));
  head.Clear();
  EXPECT_EQ(head.samples(), 0u);
  EXPECT_TRUE(head.series().empty());
  EXPECT_TRUE(head.Of(2).empty());
  EXPECT_EQ(head.Find(2, kStart), nullptr);
  EXPECT_FALSE(head.corrected());
  EXPECT_FALSE(head.corrected(2));
  // Usable again, from any instant.
  head.Append(2, {kStart - kMinute, 4, 0, kStart});
  EXPECT_EQ(head.samples(), 1u);
  EXPECT_EQ(head.series(), std::vector<SeriesId>{2});
  ASSERT_NE(head.Find(2, kStart - kMinute), nullptr);
}

TEST(HeadTest, TakeAllMovesEverythingOut) {
  Head head;
  const std::vector<BlockSample> one = Minutes(kStart, 3, 1);
  const std::vector<BlockSample> four = Minutes(kStart, 2, 4);
  for (const BlockSample& sample : one) head.Append(1, sample);
  for (const BlockSample& sample : four) head.Append(4, sample);
  head.MarkCorrected(4);
  const Head taken = head.TakeAll();
  EXPECT_EQ(taken.samples(), 5u);
  EXPECT_EQ(taken.series(), (std::vector<SeriesId>{1, 4}));
  EXPECT_TRUE(SameSamples(taken.Of(1), one));
  EXPECT_TRUE(SameSamples(taken.Of(4), four));
  EXPECT_TRUE(taken.corrected(4));
  EXPECT_FALSE(taken.corrected(1));
  EXPECT_EQ(head.samples(), 0u);
  EXPECT_TRUE(head.series().empty());
  EXPECT_TRUE(head.Of(1).empty());
  EXPECT_FALSE(head.corrected());
  EXPECT_FALSE(head.corrected(4));
  head.Append(1, one.front());  // an emptied head takes any instant again
  EXPECT_EQ(head.samples(), 1u);
  EXPECT_EQ(taken.Of(1).size(), 3u);
}

// As a failed DrainDenseWindows does: the head taken out, its rest (each series' last sample)
// kept in the head, newer samples written meanwhile, then the taken head put back.
TEST(HeadTest, RestorePutsTakenSamplesBackOnce) {
  Head head;
  const std::vector<BlockSample> dense = Minutes(kStart, 10, 1);  // series 2
  const std::vector<BlockSample> sparse = Minutes(kStart, 1, 7);  // series 6: one sample
  const std::vector<BlockSample> newer = Minutes(kStart + 10 * kMinute, 2, 100);
  for (const BlockSample& sample : dense) head.Append(2, sample);
  for (const BlockSample& sample : sparse) head.Append(6, sample);
  const Head older = head.TakeAll();
  ASSERT_EQ(older.samples(), 11u);
  // The rest, kept.
  head.Append(2, dense.back());
  head.Append(6, sparse.back());
  // Written during the drain: a new series and newer samples of series 2.
  head.Append(9, {kStart, 9, 0, kStart});
  for (const BlockSample& sample : newer) head.Append(2, sample);
  head.MarkCorrected(2);  // a correction written meanwhile
  ASSERT_EQ(head.samples(), 5u);

  head.Restore(older);
  EXPECT_TRUE(SameSamples(head.Of(2), Concat(dense, newer)));  // dense.back() once
  EXPECT_TRUE(SameSamples(head.Of(6), sparse));
  EXPECT_EQ(head.Of(9).size(), 1u);
  EXPECT_EQ(head.samples(), dense.size() + newer.size() + sparse.size() + 1);
  std::vector<SeriesId> series = head.series();
  std::sort(series.begin(), series.end());
  EXPECT_EQ(series, (std::vector<SeriesId>{2, 6, 9}));  // each once
  EXPECT_TRUE(head.corrected(2));
  EXPECT_FALSE(head.corrected(6));
  for (const BlockSample& sample : dense) {
    const BlockSample* found = head.Find(2, sample.timestamp);
    ASSERT_NE(found, nullptr);
    EXPECT_TRUE(SameSample(*found, sample));
  }
}

TEST(HeadTest, RestoreIntoAHeadWithoutTheSeries) {
  Head head;
  const std::vector<BlockSample> samples = Minutes(kStart, 4);
  for (const BlockSample& sample : samples) head.Append(3, sample);
  const Head older = head.TakeAll();
  head.Append(1, {kStart, 1, 0, kStart});  // another series only
  head.Restore(older);
  EXPECT_TRUE(SameSamples(head.Of(3), samples));
  EXPECT_EQ(head.samples(), 5u);
  EXPECT_EQ(head.series(), (std::vector<SeriesId>{1, 3}));
  EXPECT_FALSE(head.corrected());

  // A corrected older head marks the head it goes back to.
  Head empty;
  Head corrected;
  corrected.Append(0, {kStart, 1, 0, kStart});
  corrected.MarkCorrected(0);
  empty.Restore(corrected.TakeAll());
  EXPECT_TRUE(empty.corrected(0));
  EXPECT_EQ(empty.samples(), 1u);
}

// --- SplitForDrain ---

TEST(HeadSplitForDrainTest, NothingToSplit) {
  const DrainSplit split = SplitForDrain({});
  EXPECT_TRUE(split.blocks.empty());
  EXPECT_TRUE(split.rest.empty());
}

TEST(HeadSplitForDrainTest, OneSampleIsTheRest) {
  const std::vector<BlockSample> samples = Minutes(kStart + 5 * kMinute, 1);
  const DrainSplit split = SplitForDrain(samples);
  EXPECT_TRUE(split.blocks.empty());
  EXPECT_TRUE(SameSamples(split.rest, samples));
}

TEST(HeadSplitForDrainTest, NineSamplesOfADayMakeABlockAndKeepTheLast) {
  const std::vector<BlockSample> samples = Minutes(kStart + 3 * kMinute, 9);
  const DrainSplit split = SplitForDrain(samples);
  ASSERT_EQ(split.blocks.size(), 1u);
  EXPECT_EQ(split.blocks[0].size(), kMinSamplesToSeal);
  EXPECT_EQ(split.blocks[0].data(), samples.data());  // a view of the input
  EXPECT_TRUE(SameSamples(split.blocks[0], std::span(samples).first(8)));
  EXPECT_TRUE(SameSamples(split.rest, std::span(samples).last(1)));
}

TEST(HeadSplitForDrainTest, EightSamplesOfADayAreTooFewBesideTheLast) {
  // Seven before the last: below kMinSamplesToSeal, so all of them stay.
  const std::vector<BlockSample> samples = Minutes(kStart, 8);
  const DrainSplit split = SplitForDrain(samples);
  EXPECT_TRUE(split.blocks.empty());
  EXPECT_TRUE(SameSamples(split.rest, samples));
}

TEST(HeadSplitForDrainTest, EachDayIsItsOwnBlock) {
  // Ten samples ending at the last millisecond of day 1, ten from the first of day 2.
  const std::vector<BlockSample> day1 = Minutes(kStart + kBlockWindowMs - 1 - 9 * kMinute, 10);
  const std::vector<BlockSample> day2 = Minutes(kStart + kBlockWindowMs, 10);
  ASSERT_EQ(BlockWindow(day1.back().timestamp), kStart);
  const std::vector<BlockSample> samples = Concat(day1, day2);
  const DrainSplit split = SplitForDrain(samples);
  ASSERT_EQ(split.blocks.size(), 2u);
  EXPECT_TRUE(SameSamples(split.blocks[0], day1));  // a complete day: all of it
  EXPECT_TRUE(SameSamples(split.blocks[1], std::span(day2).first(9)));
  EXPECT_TRUE(SameSamples(split.rest, std::span(day2).last(1)));
}

TEST(HeadSplitForDrainTest, ExactlyEightOnAnEarlierDayMakeABlock) {
  // Day 1 is not the last window: all eight of it are sealable.
  const std::vector<BlockSample> day1 = Minutes(kStart + kBlockWindowMs - 8 * kMinute, 8);
  const std::vector<BlockSample> day2 = Minutes(kStart + kBlockWindowMs, 1);
  const std::vector<BlockSample> samples = Concat(day1, day2);  // the split views it
  const DrainSplit split = SplitForDrain(samples);
  ASSERT_EQ(split.blocks.size(), 1u);
  EXPECT_TRUE(SameSamples(split.blocks[0], day1));
  EXPECT_TRUE(SameSamples(split.rest, day2));
}

TEST(HeadSplitForDrainTest, SparseDaysStayInTheRest) {
  // A day of seven, a dense day, a day of one, then the last day with nine.
  const std::vector<BlockSample> sparse1 = Minutes(kStart, 7);
  const std::vector<BlockSample> dense = Minutes(kStart + kBlockWindowMs, 30);
  const std::vector<BlockSample> sparse2 = Minutes(kStart + 2 * kBlockWindowMs + kMinute, 1);
  const std::vector<BlockSample> last = Minutes(kStart + 3 * kBlockWindowMs + 7 * kMinute, 9);
  const std::vector<BlockSample> samples = Concat(Concat(Concat(sparse1, dense), sparse2), last);
  const DrainSplit split = SplitForDrain(samples);
  ASSERT_EQ(split.blocks.size(), 2u);
  EXPECT_TRUE(SameSamples(split.blocks[0], dense));
  EXPECT_TRUE(SameSamples(split.blocks[1], std::span(last).first(8)));
  EXPECT_TRUE(SameSamples(split.rest,
                          Concat(Concat(sparse1, sparse2), std::vector<BlockSample>{last.back()})));
  // One sample a day: nothing dense at all.
  std::vector<BlockSample> daily;
  for (int day = 0; day < 10; ++day)
    daily.push_back({kStart + day * kBlockWindowMs, 1.0 * day, 0, 0});
  const DrainSplit none = SplitForDrain(daily);
  EXPECT_TRUE(none.blocks.empty());
  EXPECT_TRUE(SameSamples(none.rest, daily));
  // Every sample is in exactly one part.
  std::size_t covered = split.rest.size();
  for (const auto& block : split.blocks) covered += block.size();
  EXPECT_EQ(covered, samples.size());
}

}  // namespace
}  // namespace chiso::store_internal
