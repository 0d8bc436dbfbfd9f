// Encoding of remote-read responses (prometheus/prompb/remote.proto, types.proto), one result per
// query of the request, in the request's order; series as given (the caller sorts them).
//
// SAMPLES: one ReadResponse { repeated QueryResult results = 1; }, QueryResult { repeated
// TimeSeries timeseries = 1; }, TimeSeries { labels = 1; samples = 2 (double value = 1, int64
// timestamp = 2) }, snappy block-compressed; sent with Content-Type application/x-protobuf and
// Content-Encoding snappy.
//
// STREAMED_XOR_CHUNKS: a sequence of frames, each the uvarint length of a ChunkedReadResponse
// { repeated ChunkedSeries chunked_series = 1; int64 query_index = 2; }, the big-endian CRC-32C of
// its bytes, then the bytes (storage/remote/chunked.go). A frame holds one series' chunks
// (ChunkedSeries { labels = 1; repeated Chunk chunks = 2; }, Chunk { min_time_ms = 1; max_time_ms
// = 2; type = 3 (XOR = 1); bytes data = 4; }), each of at most kMaxSamplesPerChunk samples; a
// series whose chunks pass kMaxFrameBytes continues in the next frame. Not compressed.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "remote_read/series.h"

namespace chiso::remote_read {

inline constexpr std::string_view kSamplesContentType = "application/x-protobuf";
inline constexpr std::string_view kSamplesContentEncoding = "snappy";
inline constexpr std::string_view kStreamedContentType =
    "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
// Prometheus' read handler flushes a frame once its chunks pass 1 MiB.
inline constexpr std::size_t kMaxFrameBytes = std::size_t{1} << 20;

using QueryResult = std::vector<ReadSeries>;

// The snappy-compressed ReadResponse.
std::string EncodeSamplesResponse(std::span<const QueryResult> results);

// The frames of a ChunkedReadResponse stream.
std::string EncodeStreamedResponse(std::span<const QueryResult> results);

}  // namespace chiso::remote_read
