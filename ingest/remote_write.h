// Prometheus remote write 1.0 (POST /api/v1/write): a snappy block-compressed protobuf
// WriteRequest (see remote_write.proto). Status codes the endpoint answers with follow the spec:
// 2xx stored, 4xx not to be retried (except 429), 5xx to be retried.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/raw_series.h"

namespace chiso::ingest {

// Series with an empty label value drop that label (Prometheus: empty means absent). A series
// without __name__, with a repeated label, a label past the limits, a sample outside the time
// bounds, a metric outside the token's prefixes or with native histograms is refused whole,
// named by its 0-based index. InvalidArgument when the body is not snappy (naming why) or not a
// WriteRequest (naming the byte of the decompressed message); ResourceExhausted when it
// decompresses to more than `max_decompressed_bytes` or holds more than
// limits.max_items_per_request samples.
// The media type remote write 1.0 names in Content-Type (the spec's `proto` parameter).
inline constexpr std::string_view kRemoteWriteProto = "prometheus.WriteRequest";

// Whether a request with this Content-Type holds a remote write 1.0 WriteRequest: OK when the
// header is absent or its `proto` parameter, if any, is prometheus.WriteRequest (senders of 1.0
// send application/x-protobuf, with or without it; other media types are not refused, as curl
// users send their own). InvalidArgument naming the supported proto otherwise, above all for
// Remote-Write 2.0's proto=io.prometheus.write.v2.Request, whose bodies must never be decoded as
// 1.0 (their fields would read as an empty request).
Status CheckRemoteWriteContentType(std::string_view content_type);

// The size `body` decompresses to, read from its snappy header without decompressing; nullopt
// when the header is malformed (DecodeRemoteWrite says why).
std::optional<std::size_t> RemoteWriteDecompressedSize(std::string_view body);

Result<DecodedSamples> DecodeRemoteWrite(std::string_view body, std::size_t max_decompressed_bytes,
                                         const RawSeriesContext& context);

}  // namespace chiso::ingest
