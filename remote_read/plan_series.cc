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

  // `start`: where the checkpoint's target line starts (PlanPath::TargetStart).
  std::vector<Point> Target(const rules::Checkpoint& checkpoint, TimestampMs start) const {
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
  const auto wanted = [&](const Labels& expected_labels, const Labels& target_labels) {
    return MatchesAll(matchers, expected_labels) || MaySelectTargets(matchers, target_labels);
  };
  const Status walked = ForEachPlanPath(catalog, wanted, first_reading, [&](const PlanPath& plan) {
    const TargetSeries series(*plan.indicator, plan.zone, plan.path, Range{from, to});
    if (MatchesAll(matchers, plan.expected_labels)) {
      std::vector<Point> points = series.Expected(plan.checkpoints);
      if (!points.empty()) out.push_back({plan.expected_labels, std::move(points)});
    }
    for (const rules::Checkpoint& checkpoint : plan.checkpoints) {
      Labels labels = plan.TargetLabels(checkpoint);
      if (!MatchesAll(matchers, labels)) continue;
      std::vector<Point> points = series.Target(checkpoint, plan.TargetStart(checkpoint));
      if (!points.empty()) out.push_back({std::move(labels), std::move(points)});
    }
  });
  if (!walked.ok()) return walked;
  return out;
}

}  // namespace chiso::remote_read
