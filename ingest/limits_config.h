// The `ingest:` section of the service configuration, read into IngestLimits:
//
//   ingest:
//     max_items_per_request: 200000     # readings, rows or samples per request (413 beyond)
//     max_labels_per_series: 32
//     max_label_name_bytes: 256
//     max_label_value_bytes: 4096
//     max_comment_bytes: 4096
//     max_decompressed_bytes: 67108864  # a body after snappy, gzip or deflate (413 beyond)
//     max_future_skew: 10m              # how far ahead of now a timestamp may lie
//     rate_samples_per_second: 0        # per token; 0: no limit (429 with Retry-After beyond)
//     rate_burst_seconds: 10
//     max_in_flight_bytes: 268435456    # bodies being processed at once (503 beyond)
//     max_listed_errors: 1000
//
// Absent keys keep their defaults (limits.h).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "common/diagnostic.h"
#include "ingest/limits.h"

namespace chiso::ingest {

// Overwrites the fields of `limits` that `node` sets; each bad or unknown key becomes a
// "file:line: reason" problem and leaves its field unchanged.
void ReadIngestLimits(const YAML::Node& node, const std::string& file, IngestLimits* limits,
                      Diagnostics* problems);

}  // namespace chiso::ingest
