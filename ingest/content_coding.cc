#include "ingest/content_coding.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>

#include "ingest/text.h"

namespace chiso::ingest {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A zlib (RFC 1950) header: compression method 8 with a window of at most 32 KiB, and a check
// value that makes the first two bytes a multiple of 31. Anything else is raw deflate data.
bool HasZlibHeader(std::string_view body) {
  if (body.size() < 2) return false;
  const auto cmf = static_cast<unsigned char>(body[0]);
  const auto flg = static_cast<unsigned char>(body[1]);
  return (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
}

// Owns a zlib inflate stream.
class Inflater {
 public:
  explicit Inflater(int window_bits) { ready_ = inflateInit2(&stream_, window_bits) == Z_OK; }
  ~Inflater() {
    if (ready_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  bool ready() const { return ready_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ready_ = false;
};

constexpr std::size_t kFirstOutputBytes = 64 * 1024;

}  // namespace

std::string_view ContentCodingName(ContentCoding coding) {
  switch (coding) {
    case ContentCoding::kIdentity:
      return "identity";
    case ContentCoding::kGzip:
      return "gzip";
    case ContentCoding::kDeflate:
      return "deflate";
    case ContentCoding::kSnappy:
      return "snappy";
  }
  return "identity";
}

std::optional<ContentCoding> ParseContentCoding(std::string_view header) {
  const std::string name = Lower(TrimSpaces(header));
  if (name.empty() || name == "identity") return ContentCoding::kIdentity;
  if (name == "gzip" || name == "x-gzip") return ContentCoding::kGzip;
  if (name == "deflate") return ContentCoding::kDeflate;
  if (name == "snappy") return ContentCoding::kSnappy;
  return std::nullopt;
}

Result<std::string> DecompressBody(std::string_view body, ContentCoding coding,
                                   std::size_t max_bytes) {
  if (coding != ContentCoding::kGzip && coding != ContentCoding::kDeflate) {
    return Status::InvalidArgument("DecompressBody handles gzip and deflate, not " +
                                   std::string(ContentCodingName(coding)));
  }
  const std::string name(ContentCodingName(coding));
  if (body.empty()) return std::string();

  const bool gzip = coding == ContentCoding::kGzip;
  Inflater inflater(gzip ? 16 + MAX_WBITS : (HasZlibHeader(body) ? MAX_WBITS : -MAX_WBITS));
  if (!inflater.ready()) return Status::Internal("zlib could not start inflating");
  z_stream& stream = inflater.stream();

  // One more byte than allowed tells a content of exactly `max_bytes` from a larger one.
  const std::size_t capacity = max_bytes == SIZE_MAX ? max_bytes : max_bytes + 1;
  std::string out;
  std::size_t produced = 0;
  std::size_t fed = 0;  // body bytes handed to zlib so far
  const auto consumed = [&] { return fed - stream.avail_in; };
  const auto too_large = [&] {
    return Status::ResourceExhausted("body decompresses (Content-Encoding: " + name +
                                     ") to more than " + std::to_string(max_bytes) +
                                     " bytes, the limit; send smaller batches");
  };
  for (;;) {
    if (stream.avail_in == 0 && fed < body.size()) {
      const std::size_t chunk = std::min<std::size_t>(body.size() - fed, UINT_MAX);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data() + fed));
      stream.avail_in = static_cast<uInt>(chunk);
      fed += chunk;
    }
    if (produced == out.size()) {
      if (out.size() == capacity) return too_large();
      const std::size_t grown = std::max(kFirstOutputBytes, out.size() * 2);
      out.resize(std::min({grown, capacity, out.size() + std::size_t{UINT_MAX}}));
    }
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(out.size() - produced);
    const int result = inflate(&stream, Z_NO_FLUSH);
    produced = out.size() - stream.avail_out;
    if (produced > max_bytes) return too_large();

    if (result == Z_STREAM_END) {
      const std::size_t rest = body.size() - consumed();
      if (rest == 0) break;
      if (!gzip) {
        return Status::InvalidArgument("deflate body has " + std::to_string(rest) +
                                       " bytes after the end of its compressed data (at byte " +
                                       std::to_string(consumed()) + ")");
      }
      // Another gzip member follows; a non-gzip byte there fails its header check below.
      if (inflateReset(&stream) != Z_OK) return Status::Internal("zlib could not reset");
      continue;
    }
    if (result == Z_OK) continue;
    if (result == Z_BUF_ERROR) {
      // No progress although there was room to write: the body ended before the compressed data.
      return Status::InvalidArgument("body is not valid " + name + " data: it is truncated (its " +
                                     std::to_string(body.size()) +
                                     " bytes end inside the compressed data)");
    }
    if (result == Z_MEM_ERROR) return Status::ResourceExhausted("out of memory decompressing");
    const std::string why = result == Z_NEED_DICT
                                ? "it needs a preset dictionary"
                                : (stream.msg != nullptr ? stream.msg : "corrupt data");
    return Status::InvalidArgument("body is not valid " + name + " data (" + why + " at byte " +
                                   std::to_string(consumed()) + ")");
  }
  out.resize(produced);
  return out;
}

}  // namespace chiso::ingest
