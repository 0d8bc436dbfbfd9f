#include "remote_read/xor_chunk.h"

#include <bit>
#include <cstdint>

#include "common/protobuf_wire.h"

namespace chiso::remote_read {
namespace {

// Appends bits most significant first, as Prometheus' bstream does.
class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}

  // The low `count` bits of `value`.
  void WriteBits(std::uint64_t value, int count) {
    for (int bit = count - 1; bit >= 0; --bit) {
      if (free_ == 0) {
        out_->push_back('\0');
        free_ = 8;
      }
      --free_;
      if (((value >> bit) & 1) != 0) out_->back() = static_cast<char>(out_->back() | (1 << free_));
    }
  }

  void WriteBytes(std::string_view bytes) {
    for (char c : bytes) WriteBits(static_cast<unsigned char>(c), 8);
  }

 private:
  std::string* out_;
  int free_ = 0;  // unused low bits of the last byte
};

// -(2^(bits-1) - 1) <= value <= 2^(bits-1): the range xor.go encodes in `bits` bits.
bool FitsIn(std::int64_t value, int bits) {
  const std::int64_t bound = std::int64_t{1} << (bits - 1);
  return -(bound - 1) <= value && value <= bound;
}

class XorAppender {
 public:
  explicit XorAppender(std::string* out) : bits_(out) {}

  void Append(std::size_t index, const Point& point) {
    std::uint64_t delta = 0;
    std::string varint;
    if (index == 0) {
      AppendVarint(&varint, ZigZag(point.timestamp));
      bits_.WriteBytes(varint);
      bits_.WriteBits(std::bit_cast<std::uint64_t>(point.value), 64);
    } else if (index == 1) {
      delta = static_cast<std::uint64_t>(point.timestamp - timestamp_);
      AppendVarint(&varint, delta);
      bits_.WriteBytes(varint);
      WriteValue(point.value);
    } else {
      delta = static_cast<std::uint64_t>(point.timestamp - timestamp_);
      const auto dod = static_cast<std::int64_t>(delta - delta_);
      if (dod == 0) {
        bits_.WriteBits(0, 1);
      } else if (FitsIn(dod, 14)) {
        bits_.WriteBits(0b10, 2);
        bits_.WriteBits(static_cast<std::uint64_t>(dod), 14);
      } else if (FitsIn(dod, 17)) {
        bits_.WriteBits(0b110, 3);
        bits_.WriteBits(static_cast<std::uint64_t>(dod), 17);
      } else if (FitsIn(dod, 20)) {
        bits_.WriteBits(0b1110, 4);
        bits_.WriteBits(static_cast<std::uint64_t>(dod), 20);
      } else {
        bits_.WriteBits(0b1111, 4);
        bits_.WriteBits(static_cast<std::uint64_t>(dod), 64);
      }
      WriteValue(point.value);
    }
    timestamp_ = point.timestamp;
    value_ = point.value;
    delta_ = delta;
  }

 private:
  void WriteValue(double value) {
    const std::uint64_t xored =
        std::bit_cast<std::uint64_t>(value) ^ std::bit_cast<std::uint64_t>(value_);
    if (xored == 0) {
      bits_.WriteBits(0, 1);
      return;
    }
    bits_.WriteBits(1, 1);
    int leading = std::countl_zero(xored);
    const int trailing = std::countr_zero(xored);
    if (leading >= 32) leading = 31;  // 5 bits hold at most 31
    if (leading_ >= 0 && leading >= leading_ && trailing >= trailing_) {
      bits_.WriteBits(0, 1);
      bits_.WriteBits(xored >> trailing_, 64 - leading_ - trailing_);
      return;
    }
    leading_ = leading;
    trailing_ = trailing;
    bits_.WriteBits(1, 1);
    bits_.WriteBits(static_cast<std::uint64_t>(leading), 5);
    const int significant = 64 - leading - trailing;
    bits_.WriteBits(static_cast<std::uint64_t>(significant), 6);  // 64 wraps to 0
    bits_.WriteBits(xored >> trailing, significant);
  }

  BitWriter bits_;
  TimestampMs timestamp_ = 0;
  double value_ = 0;
  std::uint64_t delta_ = 0;
  int leading_ = -1;  // -1 until a value sets the window
  int trailing_ = 0;
};

}  // namespace

std::string EncodeXorChunk(std::span<const Point> points) {
  std::string out;
  out.push_back(static_cast<char>(points.size() >> 8));
  out.push_back(static_cast<char>(points.size() & 0xFF));
  XorAppender appender(&out);
  for (std::size_t i = 0; i < points.size(); ++i) appender.Append(i, points[i]);
  return out;
}

}  // namespace chiso::remote_read
