#include "store/internal/sample_block.h"

#include <algorithm>
#include <optional>

#include "store/internal/coding.h"
#include "store/internal/decimal.h"

namespace chiso::store_internal {
namespace {

constexpr std::uint8_t kRawValues = 63;

// The one exponent all values can share with exact mantissas (the smallest of their own), and
// the mantissas; nullopt when some value is no such decimal.
std::optional<int> CommonExponent(std::span<const BlockSample> samples,
                                  std::vector<std::int64_t>& mantissas) {
  std::vector<Decimal> decimals;
  decimals.reserve(samples.size());
  int exponent = kMaxDecimalExponent;
  for (const BlockSample& sample : samples) {
    const auto decimal = ToDecimal(sample.value);
    if (!decimal) return std::nullopt;
    decimals.push_back(*decimal);
    exponent = std::min(exponent, decimal->exponent);
  }
  mantissas.clear();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto mantissa = MantissaAt(decimals[i], exponent, samples[i].value);
    if (!mantissa) return std::nullopt;
    mantissas.push_back(*mantissa);
  }
  return exponent;
}

bool GetZigZag(std::string_view& input, std::int64_t& value) {
  std::uint64_t raw = 0;
  if (!GetVarint64(input, raw)) return false;
  value = ZigZagDecode(raw);
  return true;
}

}  // namespace

bool Sealable(const SampleRecord& record) { return record.revision == 0 && !record.comment; }

void SortSealed(std::vector<BlockSample>& samples) {
  const auto earlier = [](const BlockSample& a, const BlockSample& b) {
    return a.timestamp < b.timestamp;
  };
  const auto not_before = [](const BlockSample& a, const BlockSample& b) {
    return a.timestamp >= b.timestamp;
  };
  if (std::adjacent_find(samples.begin(), samples.end(), not_before) == samples.end()) return;
  std::stable_sort(samples.begin(), samples.end(), earlier);
  samples.erase(std::unique(samples.begin(), samples.end(),
                            [](const BlockSample& a, const BlockSample& b) {
                              return a.timestamp == b.timestamp;
                            }),
                samples.end());
}

std::string EncodeSampleBlock(std::span<const BlockSample> samples) {
  std::string out;
  PutVarint64(out, samples.size());
  TimestampMs previous_delta = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (i == 0) {
      PutVarint64(out, ZigZagEncode(samples[0].timestamp));
      continue;
    }
    const TimestampMs delta = samples[i].timestamp - samples[i - 1].timestamp;
    PutVarint64(out, ZigZagEncode(delta - previous_delta));
    previous_delta = delta;
  }
  std::vector<std::int64_t> mantissas;
  if (const auto exponent = CommonExponent(samples, mantissas)) {
    out.push_back(static_cast<char>(*exponent + kMaxDecimalExponent));
    std::int64_t previous = 0;
    for (std::int64_t mantissa : mantissas) {
      PutVarint64(out, ZigZagEncode(mantissa - previous));
      previous = mantissa;
    }
  } else {
    out.push_back(static_cast<char>(kRawValues));
    for (const BlockSample& sample : samples) PutRawDouble(out, sample.value);
  }
  std::string runs;
  std::uint64_t run_count = 0;
  for (std::size_t i = 0; i < samples.size();) {
    std::size_t end = i + 1;
    while (end < samples.size() && samples[end].writer == samples[i].writer) ++end;
    PutVarint64(runs, samples[i].writer);
    PutVarint64(runs, end - i);
    ++run_count;
    i = end;
  }
  PutVarint64(out, run_count);
  out += runs;
  for (const BlockSample& sample : samples) {
    PutVarint64(out, ZigZagEncode(sample.arrived_at - sample.timestamp));
  }
  return out;
}

bool DecodeSampleBlock(std::string_view input, std::vector<BlockSample>& samples) {
  std::uint64_t count = 0;
  // Every sample takes at least a byte of times and one of arrivals.
  if (!GetVarint64(input, count) || count == 0 || count > input.size() / 2) return false;
  samples.assign(count, {});
  std::int64_t first = 0;
  if (!GetZigZag(input, first) || first < kMinSampleTimestamp || first > kMaxSampleTimestamp) {
    return false;
  }
  samples[0].timestamp = first;
  std::int64_t delta = 0;
  for (std::size_t i = 1; i < count; ++i) {
    std::int64_t dod = 0;
    if (!GetZigZag(input, dod)) return false;
    // Unsigned arithmetic: a damaged block must not overflow.
    delta = static_cast<std::int64_t>(static_cast<std::uint64_t>(delta) +
                                      static_cast<std::uint64_t>(dod));
    if (delta <= 0 || delta > kMaxSampleTimestamp - samples[i - 1].timestamp) return false;
    samples[i].timestamp = samples[i - 1].timestamp + delta;
  }
  if (input.empty()) return false;
  const auto code = static_cast<std::uint8_t>(input.front());
  input.remove_prefix(1);
  if (code == kRawValues) {
    for (BlockSample& sample : samples) {
      if (!GetRawDouble(input, sample.value)) return false;
    }
  } else if (code <= 2 * kMaxDecimalExponent) {
    std::int64_t mantissa = 0;
    for (BlockSample& sample : samples) {
      std::int64_t difference = 0;
      if (!GetZigZag(input, difference)) return false;
      mantissa = static_cast<std::int64_t>(static_cast<std::uint64_t>(mantissa) +
                                           static_cast<std::uint64_t>(difference));
      if (mantissa >= kMaxExactMantissa || mantissa <= -kMaxExactMantissa) return false;
      sample.value = FromDecimal(mantissa, code - kMaxDecimalExponent);
    }
  } else {
    return false;
  }
  std::uint64_t runs = 0;
  if (!GetVarint64(input, runs)) return false;
  std::size_t next = 0;
  for (std::uint64_t r = 0; r < runs; ++r) {
    std::uint32_t writer = 0;
    std::uint64_t length = 0;
    if (!GetVarint32(input, writer) || !GetVarint64(input, length) || length == 0 ||
        length > count - next) {
      return false;
    }
    for (std::uint64_t k = 0; k < length; ++k) samples[next++].writer = writer;
  }
  if (next != count) return false;
  for (BlockSample& sample : samples) {
    std::int64_t arrival = 0;
    if (!GetZigZag(input, arrival)) return false;
    sample.arrived_at = static_cast<std::int64_t>(static_cast<std::uint64_t>(sample.timestamp) +
                                                  static_cast<std::uint64_t>(arrival));
  }
  return input.empty();
}

}  // namespace chiso::store_internal
