// Reporting timeliness (báo cáo định kỳ): for each reporting rule of a unit's plan and each of its
// periods, whether the report is not yet due, arrived on time, arrived late, is awaited within
// the grace days, or is missing. It is judged from when readings arrived (like DHIS2's reporting
// rate and reporting rate on time), never from a manual "complete" flag:
//
//   * a report for a period is received when any reading it carries arrives for an instant in that
//     period: a reading of one of the rule's indicators (`indicators: all` = every target of the
//     plan that holds the rule), or a reading of the submission series
//     chiso_report_submission{unit="…", report="<rule id>"} — the only way a narrative report
//     (`indicators: []`) can be marked received;
//   * only readings that arrived once the reporting season opened count: from the start of the
//     month holding the earlier of the period's last day and its due day. A July value sent in
//     August is July's monthly report, not the third quarter's; the third quarter's report is
//     what arrives from September on;
//   * its arrival is the earliest `first_arrived_at` among those readings. A correction keeps the
//     arrival of the value it corrects, so correcting a report after the due day leaves it on
//     time, and a reading first sent before the season opened does not count however late it is
//     corrected;
//   * the due instant is the end of the due day: `days_after_period_end: 5` makes October's report
//     due at the end of 5 November; `month_day: "11-20"` at the end of 20 November of the
//     period's year; `day_of_last_month: 5` at the end of 5 September for the third quarter. It is
//     on time when it arrived by then, late after, missing when nothing arrived by the end of the
//     grace days, and awaited between the due day and that.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/calendar.h"
#include "common/naming.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules {

// A rule's reports are one per Period of kind `rule.period` (PeriodsEndingWithin lists them),
// spelled by Period::ToString: 2025-10, 2025-Q3, 2025-H1, 2025-9M (nine months), 2025.

// The last millisecond of the day the report for `period` is due under `rule`.
TimestampMs ReportDueAt(const catalog::ReportingRule& rule, const Period& period,
                        const TimeZone& zone);

enum class ReportState { kNotDue, kOnTime, kLate, kAwaited, kMissing };
// "not_due", "on_time", "late", "awaited", "missing".
std::string_view ReportStateName(ReportState state);
// The state named `name` ("late"); nullopt for an unknown name.
std::optional<ReportState> ParseReportState(std::string_view name);
// In Vietnamese, as offices read it ("Trễ hạn").
std::string_view ReportStateLabel(ReportState state);

struct ReportAssessment {
  const catalog::ReportingRule* rule = nullptr;
  Period period;  // of kind rule->period
  TimestampMs due_at = 0;
  TimestampMs missing_after = 0;  // due_at + grace days
  std::optional<TimestampMs> received_at;
  ReportState state = ReportState::kNotDue;

  // Counted in DHIS2's "expected reports": due by now, or received early.
  bool expected() const { return state != ReportState::kNotDue || received_at.has_value(); }
  bool received() const { return received_at.has_value(); }
  bool on_time() const { return state == ReportState::kOnTime; }
};

// One report of one unit, judged. `unit` and `assessment.rule` point into the catalog.
struct ReportRow {
  const catalog::Unit* unit = nullptr;
  ReportAssessment assessment;
};

// DHIS2-style counts over the reports of one unit's office (and one period, when grouped so).
struct ReportSummary {
  std::string unit;
  std::string office;
  std::string period;  // Period::ToString(); empty unless grouped by period
  int expected = 0;
  int received = 0;  // on time or late
  int on_time = 0;
  int late = 0;
  int awaited = 0;
  int missing = 0;

  // received / expected and on_time / expected; nullopt when nothing is expected.
  std::optional<double> reporting_rate() const;
  std::optional<double> on_time_rate() const;
};

enum class ReportGrouping { kByOffice, kByOfficeAndPeriod };

// Sums `rows` per (unit, office) or per (unit, office, period), ordered by those keys. The
// reports endpoint and the /metrics report gauges both summarise through this.
std::vector<ReportSummary> SummarizeReports(std::span<const ReportRow> rows,
                                            ReportGrouping grouping);

// Judges one report given the earliest arrival of what it carries (nullopt: nothing arrived).
ReportAssessment AssessReport(const catalog::ReportingRule& rule, const Period& period,
                              const TimeZone& zone, std::optional<TimestampMs> first_arrival,
                              TimestampMs now);

// What counts as the report of one period: readings describing an instant in [from, to] whose
// first arrival is at or after `opens_at`.
struct ReportWindow {
  TimestampMs from = 0;
  TimestampMs to = 0;
  TimestampMs opens_at = 0;
};
ReportWindow ReportWindowOf(const catalog::ReportingRule& rule, const Period& period,
                            const TimeZone& zone);

// The earliest `first_arrived_at` among `readings` (ascending by `at`) inside `window`.
std::optional<TimestampMs> FirstArrivalWithin(std::span<const Reading> readings,
                                              const ReportWindow& window);

// Whether `rule` (of `plan`) carries `indicator`.
bool Carries(const catalog::ReportingRule& rule, const catalog::Plan& plan,
             const std::string& indicator);

// When the values of every indicator of one unit's plans are due, from the reporting rules that
// carry them. Built once per unit; immutable.
class ValueAllowances {
 public:
  ValueAllowances(const catalog::Catalog& catalog, std::span<const catalog::Plan* const> plans);
  // Days after a period of the indicator ends before its value counts as missing: the due days
  // plus grace days of the rules that carry it, preferring rules with the indicator's own period,
  // taking the most lenient. A fixed `month_day` or `day_of_last_month` counts as 0 due days; 0
  // when no rule carries it.
  int DaysFor(const catalog::Indicator& indicator) const;
  // The instant after which a value of the indicator is stale, when the next value describes
  // `next_value_at` (the end of the period after the latest reading's). With a rule of the
  // indicator's own period, or none: next_value_at plus DaysFor. Otherwise the plan reports on
  // its own rhythm (Nghĩa Đàn's monthly indicators reported before 10/6 and 20/11): the earliest
  // report of a carrying rule due at or after next_value_at, plus its grace days, is the first
  // that can carry the next value.
  TimestampMs StaleAfter(const catalog::Indicator& indicator, const TimeZone& zone,
                         TimestampMs next_value_at) const;

 private:
  struct Days {
    int same_period = -1;
    int any_period = -1;
    std::vector<const catalog::ReportingRule*> rules;  // every rule carrying the indicator
  };
  std::map<std::string, Days, std::less<>> by_indicator_;
};

}  // namespace chiso::rules
