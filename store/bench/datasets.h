// The two data sets of the disk-size benchmark, generated deterministically so that chiso and
// VictoriaMetrics ingest exactly the same samples:
//   (a) communes: 3,321 communes x 60 indicators x 60 monthly readings (11,955,600 samples),
//       stored at each month's end (Asia/Ho_Chi_Minh), months 2021-11..2026-10; values are
//       percentages with one decimal, cumulative counts, or ratios with two decimals; each
//       commune's monthly report (its 60 readings) arrives 1-10 days after the month, sent by
//       one of three writers.
//   (b) minutely: 10,000 series x 1 sample per minute for 30 days (432,000,000 samples),
//       2026-10-01..2026-10-30 UTC; half counters (integer increments), half gauges (two
//       decimals); each minute's scrape round (all 10,000 samples) arrives 0-2 s after it.
// Samples are produced in time order (all series of one month, or of one minute), the order in
// which real reports and scrapes arrive.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/sample.h"

namespace chiso::bench {

struct DatasetShape {
  std::string name;  // "a" or "b"
  std::uint64_t series = 0;
  std::uint64_t steps = 0;  // samples per series
  std::uint64_t samples() const { return series * steps; }
};

// `days` shortens data set (b) for quick runs (default 30).
DatasetShape ShapeOf(std::string_view dataset, int days = 30);

// Calls `emit` with batches of at most `batch_size` samples, in time order.
void GenerateDataset(const DatasetShape& shape, std::size_t batch_size,
                     const std::function<void(const SampleBatch&)>& emit);

// Writes the data set as InfluxDB line protocol (timestamps in ms) to stdout:
//   (a) chiso,indicator=ind_07,unit=xa_0001 reading=57.3 1761929999999
//   (b) upstream,series=s00001,source=src_01 gauge=12.5 1790812800000
// which VictoriaMetrics stores as chiso_reading{...} and upstream_gauge{...}, the series names
// and labels GenerateDataset uses.
void WriteLineProtocol(const DatasetShape& shape);

}  // namespace chiso::bench
