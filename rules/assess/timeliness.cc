#include "rules/assess/timeliness.h"

#include <algorithm>
#include <tuple>

#include "rules/assess/state_names.h"

namespace chiso::rules {
namespace {

constexpr StateNames<ReportState, 5> kStateNames({{
    {ReportState::kNotDue, "not_due", "Chưa đến hạn"},
    {ReportState::kOnTime, "on_time", "Đúng hạn"},
    {ReportState::kLate, "late", "Trễ hạn"},
    {ReportState::kAwaited, "awaited", "Quá hạn, đang chờ báo cáo"},
    {ReportState::kMissing, "missing", "Không có báo cáo"},
}});

}  // namespace

TimestampMs ReportDueAt(const catalog::ReportingRule& rule, const Period& period,
                        const TimeZone& zone) {
  if (rule.due_month_day) {
    const auto [month, day] = *rule.due_month_day;
    return EndOfDay({period.year, month, std::min(day, DaysInMonth(period.year, month))}, zone);
  }
  if (rule.due_day_of_last_month) {
    const CivilDate last = period.LastDay();
    return EndOfDay({last.year, last.month, *rule.due_day_of_last_month}, zone);
  }
  const std::int64_t due_day =
      DaysFromCivil(period.LastDay()) + rule.due_days_after_period_end.value_or(0);
  return EndOfDay(CivilFromDays(due_day), zone);
}

std::string_view ReportStateName(ReportState state) { return kStateNames.Name(state); }

std::string_view ReportStateLabel(ReportState state) { return kStateNames.Label(state); }

std::optional<ReportState> ParseReportState(std::string_view name) {
  return kStateNames.Parse(name);
}

ReportAssessment AssessReport(const catalog::ReportingRule& rule, const Period& period,
                              const TimeZone& zone, std::optional<TimestampMs> first_arrival,
                              TimestampMs now) {
  ReportAssessment out;
  out.rule = &rule;
  out.period = period;
  out.due_at = ReportDueAt(rule, period, zone);
  out.missing_after = out.due_at + static_cast<TimestampMs>(rule.grace_days) * kMsPerDay;
  out.received_at = first_arrival;
  if (first_arrival) {
    out.state = *first_arrival <= out.due_at ? ReportState::kOnTime : ReportState::kLate;
  } else if (now <= out.due_at) {
    out.state = ReportState::kNotDue;
  } else if (now <= out.missing_after) {
    out.state = ReportState::kAwaited;
  } else {
    out.state = ReportState::kMissing;
  }
  return out;
}

std::optional<double> ReportSummary::reporting_rate() const {
  if (expected == 0) return std::nullopt;
  return static_cast<double>(received) / expected;
}

std::optional<double> ReportSummary::on_time_rate() const {
  if (expected == 0) return std::nullopt;
  return static_cast<double>(on_time) / expected;
}

std::vector<ReportSummary> SummarizeReports(std::span<const ReportRow> rows,
                                            ReportGrouping grouping) {
  std::map<std::tuple<std::string, std::string, std::string>, ReportSummary> by_key;
  for (const ReportRow& row : rows) {
    const ReportAssessment& a = row.assessment;
    std::string period;
    if (grouping == ReportGrouping::kByOfficeAndPeriod) period = a.period.ToString();
    auto [it, added] = by_key.try_emplace({row.unit->id, a.rule->office, period});
    ReportSummary& summary = it->second;
    if (added) {
      summary.unit = row.unit->id;
      summary.office = a.rule->office;
      summary.period = std::move(period);
    }
    summary.expected += a.expected();
    summary.received += a.received();
    summary.on_time += a.on_time();
    summary.late += a.state == ReportState::kLate;
    summary.awaited += a.state == ReportState::kAwaited;
    summary.missing += a.state == ReportState::kMissing;
  }
  std::vector<ReportSummary> out;
  out.reserve(by_key.size());
  for (auto& [key, summary] : by_key) out.push_back(std::move(summary));
  return out;
}

ReportWindow ReportWindowOf(const catalog::ReportingRule& rule, const Period& period,
                            const TimeZone& zone) {
  const TimestampMs due_at = ReportDueAt(rule, period, zone);
  const CivilDate season = std::min(period.LastDay(), LocalDate(due_at, zone));
  return {StartOfDay(period.FirstDay(), zone), EndOfDay(period.LastDay(), zone),
          StartOfDay({season.year, season.month, 1}, zone)};
}

std::optional<TimestampMs> FirstArrivalWithin(std::span<const Reading> readings,
                                              const ReportWindow& window) {
  auto it = std::lower_bound(readings.begin(), readings.end(), window.from,
                             [](const Reading& r, TimestampMs t) { return r.at < t; });
  std::optional<TimestampMs> first;
  for (; it != readings.end() && it->at <= window.to; ++it) {
    const TimestampMs arrival = it->first_arrived_at;
    if (arrival >= window.opens_at && (!first || arrival < *first)) first = arrival;
  }
  return first;
}

bool Carries(const catalog::ReportingRule& rule, const catalog::Plan& plan,
             const std::string& indicator) {
  if (rule.indicators) {
    return std::find(rule.indicators->begin(), rule.indicators->end(), indicator) !=
           rule.indicators->end();
  }
  return std::any_of(plan.targets.begin(), plan.targets.end(),
                     [&](const catalog::Target& t) { return t.indicator == indicator; });
}

ValueAllowances::ValueAllowances(const catalog::Catalog& catalog,
                                 std::span<const catalog::Plan* const> plans) {
  for (const catalog::Plan* plan : plans) {
    for (const catalog::ReportingRule& rule : plan->reporting) {
      const int days = rule.due_days_after_period_end.value_or(0) + rule.grace_days;
      auto carry = [&](const std::string& code) {
        const catalog::Indicator* indicator = catalog.FindIndicator(code);
        if (indicator == nullptr) return;
        Days& entry = by_indicator_[code];
        entry.rules.push_back(&rule);
        entry.any_period = std::max(entry.any_period, days);
        if (rule.period == indicator->period) {
          entry.same_period = std::max(entry.same_period, days);
        }
      };
      if (rule.indicators) {
        for (const std::string& code : *rule.indicators) carry(code);
      } else {
        for (const catalog::Target& target : plan->targets) carry(target.indicator);
      }
    }
  }
}

int ValueAllowances::DaysFor(const catalog::Indicator& indicator) const {
  auto it = by_indicator_.find(indicator.code);
  if (it == by_indicator_.end()) return 0;
  return it->second.same_period >= 0 ? it->second.same_period : it->second.any_period;
}

TimestampMs ValueAllowances::StaleAfter(const catalog::Indicator& indicator, const TimeZone& zone,
                                        TimestampMs next_value_at) const {
  const TimestampMs by_days =
      next_value_at + static_cast<TimestampMs>(DaysFor(indicator)) * kMsPerDay;
  auto it = by_indicator_.find(indicator.code);
  if (it == by_indicator_.end() || it->second.same_period >= 0) return by_days;
  const CivilDate next_day = LocalDate(next_value_at, zone);
  // Reports due from next_value_at on end at most a year after it, or a period later.
  const CivilDate first = CivilFromDays(DaysFromCivil(next_day) - 366);
  const CivilDate last = CivilFromDays(DaysFromCivil(next_day) + 2 * 366);
  std::optional<TimestampMs> earliest;
  for (const catalog::ReportingRule* rule : it->second.rules) {
    for (const Period& period : PeriodsEndingWithin(rule->period, first, last)) {
      const TimestampMs due = ReportDueAt(*rule, period, zone);
      if (due < next_value_at) continue;
      const TimestampMs stale = due + static_cast<TimestampMs>(rule->grace_days) * kMsPerDay;
      if (!earliest || stale < *earliest) earliest = stale;
    }
  }
  return earliest.value_or(by_days);
}

}  // namespace chiso::rules
