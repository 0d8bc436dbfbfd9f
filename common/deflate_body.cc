#include "common/deflate_body.h"

#include <zlib.h>

namespace chiso {

std::string Deflate(std::string_view content, DeflateFormat format, int level) {
  z_stream stream{};
  const int window_bits = format == DeflateFormat::kGzip ? 16 + MAX_WBITS : MAX_WBITS;
  if (deflateInit2(&stream, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(content.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(content.data()));
  stream.avail_in = static_cast<uInt>(content.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);  // the output has deflateBound's room: one call finishes
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace chiso
