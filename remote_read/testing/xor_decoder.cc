#include "remote_read/testing/xor_decoder.h"

#include <bit>
#include <cstdint>

namespace chiso::remote_read::testing {
namespace {

// xor.go's bstreamReader: bits most significant first.
class BitReader {
 public:
  explicit BitReader(std::string_view bytes) : bytes_(bytes) {}

  bool ReadBit(std::uint64_t* bit) { return ReadBits(1, bit); }

  bool ReadBits(int count, std::uint64_t* out) {
    std::uint64_t value = 0;
    for (int i = 0; i < count; ++i) {
      if (at_ >= bytes_.size() * 8) return false;
      const auto byte = static_cast<unsigned char>(bytes_[at_ / 8]);
      value = (value << 1) | ((byte >> (7 - at_ % 8)) & 1u);
      ++at_;
    }
    *out = value;
    return true;
  }

  // binary.ReadUvarint over whole bytes read from the bit stream.
  bool ReadUvarint(std::uint64_t* out) {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      std::uint64_t byte = 0;
      if (!ReadBits(8, &byte)) return false;
      value |= (byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *out = value;
        return true;
      }
    }
    return false;
  }

  // binary.ReadVarint: ZigZag over a uvarint.
  bool ReadVarint(std::int64_t* out) {
    std::uint64_t raw = 0;
    if (!ReadUvarint(&raw)) return false;
    *out = static_cast<std::int64_t>(raw >> 1) ^ -static_cast<std::int64_t>(raw & 1);
    return true;
  }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;  // in bits
};

}  // namespace

std::optional<std::vector<Point>> DecodeXorChunk(std::string_view chunk) {
  if (chunk.size() < 2) return std::nullopt;
  const unsigned total =
      (static_cast<unsigned char>(chunk[0]) << 8) | static_cast<unsigned char>(chunk[1]);
  BitReader in(chunk.substr(2));
  std::vector<Point> points;
  std::int64_t t = 0;
  std::uint64_t value_bits = 0, t_delta = 0, bits = 0;
  int leading = 0, trailing = 0;

  auto read_value = [&]() -> bool {
    std::uint64_t bit = 0;
    if (!in.ReadBit(&bit)) return false;
    if (bit == 0) return true;  // the value repeats
    if (!in.ReadBit(&bit)) return false;
    if (bit == 1) {  // a new leading/trailing window
      if (!in.ReadBits(5, &bits)) return false;
      leading = static_cast<int>(bits);
      if (!in.ReadBits(6, &bits)) return false;
      const int significant = bits == 0 ? 64 : static_cast<int>(bits);
      trailing = 64 - leading - significant;
    }
    if (!in.ReadBits(64 - leading - trailing, &bits)) return false;
    value_bits ^= bits << trailing;
    return true;
  };

  for (unsigned i = 0; i < total; ++i) {
    if (i == 0) {
      if (!in.ReadVarint(&t) || !in.ReadBits(64, &value_bits)) return std::nullopt;
    } else if (i == 1) {
      if (!in.ReadUvarint(&t_delta)) return std::nullopt;
      t += static_cast<std::int64_t>(t_delta);
      if (!read_value()) return std::nullopt;
    } else {
      int prefix = 0;  // how many 1 bits before a 0, at most 4
      std::uint64_t bit = 0;
      while (prefix < 4) {
        if (!in.ReadBit(&bit)) return std::nullopt;
        if (bit == 0) break;
        ++prefix;
      }
      static constexpr int kSizes[] = {0, 14, 17, 20, 64};
      const int size = kSizes[prefix];
      std::int64_t dod = 0;
      if (size != 0) {
        if (!in.ReadBits(size, &bits)) return std::nullopt;
        if (size < 64 && bits > (std::uint64_t{1} << (size - 1))) bits -= std::uint64_t{1} << size;
        dod = static_cast<std::int64_t>(bits);
      }
      t_delta = static_cast<std::uint64_t>(static_cast<std::int64_t>(t_delta) + dod);
      t += static_cast<std::int64_t>(t_delta);
      if (!read_value()) return std::nullopt;
    }
    points.push_back({t, std::bit_cast<double>(value_bits)});
  }
  return points;
}

}  // namespace chiso::remote_read::testing
