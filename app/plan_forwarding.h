// PlanForwarding: the evaluated plan series forwarded by remote write as they change, with a
// refresh for the engine's lookback and staleness markers for series that end
// (forward/gauge_refresh.h), under the names and labels that /metrics and remote read give them:
//   chiso_indicator_status{indicator, office, province, status, unit}
//       the status code of every (unit, indicator) row of the evaluation (IndicatorStatusCode,
//       api/evaluation_metrics.h), so a status change ends one series and starts another;
//   chiso_plan_expected{indicator, office, store="chiso", unit}
//       expected(t) of the target's path (remote_read/plan_paths.h), from its start to its last
//       milestone;
//   chiso_plan_target{indicator, milestone, office, store="chiso", unit}
//       the milestone's target, from where its line starts to the milestone's date.
// Every sample is at the instant of the evaluation, so at each instant sent the engine holds the
// value the remote-read series have there. The samples go through the forwarding queue, and each
// endpoint's `match:` selects among them as among accepted samples.
//
// Called from the evaluation thread only.
#pragma once

#include <chrono>

#include "forward/forwarding.h"
#include "forward/gauge_refresh.h"
#include "rules/assess/evaluator.h"
#include "store/store.h"

namespace chiso::app {

class PlanForwarding {
 public:
  // `store` (read for first readings) and `forwarding` must outlive the object.
  PlanForwarding(const Store& store, forward::Forwarding& forwarding,
                 std::chrono::milliseconds refresh);

  // Forwards what changed in `evaluation` (or is due for refresh); errors are logged and the
  // samples are due again at the next evaluation.
  void Evaluated(const rules::Evaluation& evaluation);

 private:
  const Store& store_;
  forward::GaugeRefresh refresh_;
};

}  // namespace chiso::app
