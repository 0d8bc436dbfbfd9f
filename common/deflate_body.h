// Compression of a whole body with zlib's deflate, in one call: gzip (RFC 1952) for HTTP answers
// to clients that accept it (api/response_compression.h), gzip or the zlib format (RFC 1950) for
// the request bodies test senders make.
#pragma once

#include <string>
#include <string_view>

namespace chiso {

enum class DeflateFormat { kGzip, kZlib };

// `content` compressed as one member of `format` at zlib's `level` (1 fastest … 9 smallest;
// -1 zlib's default, 6). Empty only when zlib cannot allocate its state.
std::string Deflate(std::string_view content, DeflateFormat format, int level);

}  // namespace chiso
