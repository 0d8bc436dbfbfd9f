#include "remote_read/query_executor.h"

#include <algorithm>
#include <string>

#include "remote_read/plan_series.h"

namespace chiso::remote_read {
namespace {

// ResourceExhausted: `what` went past a bound, and how to narrow the query.
Status TooLarge(const std::string& what) {
  return Status::ResourceExhausted(
      what +
      "; narrow the query with matchers on unit, indicator or __name__, or a shorter time "
      "range");
}

std::string MoreThan(std::size_t bound, const char* what) {
  return "query selects more than " + std::to_string(bound) + " " + what;
}

}  // namespace

Result<std::vector<ReadSeries>> ExecuteQuery(const Store& store, const catalog::Catalog* catalog,
                                             const Query& query, const SeriesFilter& visible,
                                             const QueryBounds& bounds) {
  std::vector<ReadSeries> out;
  std::vector<LabelMatcher> stored_matchers;
  for (const LabelMatcher& matcher : query.matchers) {
    if (matcher.name() != kStoreLabel) {
      stored_matchers.push_back(matcher);
    } else if (!matcher.Matches(kStoreName)) {
      return out;
    }
  }
  const TimestampMs from = std::max(query.start_ms, kMinSampleTimestamp);
  const TimestampMs to = std::min(query.end_ms, kMaxSampleTimestamp);
  if (from > to) return out;

  // The samples bound holds while reading, over every series selected, so that a query never
  // holds more in memory; the series bound is counted below, over visible series only.
  auto stored = store.Select(stored_matchers, from, to, {0, bounds.max_samples});
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kResourceExhausted)
      return TooLarge(stored.status().message());
    return stored.status();
  }
  for (SeriesSamples& one : *stored) {
    if (!visible(one.labels)) continue;
    ReadSeries series{WithStoreLabel(std::move(one.labels)), {}};
    series.points.reserve(one.samples.size());
    for (const StoredSample& s : one.samples) series.points.push_back({s.timestamp, s.value});
    out.push_back(std::move(series));
  }
  if (catalog != nullptr) {
    auto plan = PlanSeries(*catalog, query.matchers, from, to, StoreFirstReading(store));
    if (!plan.ok()) return plan.status();
    for (ReadSeries& one : *plan) {
      if (visible(one.labels)) out.push_back(std::move(one));
    }
  }

  if (out.size() > bounds.max_series) return TooLarge(MoreThan(bounds.max_series, "series"));
  std::size_t samples = 0;
  for (const ReadSeries& one : out) samples += one.points.size();
  if (samples > bounds.max_samples) return TooLarge(MoreThan(bounds.max_samples, "samples"));
  std::sort(out.begin(), out.end(),
            [](const ReadSeries& a, const ReadSeries& b) { return a.labels < b.labels; });
  return out;
}

}  // namespace chiso::remote_read
