#include "app/plan_forwarding.h"

#include <iostream>
#include <vector>

#include "api/evaluation_metrics.h"
#include "common/naming.h"
#include "remote_read/plan_paths.h"

namespace chiso::app {
namespace {

using Gauges = forward::GaugeRefresh::Gauges;

Gauges StatusGauges(const rules::Evaluation& evaluation) {
  Gauges gauges;
  for (const rules::IndicatorRow& row : evaluation.indicators) {
    Labels labels{{std::string(kMetricNameLabel), "chiso_indicator_status"},
                  {std::string(kIndicatorLabel), row.indicator->code},
                  {std::string(kOfficeLabel), row.office},
                  {"province", std::string(evaluation.catalog->ProvinceOf(row.unit->id))},
                  {"status", std::string(rules::IndicatorStatusName(row.assessment.status))},
                  {std::string(kUnitLabel), row.unit->id}};
    SortLabels(labels);
    gauges.emplace(std::move(labels), api::IndicatorStatusCode(row.assessment.status));
  }
  return gauges;
}

// The plan gauges of `paths` at `at`: only where the path (or the target's line) runs.
void AddPlanGauges(const std::vector<remote_read::PlanPath>& paths, TimestampMs at,
                   Gauges* gauges) {
  for (const remote_read::PlanPath& plan : paths) {
    if (plan.path.start_at() <= at && at <= plan.checkpoints.back().due) {
      gauges->emplace(plan.expected_labels, plan.path.ExpectedAt(at));
    }
    for (const rules::Checkpoint& checkpoint : plan.checkpoints) {
      if (plan.TargetStart(checkpoint) <= at && at <= checkpoint.due) {
        gauges->emplace(plan.TargetLabels(checkpoint), checkpoint.target);
      }
    }
  }
}

}  // namespace

PlanForwarding::PlanForwarding(const Store& store, forward::Forwarding& forwarding,
                               std::chrono::milliseconds refresh)
    : store_(store), refresh_(refresh, [&forwarding](const SampleBatch& batch) {
        return forwarding.Forward(batch);
      }) {}

void PlanForwarding::Evaluated(const rules::Evaluation& evaluation) {
  std::vector<remote_read::PlanPath> paths;
  const Status walked = remote_read::ForEachPlanPath(
      *evaluation.catalog, [](const Labels&, const Labels&) { return true; },
      remote_read::StoreFirstReading(store_),
      [&paths](const remote_read::PlanPath& plan) { paths.push_back(plan); });
  Status sent = walked;
  if (walked.ok()) {
    const Gauges statuses = StatusGauges(evaluation);
    sent = refresh_.Update(
        [&](TimestampMs at) -> Result<Gauges> {
          Gauges gauges = statuses;
          AddPlanGauges(paths, at, &gauges);
          return gauges;
        },
        evaluation.evaluated_at);
  }
  if (!sent.ok()) {
    std::cerr << "chiso: forwarding the plan series (retried at the next evaluation): "
              << sent.ToString() << "\n";
  }
}

}  // namespace chiso::app
