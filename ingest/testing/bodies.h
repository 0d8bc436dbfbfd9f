// Request bodies made the way senders make them, for tests, fuzzers, benchmarks and the load
// generator (library chiso_ingest_testing; the service itself never encodes a body).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/write_request.h"
#include "ingest/content_coding.h"
#include "store/sample.h"

namespace chiso::ingest::testing {

// `content` compressed as Telegraf sends it: one gzip member, or zlib-format deflate (`coding`
// must be kGzip or kDeflate).
std::string CompressBody(std::string_view content, ContentCoding coding);

// One series of a remote-write request.
using RemoteSeries = WriteRequestSeries;

// A snappy-compressed WriteRequest (remote write 1.0) holding `series`, as Prometheus sends it.
std::string EncodeRemoteWrite(const std::vector<RemoteSeries>& series);

}  // namespace chiso::ingest::testing
