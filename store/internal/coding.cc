#include "store/internal/coding.h"

#include <bit>

namespace chiso::store_internal {

// Each encoder fills a local array and appends it once: std::string::push_back checks the
// capacity and rewrites the terminator at every byte.

void PutFixed32BE(std::string& dst, std::uint32_t value) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(value >> (24 - 8 * i));
  dst.append(bytes, sizeof bytes);
}

void PutFixed64BE(std::string& dst, std::uint64_t value) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (56 - 8 * i));
  dst.append(bytes, sizeof bytes);
}

std::uint32_t DecodeFixed32BE(const char* p) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(p[i]);
  return value;
}

std::uint64_t DecodeFixed64BE(const char* p) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(p[i]);
  return value;
}

void PutVarint64(std::string& dst, std::uint64_t value) {
  char bytes[10];
  dst.append(bytes, EncodeVarint64(bytes, value));
}

bool GetVarint64(std::string_view& input, std::uint64_t& value) {
  std::uint64_t result = 0;
  for (std::size_t i = 0; i < input.size() && i < 10; ++i) {
    const auto byte = static_cast<unsigned char>(input[i]);
    result |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      input.remove_prefix(i + 1);
      value = result;
      return true;
    }
  }
  return false;
}

bool GetVarint32(std::string_view& input, std::uint32_t& value) {
  std::string_view rest = input;
  std::uint64_t wide = 0;
  if (!GetVarint64(rest, wide) || wide > UINT32_MAX) return false;
  input = rest;
  value = static_cast<std::uint32_t>(wide);
  return true;
}

void PutRawDouble(std::string& dst, double value) {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(bits >> (8 * i));
  dst.append(bytes, sizeof bytes);
}

bool GetRawDouble(std::string_view& input, double& value) {
  if (input.size() < 8) return false;
  std::uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<unsigned char>(input[i]);
  value = std::bit_cast<double>(bits);
  input.remove_prefix(8);
  return true;
}

void PutLengthPrefixed(std::string& dst, std::string_view bytes) {
  PutVarint64(dst, bytes.size());
  dst.append(bytes);
}

bool GetLengthPrefixed(std::string_view& input, std::string_view& bytes) {
  std::string_view rest = input;
  std::uint64_t length = 0;
  if (!GetVarint64(rest, length) || length > rest.size()) return false;
  bytes = rest.substr(0, length);
  rest.remove_prefix(length);
  input = rest;
  return true;
}

}  // namespace chiso::store_internal
