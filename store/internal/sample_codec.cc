#include "store/internal/sample_codec.h"

#include <algorithm>
#include <bit>

#include "store/internal/coding.h"
#include "store/internal/decimal.h"

namespace chiso::store_internal {
namespace {

constexpr int kExponentBias = kMaxDecimalExponent;
constexpr std::uint8_t kRawDoubleCode = 63;
constexpr std::uint8_t kValueCodeMask = 0x3f;
constexpr std::uint8_t kHasRevision = 0x40;
constexpr std::uint8_t kHasComment = 0x80;

}  // namespace

bool SameReading(const SampleRecord& stored, const SampleRecord& next) {
  return std::bit_cast<std::uint64_t>(stored.value) == std::bit_cast<std::uint64_t>(next.value) &&
         stored.comment == next.comment;
}

SampleRecord Revise(const SampleRecord& stored, SampleRecord next) {
  next.revision = stored.revision + 1;
  next.first_arrived_at = stored.first_arrived_at;
  return next;
}

void EncodeSampleRecord(const SampleRecord& record, TimestampMs timestamp, std::string& dst) {
  const auto decimal = ToDecimal(record.value);
  std::uint8_t tag =
      decimal ? static_cast<std::uint8_t>(decimal->exponent + kExponentBias) : kRawDoubleCode;
  if (record.revision > 0) tag |= kHasRevision;
  if (record.comment) tag |= kHasComment;
  dst.push_back(static_cast<char>(tag));
  if (decimal) {
    PutVarint64(dst, ZigZagEncode(decimal->mantissa));
  } else {
    PutRawDouble(dst, record.value);
  }
  PutVarint64(dst, record.writer);
  PutVarint64(dst, ZigZagEncode(record.arrived_at - timestamp));
  if (record.revision > 0) {
    PutVarint64(dst, record.revision);
    PutVarint64(dst, ZigZagEncode(record.first_arrived_at - timestamp));
  }
  if (record.comment) PutLengthPrefixed(dst, *record.comment);
}

bool DecodeSampleRecord(std::string_view& input, TimestampMs timestamp, SampleRecord& record) {
  if (input.empty()) return false;
  const auto tag = static_cast<std::uint8_t>(input.front());
  input.remove_prefix(1);
  const std::uint8_t code = tag & kValueCodeMask;
  if (code == kRawDoubleCode) {
    if (!GetRawDouble(input, record.value)) return false;
  } else if (code <= 2 * kExponentBias) {
    std::uint64_t mantissa = 0;
    if (!GetVarint64(input, mantissa)) return false;
    record.value = FromDecimal(ZigZagDecode(mantissa), code - kExponentBias);
  } else {
    return false;
  }
  std::uint64_t arrival_delta = 0;
  if (!GetVarint32(input, record.writer) || !GetVarint64(input, arrival_delta)) return false;
  record.arrived_at = timestamp + ZigZagDecode(arrival_delta);
  record.revision = 0;
  record.first_arrived_at = record.arrived_at;
  if (tag & kHasRevision) {
    std::uint64_t first_delta = 0;
    if (!GetVarint32(input, record.revision) || !GetVarint64(input, first_delta)) return false;
    record.first_arrived_at = timestamp + ZigZagDecode(first_delta);
  }
  record.comment.reset();
  if (tag & kHasComment) {
    std::string_view comment;
    if (!GetLengthPrefixed(input, comment)) return false;
    record.comment.emplace(comment);
  }
  return true;
}

std::string EncodeAuditRecord(TimestampMs changed_at, const SampleRecord& old_record,
                              const SampleRecord& new_record, TimestampMs timestamp) {
  std::string out;
  PutVarint64(out, static_cast<std::uint64_t>(changed_at));
  std::string old_encoded;
  EncodeSampleRecord(old_record, timestamp, old_encoded);
  PutLengthPrefixed(out, old_encoded);
  EncodeSampleRecord(new_record, timestamp, out);
  return out;
}

bool DecodeAuditRecord(std::string_view input, TimestampMs timestamp, TimestampMs& changed_at,
                       SampleRecord& old_record, SampleRecord& new_record) {
  std::uint64_t raw = 0;
  std::string_view old_encoded;
  if (!GetVarint64(input, raw) || !GetLengthPrefixed(input, old_encoded)) return false;
  changed_at = static_cast<TimestampMs>(raw);
  return DecodeSampleRecord(old_encoded, timestamp, old_record) && old_encoded.empty() &&
         DecodeSampleRecord(input, timestamp, new_record) && input.empty();
}

std::string EncodeLabels(const Labels& labels) {
  std::string out;
  AppendLabels(labels, out);
  return out;
}

void AppendLabels(const Labels& labels, std::string& dst) {
  // Sized first and written in place: every sample of a write batch is encoded here.
  std::size_t size = VarintLength(labels.size());
  for (const Label& label : labels) {
    size += VarintLength(label.name.size()) + label.name.size() + VarintLength(label.value.size()) +
            label.value.size();
  }
  const std::size_t start = dst.size();
  dst.resize(start + size);
  char* out = EncodeVarint64(dst.data() + start, labels.size());
  const auto put = [&out](const std::string& text) {
    out = EncodeVarint64(out, text.size());
    out = std::copy(text.begin(), text.end(), out);
  };
  for (const Label& label : labels) {
    put(label.name);
    put(label.value);
  }
}

bool DecodeLabels(std::string_view input, Labels& labels) {
  std::uint64_t count = 0;
  if (!GetVarint64(input, count) || count > input.size()) return false;
  labels.clear();
  labels.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    std::string_view value;
    if (!GetLengthPrefixed(input, name) || !GetLengthPrefixed(input, value)) return false;
    labels.push_back({std::string(name), std::string(value)});
  }
  return input.empty();
}

}  // namespace chiso::store_internal
