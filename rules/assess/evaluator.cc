#include "rules/assess/evaluator.h"

#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "rules/assess/derived.h"

namespace chiso::rules {
namespace {

// What one cycle reads of one unit.
struct UnitSeries {
  ReadingsByLabel indicators;   // by indicator code, derived ones computed
  ReadingsByLabel submissions;  // by report id
};

// Plans grouped by unit, units in order of their first plan.
std::vector<std::pair<const catalog::Unit*, std::vector<const catalog::Plan*>>> PlansByUnit(
    const catalog::Catalog& catalog) {
  std::vector<std::pair<const catalog::Unit*, std::vector<const catalog::Plan*>>> out;
  std::map<std::string, std::size_t, std::less<>> position;
  for (const catalog::Plan& plan : catalog.plans) {
    const catalog::Unit* unit = catalog.FindUnit(plan.unit);
    if (unit == nullptr) continue;  // the loader rejects this; never evaluate a dangling plan
    auto [it, added] = position.try_emplace(plan.unit, out.size());
    if (added) out.push_back({unit, {}});
    out[it->second].second.push_back(&plan);
  }
  return out;
}

Result<UnitSeries> ReadUnit(const catalog::Catalog& catalog, const ReadingSource& source,
                            const catalog::Unit& unit, std::span<const catalog::Plan* const> plans,
                            TimestampMs now) {
  UnitSeries out;
  auto indicators = source.GroupedReadings(unit.id, kReadingMetric, kIndicatorLabel);
  if (!indicators.ok()) return indicators.status();
  out.indicators = std::move(indicators.value());
  std::set<std::string, std::less<>> derived_done;
  for (const catalog::Plan* plan : plans) {
    for (const catalog::Target& target : plan->targets) {
      const catalog::Indicator* indicator = catalog.FindIndicator(target.indicator);
      if (indicator == nullptr || !indicator->formula ||
          !derived_done.insert(indicator->code).second) {
        continue;
      }
      auto numerator = source.SelectedReadings(unit.id, indicator->formula->numerator);
      if (!numerator.ok()) return numerator.status();
      auto denominator = source.SelectedReadings(unit.id, indicator->formula->denominator);
      if (!denominator.ok()) return denominator.status();
      std::vector<Reading> derived = DerivedReadings(*indicator->formula, indicator->period,
                                                     unit.zone, *numerator, *denominator, now);
      if (!derived.empty()) out.indicators[indicator->code] = std::move(derived);
    }
  }
  auto submissions = source.GroupedReadings(unit.id, kReportSubmissionMetric, kReportLabel);
  if (!submissions.ok()) return submissions.status();
  out.submissions = std::move(submissions.value());
  return out;
}

std::span<const Reading> ReadingsOf(const ReadingsByLabel& groups, std::string_view key) {
  auto it = groups.find(key);
  if (it == groups.end()) return {};
  return it->second;
}

// The report of `rule` (in `plan`) for `period`, judged from the unit's series.
ReportAssessment JudgeReport(const catalog::ReportingRule& rule, const catalog::Plan& plan,
                             const Period& period, const catalog::Unit& unit,
                             const UnitSeries& series, TimestampMs now) {
  const ReportWindow window = ReportWindowOf(rule, period, unit.zone);
  std::optional<TimestampMs> first =
      FirstArrivalWithin(ReadingsOf(series.submissions, rule.id), window);
  auto consider = [&](const std::string& indicator) {
    auto arrival = FirstArrivalWithin(ReadingsOf(series.indicators, indicator), window);
    if (arrival && (!first || *arrival < *first)) first = arrival;
  };
  if (rule.indicators) {
    for (const std::string& indicator : *rule.indicators) consider(indicator);
  } else {
    for (const catalog::Target& target : plan.targets) consider(target.indicator);
  }
  return AssessReport(rule, period, unit.zone, first, now);
}

// The period of `rule` whose report fell due most recently at or before `now`, if any in the
// last two years.
std::optional<Period> LatestDuePeriod(const catalog::ReportingRule& rule, const TimeZone& zone,
                                      TimestampMs now) {
  // Due dates may precede the period's end (a yearly report due 20 November): look a year ahead.
  const CivilDate first = LocalDate(now - 730 * kMsPerDay, zone);
  const CivilDate last = LocalDate(now + 366 * kMsPerDay, zone);
  std::optional<Period> latest;
  TimestampMs latest_due = 0;
  for (const Period& period : PeriodsEndingWithin(rule.period, first, last)) {
    const TimestampMs due = ReportDueAt(rule, period, zone);
    if (due <= now && (!latest || due > latest_due)) {
      latest = period;
      latest_due = due;
    }
  }
  return latest;
}

void EvaluateUnit(const catalog::Catalog& catalog, const catalog::Unit& unit,
                  std::span<const catalog::Plan* const> plans, const UnitSeries& series,
                  TimestampMs now, Evaluation* out) {
  std::set<std::string, std::less<>> assessed;  // one row per (unit, indicator)
  const ValueAllowances allowances(catalog, plans);
  for (const catalog::Plan* plan : plans) {
    for (const catalog::Target& target : plan->targets) {
      const catalog::Indicator* indicator = catalog.FindIndicator(target.indicator);
      if (indicator == nullptr || !assessed.insert(target.indicator).second) continue;
      TrajectoryInputs inputs{indicator, &target, unit.zone, allowances.DaysFor(*indicator)};
      inputs.stale_after = [&allowances, indicator, &unit](TimestampMs next_value_at) {
        return allowances.StaleAfter(*indicator, unit.zone, next_value_at);
      };
      out->indicators.push_back(
          {&unit, indicator, &target, target.office,
           Assess(inputs, ReadingsOf(series.indicators, indicator->code), now)});
    }
    for (const catalog::ReportingRule& rule : plan->reporting) {
      if (auto period = LatestDuePeriod(rule, unit.zone, now)) {
        out->reports.push_back({&unit, JudgeReport(rule, *plan, *period, unit, series, now)});
      }
    }
  }
}

}  // namespace

Evaluation Evaluate(std::shared_ptr<const catalog::Catalog> catalog, const ReadingSource& source,
                    std::span<const TaskProgress> progress, TimestampMs now) {
  const auto started = std::chrono::steady_clock::now();
  Evaluation out;
  out.catalog = catalog;
  out.evaluated_at = now;
  // Tasks need no series; they are kept only for units whose series could be read.
  std::map<const catalog::Unit*, std::vector<TaskRow>> tasks_by_unit;
  for (TaskRow& row : AssessTasks(*catalog, progress, {}, now)) {
    tasks_by_unit[row.unit].push_back(std::move(row));
  }
  std::size_t targets = 0, rules = 0, tasks = 0;
  for (const catalog::Plan& plan : catalog->plans) {
    targets += plan.targets.size();
    rules += plan.reporting.size();
    tasks += plan.tasks.size();
  }
  out.indicators.reserve(targets);
  out.reports.reserve(rules);
  out.tasks.reserve(tasks);
  for (const auto& [unit, plans] : PlansByUnit(*catalog)) {
    auto series = ReadUnit(*catalog, source, *unit, plans, now);
    if (!series.ok()) {
      out.problems.push_back("unit " + unit->id + ": " + series.status().message());
      continue;
    }
    EvaluateUnit(*catalog, *unit, plans, *series, now, &out);
    for (TaskRow& row : tasks_by_unit[unit]) out.tasks.push_back(std::move(row));
  }
  out.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

Result<std::vector<ReportRow>> AssessReports(const catalog::Catalog& catalog,
                                             const ReadingSource& source,
                                             const UnitPredicate& units, const CivilDate& first,
                                             const CivilDate& last, TimestampMs now) {
  std::vector<ReportRow> out;
  for (const auto& [u, plans] : PlansByUnit(catalog)) {
    if (units && !units(u->id)) continue;
    auto series = ReadUnit(catalog, source, *u, plans, now);
    if (!series.ok()) return series.status();
    for (const catalog::Plan* plan : plans) {
      for (const catalog::ReportingRule& rule : plan->reporting) {
        for (const Period& period : PeriodsEndingWithin(rule.period, first, last)) {
          out.push_back({u, JudgeReport(rule, *plan, period, *u, *series, now)});
        }
      }
    }
  }
  return out;
}

Evaluator::Evaluator(const ReadingSource* source, const TaskProgressLog* progress,
                     const Clock* clock)
    : source_(source), progress_(progress), clock_(clock) {}

std::shared_ptr<const Evaluation> Evaluator::Run(std::shared_ptr<const catalog::Catalog> catalog) {
  auto records = progress_->Load();
  std::span<const TaskProgress> progress;
  if (records.ok()) progress = *records;
  auto evaluation =
      std::make_shared<Evaluation>(Evaluate(std::move(catalog), *source_, progress, clock_->Now()));
  if (!records.ok()) {
    evaluation->problems.push_back("task progress: " + records.status().message());
  }
  latest_.store(evaluation);
  return evaluation;
}

}  // namespace chiso::rules
