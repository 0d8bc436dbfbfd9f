#include "api/evaluation_metrics.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace chiso::api {
namespace {

using namespace chiso::rules;

using Labels = std::vector<prometheus::ClientMetric::Label>;

class Families {
 public:
  // Adds a gauge sample to family `name` (created with `help` on first use).
  void Gauge(const char* name, const char* help, Labels labels, std::optional<double> value) {
    if (!value) return;
    auto [it, added] = index_.try_emplace(name, families_.size());
    if (added) {
      families_.push_back({name, help, prometheus::MetricType::Gauge, {}});
    }
    prometheus::ClientMetric metric;
    metric.label = std::move(labels);
    metric.gauge.value = *value;
    families_[it->second].metric.push_back(std::move(metric));
  }

  std::vector<prometheus::MetricFamily> Take() { return std::move(families_); }

 private:
  std::vector<prometheus::MetricFamily> families_;
  std::map<std::string, std::size_t> index_;
};

double Seconds(TimestampMs instant) { return static_cast<double>(instant) / 1000.0; }

void AddIndicator(const IndicatorRow& row, Families* out) {
  const IndicatorAssessment& a = row.assessment;
  const Labels labels = {
      {"indicator", row.indicator->code}, {"office", row.office}, {"unit", row.unit->id}};
  std::optional<double> value, last_reading;
  if (a.latest) {
    value = a.latest->value;
    last_reading = Seconds(a.latest->at);
  }
  out->Gauge("chiso_indicator_value",
             "Latest value of the indicator (derived indicators: over the latest complete period).",
             labels, value);
  out->Gauge("chiso_indicator_expected",
             "Value the plan's trajectory expects at the time of the latest reading.", labels,
             a.expected);
  for (const catalog::Milestone& m : row.target->milestones) {
    Labels with_milestone = labels;
    with_milestone.insert(with_milestone.begin() + 1, {"milestone", m.date.ToString()});
    out->Gauge("chiso_indicator_target", "Target of each plan milestone, by milestone date.",
               std::move(with_milestone), m.target);
  }
  out->Gauge("chiso_indicator_forecast",
             "Value projected to the next milestone by least squares over recent readings.", labels,
             a.forecast);
  out->Gauge("chiso_indicator_pace_ratio",
             "Observed rate of progress divided by the rate required to reach the next milestone.",
             labels, a.pace);
  for (IndicatorStatus status : kIndicatorStatuses) {
    Labels with_status = labels;
    with_status.push_back({"status", std::string(IndicatorStatusName(status))});
    out->Gauge("chiso_indicator_status",
               "Trajectory status: 1 for the current status, 0 for the others.",
               std::move(with_status), a.status == status ? 1.0 : 0.0);
  }
  out->Gauge("chiso_indicator_last_reading_timestamp_seconds",
             "Instant the latest reading describes, in seconds since the epoch.", labels,
             last_reading);
}

void AddReports(std::span<const ReportRow> reports, Families* out) {
  for (const ReportSummary& s : SummarizeReports(reports, ReportGrouping::kByOfficeAndPeriod)) {
    const Labels labels = {{"office", s.office}, {"period", s.period}, {"unit", s.unit}};
    out->Gauge("chiso_report_expected", "Reports due by now (or received early), per period.",
               labels, s.expected);
    out->Gauge("chiso_report_received", "Reports received, on time or late.", labels, s.received);
    out->Gauge("chiso_report_on_time", "Reports received by their due date.", labels, s.on_time);
  }
}

void AddTask(const TaskRow& row, Families* out) {
  const TaskAssessment& a = row.assessment;
  const Labels labels = {{"office", a.task->lead}, {"task", a.task->id}, {"unit", row.unit->id}};
  out->Gauge("chiso_task_overdue", "1 when the task's latest deadline passed without it done.",
             labels, a.overdue ? 1.0 : 0.0);
  std::optional<double> deadline;
  if (a.occurrence) deadline = Seconds(a.occurrence->due_at);
  out->Gauge("chiso_task_deadline_timestamp_seconds",
             "End of the deadline day of the task's current occurrence.", labels, deadline);
}

}  // namespace

std::vector<prometheus::MetricFamily> EvaluationMetrics::Collect() const {
  auto evaluation = evaluator_->Latest();
  if (!evaluation) return {};
  Families out;
  for (const IndicatorRow& row : evaluation->indicators) AddIndicator(row, &out);
  AddReports(evaluation->reports, &out);
  for (const TaskRow& row : evaluation->tasks) AddTask(row, &out);
  out.Gauge("chiso_rule_evaluation_duration_seconds", "Duration of the latest evaluation cycle.",
            {}, evaluation->duration_seconds);
  out.Gauge("chiso_rule_evaluation_timestamp_seconds", "When the latest evaluation cycle ran.", {},
            Seconds(evaluation->evaluated_at));
  return out.Take();
}

std::vector<prometheus::MetricFamily> AlertMetrics::Collect() const {
  Families out;
  for (const Alert& alert : alerting_->Alerts()) {
    if (alert.state == AlertState::kResolved) continue;
    Labels labels;
    for (const auto& [name, value] : alert.labels) labels.push_back({name, value});
    labels.push_back({"alertstate", std::string(AlertStateName(alert.state))});
    std::sort(labels.begin(), labels.end());
    out.Gauge("chiso_alerts", "Pending and firing alerts, by their labels and state.",
              std::move(labels), 1.0);
  }
  return out.Take();
}

}  // namespace chiso::api
