// Compression of answers for the clients that ask for it (RFC 9110 §12.5.3): browsers on a
// phone's connection, Prometheus scraping /metrics (it sends Accept-Encoding: gzip).
//
// An answer is sent gzip-compressed when the request's Accept-Encoding accepts gzip (also as
// "x-gzip" or "*", with a q-value above 0), its body is at least kMinCompressedBytes, its type is
// text (text/*, JSON, JavaScript, SVG) and it has no Content-Encoding already (remote read's
// snappy, files such as .xlsx). Every answer of a compressible type says Vary: Accept-Encoding,
// so caches keep the two forms apart. zlib's fastest level: most of the saving of text this
// repetitive at a fraction of the time of the default level.
#pragma once

#include <cstddef>
#include <string_view>

#include "api/http_message.h"

namespace chiso::api {

inline constexpr std::size_t kMinCompressedBytes = 1024;

// Whether an Accept-Encoding header value accepts gzip.
bool AcceptsGzip(std::string_view accept_encoding);

// Compresses `response` in place as the file comment says.
void CompressForClient(std::string_view accept_encoding, HttpResponse* response);

}  // namespace chiso::api
