// The WriteRequest message of Prometheus remote write 1.0 (prompb.WriteRequest: timeseries of
// labels and float samples; no metadata, exemplars or histograms), encoded and decoded by hand
// with protobuf_wire, and its snappy-compressed body as senders POST it. No I/O.
#pragma once

#include <functional>
#include <span>
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

// One series of an encoded WriteRequest, read without copying: views into the message.
struct WriteRequestSeriesView {
  struct Label {
    std::string_view name;
    std::string_view value;
  };
  std::vector<Label> labels;              // as encoded (a request's labels are sorted by name)
  std::vector<std::string_view> samples;  // each an encoded Sample message
};

// Calls visit(series) for each series of `message`, in order; the views point into `message` and
// the object is reused from one call to the next. Only what a relay needs is checked: the nesting
// of the fields. InvalidArgument (ProtoReader's message) when `message` is not a WriteRequest.
Status ForEachSeriesView(std::string_view message,
                         const std::function<void(const WriteRequestSeriesView&)>& visit);

// Appends to `out` one series field (timeseries, field 1) of a WriteRequest: `labels` in the
// given order, then `samples` (encoded Sample messages, as ForEachSeriesView gives them).
void AppendSeries(std::string& out, std::span<const WriteRequestSeriesView::Label> labels,
                  std::span<const std::string_view> samples);

// The body a remote-write sender POSTs: `message` compressed in snappy's block format.
std::string SnappyCompress(std::string_view message);

}  // namespace chiso
