// Request bodies in snappy's block format
// (https://github.com/google/snappy/blob/main/format_description.txt), as the Prometheus remote
// protocols send them (remote write 1.0, remote read). No I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace chiso {

// The decompressed `body`. InvalidArgument when its length header is malformed (the message ends
// with `sender_note`, what the sender should send) or the data are corrupt or truncated;
// ResourceExhausted, before decompressing, when the header announces more than `max_bytes` (the
// message ends with `narrow_hint`, how to send less).
Result<std::string> DecompressSnappyBody(std::string_view body, std::size_t max_bytes,
                                         std::string_view sender_note,
                                         std::string_view narrow_hint);

}  // namespace chiso
