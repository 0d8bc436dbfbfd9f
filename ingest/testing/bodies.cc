#include "ingest/testing/bodies.h"

#include <zlib.h>

#include "common/deflate_body.h"
#include "common/write_request.h"

namespace chiso::ingest::testing {

std::string CompressBody(std::string_view content, ContentCoding coding) {
  return Deflate(content,
                 coding == ContentCoding::kGzip ? DeflateFormat::kGzip : DeflateFormat::kZlib,
                 Z_DEFAULT_COMPRESSION);
}

std::string EncodeRemoteWrite(const std::vector<RemoteSeries>& series) {
  return SnappyCompress(EncodeWriteRequest(series));
}

}  // namespace chiso::ingest::testing
