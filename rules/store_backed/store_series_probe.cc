#include "rules/store_backed/store_series_probe.h"

namespace chiso::rules {
Result<std::vector<LatestSeriesValue>> StoreSeriesProbe::Latest(
    std::span<const LabelMatcher> matchers) const {
  QueryLimits limits;
  limits.max_series = kMaxProbedSeries;
  auto latest = store_->Latest(matchers, limits);
  if (!latest.ok()) return latest.status();
  std::vector<LatestSeriesValue> out;
  out.reserve(latest->size());
  for (const LatestSample& series : *latest) {
    LatestSeriesValue value;
    value.labels = series.labels;
    value.latest = {series.sample.timestamp, series.sample.value, series.sample.arrived_at};
    out.push_back(std::move(value));
  }
  return out;
}

}  // namespace chiso::rules
