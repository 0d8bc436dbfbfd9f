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
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace chiso::store_internal {

using SeriesId = std::uint32_t;
using WriterId = std::uint32_t;

inline constexpr std::string_view kFormatKey = "format";
inline constexpr std::string_view kFormatVersion = "chiso-store-4";
// The format before sealed blocks: opened, and marked as kFormatVersion (the blocks key space is
// created empty), by Database::Open.
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

std::string StateKey(std::string_view space, std::string_view key);  // space: 1..255 bytes

}  // namespace chiso::store_internal
