#include "ingest/testing/bodies.h"

#include <zlib.h>

#include "common/write_request.h"

namespace chiso::ingest::testing {

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
  return SnappyCompress(EncodeWriteRequest(series));
}

}  // namespace chiso::ingest::testing
