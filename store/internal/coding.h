// Byte-level encodings shared by the store's keys and values: big-endian fixed-width integers
// (so that byte order equals numeric order in RocksDB keys), LEB128 varints, zigzag for signed
// deltas, and length-prefixed strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chiso::store_internal {

void PutFixed32BE(std::string& dst, std::uint32_t value);
void PutFixed64BE(std::string& dst, std::uint64_t value);
// `p` must point at 4 (resp. 8) readable bytes.
std::uint32_t DecodeFixed32BE(const char* p);
std::uint64_t DecodeFixed64BE(const char* p);

// The bytes of `value` as a varint: 1 to 10.
constexpr std::size_t VarintLength(std::uint64_t value) {
  std::size_t length = 1;
  for (; value >= 0x80; value >>= 7) ++length;
  return length;
}
// Writes `value` as a varint at `out`, which must have VarintLength(value) bytes; returns the end.
inline char* EncodeVarint64(char* out, std::uint64_t value) {
  for (; value >= 0x80; value >>= 7) *out++ = static_cast<char>(value | 0x80);
  *out++ = static_cast<char>(value);
  return out;
}
void PutVarint64(std::string& dst, std::uint64_t value);
// Consumes a varint from the front of `input`; false (input unchanged) when it is truncated or
// longer than 10 bytes.
bool GetVarint64(std::string_view& input, std::uint64_t& value);
// As GetVarint64, and also false when the value does not fit in 32 bits.
bool GetVarint32(std::string_view& input, std::uint32_t& value);

constexpr std::uint64_t ZigZagEncode(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}
constexpr std::int64_t ZigZagDecode(std::uint64_t value) {
  return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

// A double's IEEE-754 bits, 8 bytes little-endian (NaN payloads and -0 kept).
void PutRawDouble(std::string& dst, double value);
// Consumes 8 bytes; false when fewer remain.
bool GetRawDouble(std::string_view& input, double& value);

void PutLengthPrefixed(std::string& dst, std::string_view bytes);
// Consumes a varint length and that many bytes; false when truncated.
bool GetLengthPrefixed(std::string_view& input, std::string_view& bytes);

}  // namespace chiso::store_internal
