// The domain gauges of SPEC §5, computed at scrape time from the latest evaluation:
//
//   chiso_indicator_value, _expected, _forecast, _pace_ratio,
//   _last_reading_timestamp_seconds                        {unit, indicator, office}
//   chiso_indicator_target                                 {unit, indicator, office, milestone}
//       one series per plan milestone (milestone = its date), the target value
//   chiso_indicator_status                                 {unit, indicator, office, status}
//       one series per status, 1 for the current one
//   chiso_report_expected, _received, _on_time             {unit, office, period}
//       over every rule's most recently due report
//   chiso_task_overdue, chiso_task_deadline_timestamp_seconds   {unit, task, office = lead}
//   chiso_rule_evaluation_duration_seconds, chiso_rule_evaluation_timestamp_seconds
//
// AlertMetrics adds chiso_alerts{<labels of the alert>, alertstate}: 1 per pending or firing alert.
//
// A gauge without a value (no reading, no forecast yet) is left out rather than exported as NaN.
// Thread-safe: Collect only reads the evaluator's published evaluation.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "rules/alerting/alerts.h"
#include "rules/assess/evaluator.h"

namespace chiso::api {

class EvaluationMetrics final : public prometheus::Collectable {
 public:
  // `evaluator` must outlive this collectable.
  explicit EvaluationMetrics(const rules::Evaluator* evaluator) : evaluator_(evaluator) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const rules::Evaluator* evaluator_;
};

class AlertMetrics final : public prometheus::Collectable {
 public:
  // `alerting` must outlive this collectable.
  explicit AlertMetrics(const rules::Alerting* alerting) : alerting_(alerting) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const rules::Alerting* alerting_;
};

}  // namespace chiso::api
