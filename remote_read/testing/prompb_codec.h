// Remote-read messages encoded and decoded with the C++ protoc generates from Prometheus' own
// .proto files (testing/prompb/), for tests: requests as Prometheus sends them, answers read as
// Prometheus reads them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remote.pb.h"

namespace chiso::remote_read::testing {

// `request` serialised and snappy-compressed, as Prometheus' client sends it.
std::string EncodeReadRequest(const prometheus::ReadRequest& request);

// A Query over [start_ms, end_ms] with (type, name, value) matchers.
struct MatcherSpec {
  prometheus::LabelMatcher::Type type;
  std::string name;
  std::string value;
};
prometheus::Query MakeQuery(std::int64_t start_ms, std::int64_t end_ms,
                            const std::vector<MatcherSpec>& matchers);

// A SAMPLES body (snappy, then ReadResponse); nullopt when either layer does not parse.
std::optional<prometheus::ReadResponse> DecodeSamplesResponse(std::string_view body);

// The messages of a STREAMED_XOR_CHUNKS body, read frame by frame as Prometheus' ChunkedReader
// does: uvarint length, big-endian CRC-32C (computed here bit by bit, independently of chiso's
// table), message. On a bad frame, `error` says what and the frames before it are returned.
std::vector<prometheus::ChunkedReadResponse> DecodeFrames(std::string_view body,
                                                          std::string* error);

}  // namespace chiso::remote_read::testing
