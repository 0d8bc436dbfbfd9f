// Key layout of the store's RocksDB column families. Integers are big-endian so that key order is
// numeric order: all samples of a series are contiguous and sorted by time.
//
//   meta     "format"                       -> kFormatVersion
//            'w' writer_id(4)               -> writer name
//   series   series_id(4)                   -> EncodeLabels(labels)
//   samples  series_id(4) timestamp(8)      -> EncodeSampleRecord
//   audit    series_id(4) timestamp(8) revision(4) -> EncodeAuditRecord
//   blocks   series_id(4) window_start(8)  -> EncodeSampleBlock (sample_block.h); same layout
//                                             as a sample key, so SampleKey makes block keys
//   state    len(space)(1) space key        -> caller's bytes
//   head     sequence(8)                    -> head log entry (head.h): the fresh samples of
//                                             one write, until a drain moves them
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace chiso::store_internal {

using SeriesId = std::uint32_t;
using WriterId = std::uint32_t;

inline constexpr std::string_view kFormatKey = "format";
inline constexpr std::string_view kFormatVersion = "chiso-store-5";
// Earlier formats that Database::Open upgrades by creating the key spaces they lack, empty, and
// marking the store kFormatVersion: before the head (chiso-store-4) and before sealed blocks.
inline constexpr std::string_view kFormatWithoutHead = "chiso-store-4";
inline constexpr std::string_view kFormatWithoutBlocks = "chiso-store-3";
inline constexpr std::size_t kSeriesIdBytes = 4;
inline constexpr std::size_t kSampleKeyBytes = 12;
inline constexpr std::size_t kAuditKeyBytes = 16;

std::string WriterKey(WriterId id);
bool IsWriterKey(std::string_view key);
WriterId WriterIdFromKey(std::string_view key);  // IsWriterKey(key) must hold

std::string SeriesKey(SeriesId id);              // series column family
SeriesId SeriesIdFromKey(std::string_view key);  // key has at least 4 bytes

std::string SampleKey(SeriesId id, TimestampMs timestamp);
TimestampMs TimestampFromSampleKey(std::string_view key);  // key has 12 bytes

std::string AuditKey(SeriesId id, TimestampMs timestamp, std::uint32_t revision);
std::uint32_t RevisionFromAuditKey(std::string_view key);  // key has 16 bytes

std::string HeadKey(std::uint64_t sequence);
std::uint64_t SequenceFromHeadKey(std::string_view key);  // key has 8 bytes
inline constexpr std::size_t kHeadKeyBytes = 8;

std::string StateKey(std::string_view space, std::string_view key);  // space: 1..255 bytes

}  // namespace chiso::store_internal
