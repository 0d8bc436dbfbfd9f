// The WriteRequest message of Prometheus remote write 1.0 (prompb.WriteRequest: timeseries of
// labels and float samples; no metadata, exemplars or histograms), encoded and decoded by hand
// with protobuf_wire, and its snappy-compressed body as senders POST it. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/labels.h"
#include "common/status.h"

namespace chiso {

// One series of a WriteRequest.
struct WriteRequestSeries {
  Labels labels;
  std::vector<std::pair<TimestampMs, double>> samples;
};

// The uncompressed protobuf encoding of a WriteRequest holding `series`, in order. Two encodings
// concatenated are the encoding of one request holding the series of both.
std::string EncodeWriteRequest(const std::vector<WriteRequestSeries>& series);

// The series of an uncompressed WriteRequest; fields other than labels and float samples are
// skipped. InvalidArgument (ProtoReader's message) when `message` is not a WriteRequest.
Result<std::vector<WriteRequestSeries>> DecodeWriteRequest(std::string_view message);

// The body a remote-write sender POSTs: `message` compressed in snappy's block format.
std::string SnappyCompress(std::string_view message);

}  // namespace chiso
