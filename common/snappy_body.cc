#include "common/snappy_body.h"

#include <snappy.h>

namespace chiso {

Result<std::string> DecompressSnappyBody(std::string_view body, std::size_t max_bytes,
                                         std::string_view sender_note,
                                         std::string_view narrow_hint) {
  std::size_t length = 0;
  if (!snappy::GetUncompressedLength(body.data(), body.size(), &length)) {
    return Status::InvalidArgument(
        "body is not snappy block-compressed (its length header is malformed); " +
        std::string(sender_note));
  }
  if (length > max_bytes) {
    return Status::ResourceExhausted("body decompresses to " + std::to_string(length) +
                                     " bytes; at most " + std::to_string(max_bytes) +
                                     " are allowed: " + std::string(narrow_hint));
  }
  std::string message;
  if (!snappy::Uncompress(body.data(), body.size(), &message)) {
    return Status::InvalidArgument(
        "body is not valid snappy block-compressed data (corrupt or truncated)");
  }
  return message;
}

}  // namespace chiso
