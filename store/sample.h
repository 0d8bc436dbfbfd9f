// The store's data model. A series is a metric name plus labels (Prometheus convention: the name
// is the label `__name__`); a sample is one reading (chỉ số) of a series at one instant, with its
// provenance: who wrote it and when it reached chiso.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/labels.h"
#include "common/naming.h"
#include "common/status.h"

namespace chiso {

// Earliest and latest instants the store accepts: 1970-01-01T00:00:00.000Z and
// 2262-04-11T23:47:16.854Z, the last millisecond an int64 count of nanoseconds can express, so
// every stored instant converts losslessly to Prometheus remote-read and InfluxDB precision.
inline constexpr TimestampMs kMinSampleTimestamp = 0;
inline constexpr TimestampMs kMaxSampleTimestamp = 9'223'372'036'854;

// Size limits the store enforces on every sample (ingest may enforce tighter ones).
inline constexpr std::size_t kMaxLabelBytes = std::size_t{16} << 10;  // one label name or value
inline constexpr std::size_t kMaxLabelsPerSeries = 64;
inline constexpr std::size_t kMaxWriterBytes = 256;
inline constexpr std::size_t kMaxCommentBytes = std::size_t{16} << 10;

// Ok when `labels` is a valid series identity (see Labels); otherwise InvalidArgument naming the
// offending label.
Status ValidateLabels(const Labels& labels);

// One reading to store.
struct Sample {
  Labels labels;
  TimestampMs timestamp = 0;   // kMinSampleTimestamp..kMaxSampleTimestamp, in any order
  double value = 0;            // any IEEE-754 value, NaN included; stored bit-exactly
  std::string writer;          // token name or source system; "" when unknown
  TimestampMs arrived_at = 0;  // when the reading reached chiso (judges report timeliness)
  std::optional<std::string> comment;
};

// Samples applied together, all or nothing, by Store::Write.
using SampleBatch = std::vector<Sample>;

// A sample as stored.
struct StoredSample {
  TimestampMs timestamp = 0;
  double value = 0;
  std::uint32_t revision = 0;  // how many times the value or comment changed; 0 = never
  std::string writer;          // writer of the current value
  TimestampMs arrived_at = 0;  // arrival of the current value
  std::optional<std::string> comment;
  // Arrival of the first value (revision 0), kept across corrections: when the reading was
  // first reported, which judges report timeliness. Equal to arrived_at while revision is 0.
  TimestampMs first_arrived_at = 0;

  friend bool operator==(const StoredSample&, const StoredSample&) = default;
};

struct SeriesSamples {
  Labels labels;
  std::vector<StoredSample> samples;  // ascending timestamps
};

struct LatestSample {
  Labels labels;
  StoredSample sample;  // the sample with the greatest timestamp of the series
};

// One change of a stored sample (hiệu chỉnh): what it was, what it became, who changed it.
struct AuditEntry {
  TimestampMs timestamp = 0;   // the sample's instant
  std::uint32_t revision = 0;  // the sample's revision after this change (1 for the first)
  TimestampMs changed_at = 0;  // when the store applied the change (StoreOptions::clock)
  double old_value = 0;
  double new_value = 0;
  std::string old_writer;
  std::string new_writer;
  TimestampMs old_arrived_at = 0;
  TimestampMs new_arrived_at = 0;
  std::optional<std::string> old_comment;
  std::optional<std::string> new_comment;
};

struct SeriesAudit {
  Labels labels;
  std::vector<AuditEntry> entries;  // by sample timestamp, then revision
};

// What a Write did. inserted + changed + unchanged == batch size.
struct WriteSummary {
  std::size_t inserted = 0;   // samples at a (series, timestamp) not stored before
  std::size_t changed = 0;    // stored samples whose value or comment changed: one audit entry each
  std::size_t unchanged = 0;  // identical rewrites, left untouched (writer and arrival kept)
  std::size_t new_series = 0;  // series seen for the first time
};

// What Store::ChangedSeries answers.
struct SeriesChanges {
  std::uint64_t generation = 0;  // pass as `since` next time
  std::vector<Labels> series;
};

// Bounds on what one query may return; 0 means unbounded. A query that would exceed a bound
// fails with ResourceExhausted instead of returning a truncated answer.
struct QueryLimits {
  std::size_t max_series = 0;
  std::size_t max_samples = 0;
};

}  // namespace chiso
