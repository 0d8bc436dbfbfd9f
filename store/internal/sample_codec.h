// Value encodings of stored samples, audit records and label sets.
//
// A sample record (the value under a samples key) is, in order:
//   tag      1 byte: bits 0-5 value code, bit 6 revision present, bit 7 comment present
//   value    code 0..44: a decimal m * 10^(code-22) with m as a zigzag varint (most readings are
//            short decimals such as 57.3 or 1200, which take 2-4 bytes instead of 8);
//            code 63: the raw IEEE-754 bits, 8 bytes little-endian (NaN, -0, long fractions)
//   writer   varint writer id (interned name, see the meta column family)
//   arrival  zigzag varint of arrived_at - timestamp (small: readings arrive near their instant)
//   revision varint, only when > 0
//   first    zigzag varint of first_arrived_at - timestamp, only when revision > 0 (equal to
//            arrival otherwise)
//   comment  varint length + bytes, only when present
// Decimals are used only when decoding reproduces the double bit for bit (m < 2^53 and
// |exponent| <= 22, where one IEEE multiplication or division is exact-rounded).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "store/internal/keys.h"
#include "store/sample.h"

namespace chiso::store_internal {

struct SampleRecord {
  double value = 0;
  WriterId writer = 0;
  TimestampMs arrived_at = 0;
  std::uint32_t revision = 0;
  std::optional<std::string> comment;
  TimestampMs first_arrived_at = 0;  // arrival of revision 0; == arrived_at while revision is 0
};

// Whether a rewrite with `next` changes the stored reading: a different value (bitwise) or
// comment. Writer and arrival time do not count.
bool SameReading(const SampleRecord& stored, const SampleRecord& next);

// `timestamp` is the sample's instant (from its key); arrival is encoded relative to it.
void EncodeSampleRecord(const SampleRecord& record, TimestampMs timestamp, std::string& dst);
// Consumes one record from the front of `input`; false when it is malformed.
bool DecodeSampleRecord(std::string_view& input, TimestampMs timestamp, SampleRecord& record);
// The record that `next` makes of `stored` when it changes it: the next revision, the first
// arrival kept.
SampleRecord Revise(const SampleRecord& stored, SampleRecord next);

// Audit value: varint changed_at, length-prefixed old record, new record.
std::string EncodeAuditRecord(TimestampMs changed_at, const SampleRecord& old_record,
                              const SampleRecord& new_record, TimestampMs timestamp);
bool DecodeAuditRecord(std::string_view input, TimestampMs timestamp, TimestampMs& changed_at,
                       SampleRecord& old_record, SampleRecord& new_record);

// Canonical label-set encoding: varint count, then length-prefixed name and value per label. Also
// the series' identity in memory (equal labels <=> equal bytes).
std::string EncodeLabels(const Labels& labels);
void AppendLabels(const Labels& labels, std::string& dst);
bool DecodeLabels(std::string_view input, Labels& labels);

}  // namespace chiso::store_internal
