#include "api/evaluation_metrics.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace chiso::api {
namespace {

using namespace chiso::rules;

using Label = ExpositionWriter::Label;

double Seconds(TimestampMs instant) { return static_cast<double>(instant) / 1000.0; }

// A row of the evaluation that belongs in the scrape, with its unit's province.
template <typename Row>
struct Selected {
  const Row* row;
  std::string_view province;
};

template <typename Row, typename UnitOf>
std::vector<Selected<Row>> Select(std::span<const Row> rows, const catalog::Catalog& catalog,
                                  const ScrapeScope& scope, UnitOf unit_of) {
  std::vector<Selected<Row>> out;
  if (scope.service_only) return out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    const std::string_view province = catalog.ProvinceOf(unit_of(row));
    if (scope.WantsDomain(province)) out.push_back({&row, province});
  }
  return out;
}

// The gauges with one series per (unit, indicator) and no label of their own.
struct IndicatorGauge {
  const char* name;
  const char* help;
  std::optional<double> (*value)(const IndicatorAssessment&);
};

constexpr IndicatorGauge kIndicatorGauges[] = {
    {"chiso_indicator_value",
     "Latest value of the indicator (derived indicators: over the latest complete period).",
     [](const IndicatorAssessment& a) {
       return a.latest ? std::optional(a.latest->value) : std::nullopt;
     }},
    {"chiso_indicator_expected",
     "Value the plan's trajectory expects at the time of the latest reading.",
     [](const IndicatorAssessment& a) { return a.expected; }},
    {"chiso_indicator_forecast",
     "Value projected to the next milestone by least squares over recent readings.",
     [](const IndicatorAssessment& a) { return a.forecast; }},
    {"chiso_indicator_pace_ratio",
     "Observed rate of progress divided by the rate required to reach the next milestone.",
     [](const IndicatorAssessment& a) { return a.pace; }},
    {"chiso_indicator_last_reading_timestamp_seconds",
     "Instant the latest reading describes, in seconds since the epoch.",
     [](const IndicatorAssessment& a) {
       return a.latest ? std::optional(Seconds(a.latest->at)) : std::nullopt;
     }},
};

void RenderIndicators(std::span<const Selected<IndicatorRow>> rows, ExpositionWriter* out) {
  for (const IndicatorGauge& gauge : kIndicatorGauges) {
    out->Gauge(gauge.name, gauge.help);
    for (const auto& [row, province] : rows) {
      const std::optional<double> value = gauge.value(row->assessment);
      if (!value) continue;
      out->Sample({{"indicator", row->indicator->code},
                   {"office", row->office},
                   {"province", province},
                   {"unit", row->unit->id}},
                  *value);
    }
  }
  out->Gauge("chiso_indicator_target",
             "Target the value is judged against: the next milestone's, by its date.");
  for (const auto& [row, province] : rows) {
    const std::optional<Checkpoint>& target = row->assessment.target;
    if (!target) continue;
    const std::string milestone = target->date.ToString();
    out->Sample({{"indicator", row->indicator->code},
                 {"milestone", milestone},
                 {"office", row->office},
                 {"province", province},
                 {"unit", row->unit->id}},
                target->target);
  }
  out->Gauge("chiso_indicator_status",
             "Trajectory status as a code (achieved 0, on_track 1, at_risk 2, off_track 3, "
             "overdue 4, stale 5, no_data 6); the status label names it.");
  for (const auto& [row, province] : rows) {
    const IndicatorStatus status = row->assessment.status;
    out->Sample({{"indicator", row->indicator->code},
                 {"office", row->office},
                 {"province", province},
                 {"status", IndicatorStatusName(status)},
                 {"unit", row->unit->id}},
                IndicatorStatusCode(status));
  }
}

void RenderReports(std::span<const ReportSummary> reports, const catalog::Catalog& catalog,
                   const ScrapeScope& scope, ExpositionWriter* out) {
  const auto selected = Select<ReportSummary>(
      reports, catalog, scope, [](const ReportSummary& s) -> const std::string& { return s.unit; });
  struct ReportGauge {
    const char* name;
    const char* help;
    int ReportSummary::*count;
  };
  constexpr ReportGauge kGauges[] = {
      {"chiso_report_expected", "Reports due by now (or received early), per period.",
       &ReportSummary::expected},
      {"chiso_report_received", "Reports received, on time or late.", &ReportSummary::received},
      {"chiso_report_on_time", "Reports received by their due date.", &ReportSummary::on_time},
  };
  for (const ReportGauge& gauge : kGauges) {
    out->Gauge(gauge.name, gauge.help);
    for (const auto& [s, province] : selected) {
      out->Sample(
          {{"office", s->office}, {"period", s->period}, {"province", province}, {"unit", s->unit}},
          s->*gauge.count);
    }
  }
}

void RenderTasks(std::span<const Selected<TaskRow>> rows, ExpositionWriter* out) {
  out->Gauge("chiso_task_overdue", "1 when the task's latest deadline passed without it done.");
  for (const auto& [row, province] : rows) {
    const TaskAssessment& a = row->assessment;
    out->Sample({{"office", a.task->lead},
                 {"province", province},
                 {"task", a.task->id},
                 {"unit", row->unit->id}},
                a.overdue ? 1.0 : 0.0);
  }
  out->Gauge("chiso_task_deadline_timestamp_seconds",
             "End of the deadline day of the task's current occurrence.");
  for (const auto& [row, province] : rows) {
    const TaskAssessment& a = row->assessment;
    if (!a.occurrence) continue;
    out->Sample({{"office", a.task->lead},
                 {"province", province},
                 {"task", a.task->id},
                 {"unit", row->unit->id}},
                Seconds(a.occurrence->due_at));
  }
}

}  // namespace

int IndicatorStatusCode(IndicatorStatus status) {
  switch (status) {
    case IndicatorStatus::kAchieved:
      return 0;
    case IndicatorStatus::kOnTrack:
      return 1;
    case IndicatorStatus::kAtRisk:
      return 2;
    case IndicatorStatus::kOffTrack:
      return 3;
    case IndicatorStatus::kOverdue:
      return 4;
    case IndicatorStatus::kStale:
      return 5;
    case IndicatorStatus::kNoData:
      return 6;
    case IndicatorStatus::kInsufficientData:
      return 7;
  }
  return 6;
}

void EvaluationMetrics::Render(const ScrapeScope& scope, ExpositionWriter* out) const {
  auto evaluation = evaluator_->Latest();
  if (!evaluation) return;
  const catalog::Catalog& catalog = *evaluation->catalog;
  const auto unit_of = [](const auto& row) -> const std::string& { return row.unit->id; };
  RenderIndicators(Select<IndicatorRow>(evaluation->indicators, catalog, scope, unit_of), out);
  RenderReports(SummarizeReports(evaluation->reports, ReportGrouping::kByOfficeAndPeriod), catalog,
                scope, out);
  RenderTasks(Select<TaskRow>(evaluation->tasks, catalog, scope, unit_of), out);
  if (!scope.WantsService()) return;
  out->Gauge("chiso_rule_evaluation_duration_seconds", "Duration of the latest evaluation cycle.");
  out->Sample({}, evaluation->duration_seconds);
  out->Gauge("chiso_rule_evaluation_timestamp_seconds", "When the latest evaluation cycle ran.");
  out->Sample({}, Seconds(evaluation->evaluated_at));
}

void AlertMetrics::Render(const ScrapeScope& scope, ExpositionWriter* out) const {
  out->Gauge("chiso_alerts", "Pending and firing alerts, by their labels, state and province.");
  for (const Alert& alert : alerting_->Alerts()) {
    if (alert.state == AlertState::kResolved) continue;
    const auto unit = alert.labels.find("unit");
    std::string_view province;
    if (unit != alert.labels.end() && scope.catalog != nullptr) {
      province = scope.catalog->ProvinceOf(unit->second);
    }
    const bool wanted =
        unit == alert.labels.end() ? scope.WantsService() : scope.WantsDomain(province);
    if (!wanted) continue;
    std::vector<Label> labels;
    for (const auto& [name, value] : alert.labels) labels.push_back({name, value});
    labels.push_back({"alertstate", AlertStateName(alert.state)});
    if (!province.empty() && !alert.labels.contains("province")) {
      labels.push_back({"province", province});
    }
    std::sort(labels.begin(), labels.end(),
              [](const Label& a, const Label& b) { return a.name < b.name; });
    out->Sample(labels, 1.0);
  }
}

}  // namespace chiso::api
