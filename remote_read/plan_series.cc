#include "remote_read/plan_series.h"

#include <algorithm>
#include <set>
#include <string>

namespace chiso::remote_read {
namespace {

// A time range, both ends included; empty when from > to.
struct Range {
  TimestampMs from = 0;
  TimestampMs to = 0;

  bool Contains(TimestampMs t) const { return from <= t && t <= to; }
  Range Clip(TimestampMs lo, TimestampMs hi) const {
    return {std::max(from, lo), std::min(to, hi)};
  }
};

// The last millisecond of every period of `kind` that ends within `range`.
void AddPeriodEnds(PeriodKind kind, const TimeZone& zone, Range range,
                   std::set<TimestampMs>* instants) {
  if (range.from > range.to) return;
  for (const Period& period :
       PeriodsEndingWithin(kind, LocalDate(range.from, zone), LocalDate(range.to, zone))) {
    const TimestampMs end = EndOfDay(period.LastDay(), zone);
    if (range.Contains(end)) instants->insert(end);
  }
}

Labels PlanLabels(std::string_view metric, const std::string& unit, const catalog::Target& target) {
  Labels labels{{std::string(kMetricNameLabel), std::string(metric)},
                {std::string(kIndicatorLabel), target.indicator},
                {std::string(kOfficeLabel), target.office},
                {std::string(kUnitLabel), unit}};
  SortLabels(labels);
  return WithStoreLabel(std::move(labels));
}

Labels WithMilestone(Labels labels, const CivilDate& date) {
  labels.push_back({std::string(kMilestoneLabel), date.ToString()});
  SortLabels(labels);
  return labels;
}

// Whether the matchers can select some chiso_plan_target series of these labels, whatever its
// milestone.
bool MaySelectTargets(std::span<const LabelMatcher> matchers, const Labels& labels) {
  return std::all_of(matchers.begin(), matchers.end(), [&](const LabelMatcher& matcher) {
    return matcher.name() == kMilestoneLabel || matcher.Matches(LabelValue(labels, matcher.name()));
  });
}

// The series of one plan target.
class TargetSeries {
 public:
  TargetSeries(const catalog::Indicator& indicator, const TimeZone& zone,
               const rules::Trajectory& path, Range query)
      : indicator_(indicator), zone_(zone), path_(path), query_(query) {}

  std::vector<Point> Expected(const std::vector<rules::Checkpoint>& checkpoints) const {
    const Range span = query_.Clip(path_.start_at(), checkpoints.back().due);
    std::set<TimestampMs> instants;
    if (query_.Contains(path_.start_at())) instants.insert(path_.start_at());
    for (const rules::Checkpoint& checkpoint : checkpoints) {
      if (span.Contains(checkpoint.due)) instants.insert(checkpoint.due);
      const TimestampMs year_start = StartOfDay(CivilDate{checkpoint.date.year, 1, 1}, zone_);
      if (path_.per_year() && span.Contains(year_start)) instants.insert(year_start);
    }
    AddPeriodEnds(indicator_.period, zone_, span, &instants);
    std::vector<Point> points;
    for (TimestampMs t : instants) points.push_back({t, path_.ExpectedAt(t)});
    return points;
  }

  std::vector<Point> Target(const rules::Checkpoint& checkpoint) const {
    const TimestampMs start = path_.per_year() ? checkpoint.segment_start : path_.start_at();
    if (start > checkpoint.due) return {};
    const Range span = query_.Clip(start, checkpoint.due);
    std::set<TimestampMs> instants;
    for (TimestampMs end : {start, checkpoint.due}) {
      if (span.Contains(end)) instants.insert(end);
    }
    AddPeriodEnds(indicator_.period, zone_, span, &instants);
    std::vector<Point> points;
    for (TimestampMs t : instants) points.push_back({t, checkpoint.target});
    return points;
  }

 private:
  const catalog::Indicator& indicator_;
  const TimeZone& zone_;
  const rules::Trajectory& path_;
  Range query_;
};

}  // namespace

Result<std::vector<ReadSeries>> PlanSeries(const catalog::Catalog& catalog,
                                           std::span<const LabelMatcher> matchers, TimestampMs from,
                                           TimestampMs to,
                                           const FirstReadingLookup& first_reading) {
  std::vector<ReadSeries> out;
  if (from > to) return out;
  for (const catalog::Plan& plan : catalog.plans) {
    const catalog::Unit* unit = catalog.FindUnit(plan.unit);
    const TimeZone zone = unit != nullptr ? unit->zone : TimeZone{};
    for (const catalog::Target& target : plan.targets) {
      const catalog::Indicator* indicator = catalog.FindIndicator(target.indicator);
      if (indicator == nullptr || target.milestones.empty()) continue;
      Labels expected_labels = PlanLabels(kPlanExpectedMetric, plan.unit, target);
      const Labels target_labels = PlanLabels(kPlanTargetMetric, plan.unit, target);
      const bool wants_expected = MatchesAll(matchers, expected_labels);
      if (!wants_expected && !MaySelectTargets(matchers, target_labels)) continue;

      std::vector<rules::Reading> first;
      const bool per_year = indicator->accumulate == catalog::Indicator::Accumulate::kYear;
      if (!target.baseline || per_year) {
        auto reading = first_reading(plan.unit, target.indicator);
        if (!reading.ok()) return reading.status();
        if (*reading) first.push_back(**reading);
      }
      const std::optional<rules::Trajectory> path =
          rules::Trajectory::Build(*indicator, target, zone, first);
      if (!path) continue;
      const std::vector<rules::Checkpoint> checkpoints =
          path->Checkpoints(target.milestones.back().date.year);
      if (checkpoints.empty()) continue;
      const TargetSeries series(*indicator, zone, *path, Range{from, to});

      if (wants_expected) {
        std::vector<Point> points = series.Expected(checkpoints);
        if (!points.empty()) out.push_back({std::move(expected_labels), std::move(points)});
      }
      for (const rules::Checkpoint& checkpoint : checkpoints) {
        Labels labels = WithMilestone(target_labels, checkpoint.date);
        if (!MatchesAll(matchers, labels)) continue;
        std::vector<Point> points = series.Target(checkpoint);
        if (!points.empty()) out.push_back({std::move(labels), std::move(points)});
      }
    }
  }
  return out;
}

}  // namespace chiso::remote_read
