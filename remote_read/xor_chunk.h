// Prometheus' XOR chunk encoding (tsdb/chunkenc/xor.go, the Gorilla scheme with millisecond
// timestamps), the chunk type of a STREAMED_XOR_CHUNKS remote-read response:
//   * 2 bytes: the sample count, big-endian;
//   * first sample: timestamp as a ZigZag varint, value as its 64 IEEE-754 bits;
//   * second: the timestamp delta as a uvarint, then the value XOR-encoded;
//   * then: the delta of deltas in a 1-, 16-, 20-, 24- or 68-bit code (0, 10+14, 110+17,
//     1110+20, 1111+64 bits), then the value XOR-encoded: 0 when it repeats, else 1 then either
//     0 and the meaningful bits within the previous leading/trailing zero window, or 1, 5 bits of
//     leading zeros (at most 31), 6 bits of meaningful-bit count (64 written as 0) and the bits.
// Bits are written most significant first; the last byte is padded with zeros. No I/O.
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "remote_read/series.h"

namespace chiso::remote_read {

// Prometheus' TSDB cuts chunks at 120 samples; remote-read clients expect chunks of that size.
inline constexpr std::size_t kMaxSamplesPerChunk = 120;

// The XOR chunk of `points` (strictly ascending timestamps, at most 65535 of them).
std::string EncodeXorChunk(std::span<const Point> points);

}  // namespace chiso::remote_read
