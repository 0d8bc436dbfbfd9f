#include "rules/store_series_probe.h"

namespace chiso::rules {
namespace {

LabelMatcher::Op StoreOp(SeriesMatcher::Op op) {
  switch (op) {
    case SeriesMatcher::Op::kEqual:
      return LabelMatcher::Op::kEqual;
    case SeriesMatcher::Op::kNotEqual:
      return LabelMatcher::Op::kNotEqual;
    case SeriesMatcher::Op::kRegexMatch:
      return LabelMatcher::Op::kRegexMatch;
    case SeriesMatcher::Op::kRegexNoMatch:
      return LabelMatcher::Op::kRegexNoMatch;
  }
  return LabelMatcher::Op::kEqual;
}

}  // namespace

Result<std::vector<LatestSeriesValue>> StoreSeriesProbe::Latest(
    std::span<const SeriesMatcher> matchers) const {
  std::vector<LabelMatcher> store_matchers;
  store_matchers.reserve(matchers.size());
  for (const SeriesMatcher& m : matchers) {
    auto matcher = LabelMatcher::Make(StoreOp(m.op()), m.name(), m.value());
    if (!matcher.ok()) return matcher.status();
    store_matchers.push_back(std::move(matcher.value()));
  }
  QueryLimits limits;
  limits.max_series = kMaxProbedSeries;
  auto latest = store_->Latest(store_matchers, limits);
  if (!latest.ok()) return latest.status();
  std::vector<LatestSeriesValue> out;
  out.reserve(latest->size());
  for (const LatestSample& series : *latest) {
    LatestSeriesValue value;
    for (const Label& label : series.labels) value.labels.emplace(label.name, label.value);
    value.latest = {series.sample.timestamp, series.sample.value, series.sample.arrived_at};
    out.push_back(std::move(value));
  }
  return out;
}

}  // namespace chiso::rules
