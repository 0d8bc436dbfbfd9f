// IngestLimits: bounds on what one write request may carry and how fast a token may write.
// Every field documents its default; the service reads them at start-up.
#pragma once

#include <chrono>
#include <cstddef>

namespace chiso::ingest {

struct IngestLimits {
  // Items (readings, CSV rows, samples) in one request; a larger request is refused whole with
  // 413 before anything is stored. Default: 200,000.
  std::size_t max_items_per_request = 200'000;

  // Bytes a compressed body may decompress to: remote write's snappy (refused with 413 before it
  // is decompressed) and gzip or deflate on the other endpoints (413 as soon as decompression
  // passes it). Default: 64 MiB.
  std::size_t max_decompressed_bytes = std::size_t{64} << 20;

  // Labels of one series, `__name__` included. Default: 32.
  std::size_t max_labels_per_series = 32;
  // Bytes of one label name. Default: 256.
  std::size_t max_label_name_bytes = 256;
  // Bytes of one label value. Default: 4096.
  std::size_t max_label_value_bytes = 4096;
  // Bytes of a reading's comment. Default: 4096.
  std::size_t max_comment_bytes = 4096;

  // How far past "now" a reading's `time` (or an Influx / remote-write timestamp) may lie, for
  // clocks that run ahead. Default: 10 minutes.
  std::chrono::milliseconds max_future_skew{std::chrono::minutes(10)};

  // Samples per second each token may write, averaged over `rate_burst_seconds`; beyond it the
  // answer is 429 with Retry-After. 0 disables the limit. Default: 0 (no limit).
  double rate_samples_per_second = 0;
  // How many seconds of `rate_samples_per_second` a token may send at once. Default: 10.
  double rate_burst_seconds = 10;

  // Bytes of request bodies (and of their gzip or deflate content, once decompressed) being
  // decoded and written at the same time, across all tokens;
  // past it the answer is 503 with Retry-After, so memory stays bounded. Default: 256 MiB.
  std::size_t max_in_flight_bytes = std::size_t{256} << 20;

  // Rejected items listed one by one in an answer; the rest are counted. Default: 1000.
  std::size_t max_listed_errors = 1000;
};

}  // namespace chiso::ingest
