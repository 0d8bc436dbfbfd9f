// Content codings of write request bodies (the Content-Encoding header, RFC 9110 §8.4), as
// Telegraf, the InfluxDB and VictoriaMetrics clients send them: gzip (RFC 1952; concatenated
// members are one body, as gzip(1) and Go's gzip reader read them) and deflate (the zlib format of
// RFC 1950; raw RFC 1951 data is accepted too, as some clients send it). Remote write's snappy
// is decoded by remote_write itself.
//
// Decompression never holds more than the limit it is given: a body that inflates past it is
// refused as soon as it does (a "gzip bomb" costs at most `max_bytes` of memory).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace chiso::ingest {

enum class ContentCoding { kIdentity, kGzip, kDeflate, kSnappy };

// The header's name of the coding: "identity", "gzip", "deflate", "snappy".
std::string_view ContentCodingName(ContentCoding coding);

// A Content-Encoding header value: absent (""), "identity", "gzip" (or its alias "x-gzip"),
// "deflate", "snappy"; case-insensitive, surrounding spaces ignored. nullopt for any other coding
// and for a list of codings ("gzip, br"), which no sender of metrics applies.
std::optional<ContentCoding> ParseContentCoding(std::string_view header);

// Decompresses a `body` coded with kGzip or kDeflate (other codings: InvalidArgument). An empty
// body is an empty content. InvalidArgument naming the problem and
// its byte offset when the data is corrupt, truncated, or followed by bytes that are not another
// gzip member; ResourceExhausted when the content is larger than `max_bytes`.
Result<std::string> DecompressBody(std::string_view body, ContentCoding coding,
                                   std::size_t max_bytes);

}  // namespace chiso::ingest
