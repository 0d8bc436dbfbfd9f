#include "ingest/testing/bodies.h"

#include <snappy.h>
#include <zlib.h>

#include <bit>
#include <cstdint>

namespace chiso::ingest::testing {
namespace {

// Protobuf wire types used by a WriteRequest.
enum WireType : std::uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2 };

void AppendVarint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void AppendBytes(std::string& out, std::uint32_t field, std::string_view bytes) {
  AppendVarint(out, (std::uint64_t{field} << 3) | kLengthDelimited);
  AppendVarint(out, bytes.size());
  out.append(bytes);
}

}  // namespace

std::string CompressBody(std::string_view content, ContentCoding coding) {
  z_stream stream{};
  const int window_bits = coding == ContentCoding::kGzip ? 16 + MAX_WBITS : MAX_WBITS;
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(content.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
  stream.avail_in = static_cast<uInt>(content.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string EncodeRemoteWrite(const std::vector<RemoteSeries>& series) {
  std::string request, encoded_series, item;
  for (const RemoteSeries& one : series) {
    encoded_series.clear();
    for (const Label& label : one.labels) {
      item.clear();
      AppendBytes(item, 1, label.name);
      AppendBytes(item, 2, label.value);
      AppendBytes(encoded_series, 1, item);
    }
    for (const auto& [timestamp, value] : one.samples) {
      item.clear();
      item.push_back(static_cast<char>((1 << 3) | kFixed64));
      const auto bits = std::bit_cast<std::uint64_t>(value);
      for (int shift = 0; shift < 64; shift += 8) item.push_back(static_cast<char>(bits >> shift));
      AppendVarint(item, (2 << 3) | kVarint);
      AppendVarint(item, static_cast<std::uint64_t>(timestamp));
      AppendBytes(encoded_series, 2, item);
    }
    AppendBytes(request, 1, encoded_series);
  }
  std::string compressed;
  snappy::Compress(request.data(), request.size(), &compressed);
  return compressed;
}

}  // namespace chiso::ingest::testing
