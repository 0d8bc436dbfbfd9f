#include "remote_read/plan_paths.h"

#include <string>

#include "common/naming.h"
#include "remote_read/series.h"

namespace chiso::remote_read {
namespace {

Labels PlanLabels(std::string_view metric, const std::string& unit, const catalog::Target& target) {
  Labels labels{{std::string(kMetricNameLabel), std::string(metric)},
                {std::string(kIndicatorLabel), target.indicator},
                {std::string(kOfficeLabel), target.office},
                {std::string(kUnitLabel), unit}};
  SortLabels(labels);
  return WithStoreLabel(std::move(labels));
}

}  // namespace

FirstReadingLookup StoreFirstReading(const Store& store) {
  return [&store](std::string_view unit,
                  std::string_view indicator) -> Result<std::optional<rules::Reading>> {
    const LabelMatcher matchers[] = {
        LabelMatcher::Equal(std::string(kMetricNameLabel), std::string(kReadingMetric)),
        LabelMatcher::Equal(std::string(kUnitLabel), std::string(unit)),
        LabelMatcher::Equal(std::string(kIndicatorLabel), std::string(indicator))};
    auto series = store.Select(matchers, kMinSampleTimestamp, kMaxSampleTimestamp);
    if (!series.ok()) return series.status();
    std::optional<rules::Reading> first;
    for (const SeriesSamples& one : *series) {
      if (one.samples.empty()) continue;
      const StoredSample& s = one.samples.front();
      if (!first || s.timestamp < first->at) {
        first = rules::Reading(s.timestamp, s.value, s.arrived_at, s.first_arrived_at);
      }
    }
    return first;
  };
}

Labels PlanPath::TargetLabels(const rules::Checkpoint& checkpoint) const {
  Labels labels = target_labels;
  labels.push_back({std::string(kMilestoneLabel), checkpoint.date.ToString()});
  SortLabels(labels);
  return labels;
}

TimestampMs PlanPath::TargetStart(const rules::Checkpoint& checkpoint) const {
  return path.per_year() ? checkpoint.segment_start : path.start_at();
}

Status ForEachPlanPath(const catalog::Catalog& catalog, const PlanPathFilter& wanted,
                       const FirstReadingLookup& first_reading,
                       const std::function<void(const PlanPath&)>& visit) {
  for (const catalog::Plan& plan : catalog.plans) {
    const catalog::Unit* unit = catalog.FindUnit(plan.unit);
    const TimeZone zone = unit != nullptr ? unit->zone : TimeZone{};
    for (const catalog::Target& target : plan.targets) {
      const catalog::Indicator* indicator = catalog.FindIndicator(target.indicator);
      if (indicator == nullptr || target.milestones.empty()) continue;
      Labels expected_labels = PlanLabels(kPlanExpectedMetric, plan.unit, target);
      Labels target_labels = PlanLabels(kPlanTargetMetric, plan.unit, target);
      if (!wanted(expected_labels, target_labels)) continue;

      std::vector<rules::Reading> first;
      const bool per_year = indicator->accumulate == catalog::Indicator::Accumulate::kYear;
      if (!target.baseline || per_year) {
        auto reading = first_reading(plan.unit, target.indicator);
        if (!reading.ok()) return reading.status();
        if (*reading) first.push_back(**reading);
      }
      std::optional<rules::Trajectory> path =
          rules::Trajectory::Build(*indicator, target, zone, first);
      if (!path) continue;
      std::vector<rules::Checkpoint> checkpoints =
          path->Checkpoints(target.milestones.back().date.year);
      if (checkpoints.empty()) continue;
      visit(PlanPath{indicator, zone, std::move(*path), std::move(checkpoints),
                     std::move(expected_labels), std::move(target_labels)});
    }
  }
  return Status::Ok();
}

}  // namespace chiso::remote_read
