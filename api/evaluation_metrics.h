// The domain gauges of SPEC §5, rendered at scrape time from the latest evaluation in the shape
// that holds at national scale (api/README.md, "The /metrics exposition"): one series per
// (unit, indicator) and gauge, each labelled with the unit's province so that a province view
// is one PromQL query and /metrics?province=ID serves one province (api/exposition.h).
//
//   chiso_indicator_value, _expected, _forecast, _pace_ratio,
//   _last_reading_timestamp_seconds             {indicator, office, province, unit}
//   chiso_indicator_target                      {indicator, milestone, office, province, unit}
//       the target the value is judged against (the next milestone; milestone = its date). The
//       whole plan path is read through remote read, not scraped.
//   chiso_indicator_status                      {indicator, office, province, status, unit}
//       the status's code (IndicatorStatusCode); `status` names it
//   chiso_report_expected, _received, _on_time  {office, period, province, unit}
//       over every rule's most recently due report
//   chiso_task_overdue, chiso_task_deadline_timestamp_seconds  {office = lead, province, task,
//   unit} chiso_rule_evaluation_duration_seconds, chiso_rule_evaluation_timestamp_seconds (service)
//
// AlertMetrics adds chiso_alerts{<labels of the alert>, alertstate, province}: 1 per pending or
// firing alert; an alert without a unit is a service series.
//
// A gauge without a value (no reading, no forecast yet) is left out rather than exported as NaN.
// Thread-safe: Render only reads the evaluator's published evaluation.
#pragma once

#include "api/exposition.h"
#include "rules/alerting/alerts.h"
#include "rules/assess/evaluator.h"

namespace chiso::api {

// The value of chiso_indicator_status, from best to worst along the trajectory, then the
// statuses that cannot be judged, from the least to the most unknown:
//   achieved 0, on_track 1, at_risk 2, off_track 3, overdue 4, stale 5, no_data 6,
//   insufficient_data 7.
// So `chiso_indicator_status >= 2 and chiso_indicator_status <= 4` is behind the plan and
// `chiso_indicator_status >= 5` lacks data. Codes never change meaning; a new status gets a
// new code.
int IndicatorStatusCode(rules::IndicatorStatus status);

class EvaluationMetrics final : public MetricsExposition {
 public:
  // `evaluator` must outlive this exposition.
  explicit EvaluationMetrics(const rules::Evaluator* evaluator) : evaluator_(evaluator) {}

  void Render(const ScrapeScope& scope, ExpositionWriter* out) const override;

 private:
  const rules::Evaluator* evaluator_;
};

class AlertMetrics final : public MetricsExposition {
 public:
  // `alerting` must outlive this exposition.
  explicit AlertMetrics(const rules::Alerting* alerting) : alerting_(alerting) {}

  void Render(const ScrapeScope& scope, ExpositionWriter* out) const override;

 private:
  const rules::Alerting* alerting_;
};

}  // namespace chiso::api
