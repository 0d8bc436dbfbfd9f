// Sealed blocks: the plain samples of one series within one day (BlockWindow), stored as one
// value of the blocks key space instead of one record each. Dense series (a sample a minute)
// take about a quarter of the bytes of per-sample records before compression, and compress far
// better, because like values sit together: a block is a set of columns, as Prometheus chunks
// and VictoriaMetrics blocks are, so the arrival times of series scraped together repeat block
// after block and zstd stores them once.
//
// Only plain samples are sealed: revision 0, no comment. Corrections, commented readings and
// sparse series stay per-sample records, which also take precedence over a block's sample at the
// same instant (a correction of a sealed sample is a record beside the block).
//
// Block value, in order:
//   count      varint, at least 1
//   times      zigzag varint of the first timestamp, then per further sample the zigzag varint of
//              its delta minus the previous delta (0 for a regular interval; the first delta is
//              taken against 0)
//   value code 1 byte: 0..44 all values are decimals m * 10^(code-22) with one exponent, stored as
//              the zigzag varint of the first mantissa, then of each mantissa's difference from
//              the previous; 63 the raw IEEE-754 bits, 8 bytes little-endian each
//   writers    varint run count, then per run the varint writer id and the varint run length
//   arrivals   per sample the zigzag varint of arrived_at - timestamp
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "store/internal/keys.h"
#include "store/internal/sample_codec.h"

namespace chiso::store_internal {

// Blocks cover UTC days: a window starts at a multiple of this.
inline constexpr TimestampMs kBlockWindowMs = 86'400'000;
// A window is sealed once it holds at least this many plain samples: a series reporting every
// three hours or more often. Monthly readings never are.
inline constexpr std::size_t kMinSamplesToSeal = 8;

// The start of the window holding `timestamp` (>= 0).
constexpr TimestampMs BlockWindow(TimestampMs timestamp) {
  return timestamp - timestamp % kBlockWindowMs;
}

struct BlockSample {
  TimestampMs timestamp = 0;
  double value = 0;
  WriterId writer = 0;
  TimestampMs arrived_at = 0;

  SampleRecord ToRecord() const { return {value, writer, arrived_at, 0, std::nullopt, arrived_at}; }
};

// Whether `record` may be sealed: a plain sample.
bool Sealable(const SampleRecord& record);

// Sorts samples gathered from several blocks by time, keeping the first of equal instants
// (blocks never overlap; this only makes a read immune to it).
void SortSealed(std::vector<BlockSample>& samples);

// `samples`: at least one, strictly ascending timestamps, all within one window.
std::string EncodeSampleBlock(std::span<const BlockSample> samples);
// Replaces `samples` with the block's; false when the block is malformed.
bool DecodeSampleBlock(std::string_view input, std::vector<BlockSample>& samples);

}  // namespace chiso::store_internal
