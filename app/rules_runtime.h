// RulesRuntime: the rules module running inside the service. Every evaluation_interval, and
// after Wake() (a reload, a task progress recorded through POST /api/v1/tasks/{id}, a write that
// stored samples) at once or evaluation_min_gap after the previous evaluation began, it evaluates
// the current catalog over the store, advances the alerts (series rules read the store too;
// states persisted in the store), and hands firing and resolved alerts to the notifier. It also
// serves the status endpoints (api/status_routes.h) and the domain gauges.
//
// Thread-safe. Start once, after the store is open; Stop before the store closes.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <vector>

#include "api/router.h"
#include "common/clock.h"
#include "notify/alerting_config.h"
#include "notify/http_poster.h"
#include "notify/notifier.h"
#include "rules/alerting/alert_rules.h"
#include "rules/alerting/alerts.h"
#include "rules/assess/evaluation_loop.h"
#include "rules/assess/evaluator.h"
#include "rules/store_backed/store_series_probe.h"
#include "rules/store_backed/store_source.h"
#include "store/store.h"

namespace chiso::app {

class RulesRuntime {
 public:
  // Every pointer must outlive the runtime.
  RulesRuntime(Store* store, const api::SnapshotHolder* snapshots, prometheus::Registry* registry,
               const Clock* clock, notify::AlertingConfig config);
  ~RulesRuntime();  // Stop()s

  // Restores the saved alert states, adds the status routes and gauges to `router`, starts the
  // notifier and the evaluation loop. Fails when the saved alert states cannot be read.
  Status Start(api::Router* router);
  // Calls `listener` with every evaluation, on the evaluation thread (e.g. to forward the plan
  // series, app/plan_forwarding.h). Before Start.
  void SetEvaluationListener(std::function<void(const rules::Evaluation&)> listener);
  // Replaces the alerting rules (from the config's rule files); takes effect next cycle.
  void SetRules(std::vector<rules::AlertRule> rules);
  // Runs a cycle now (after a reload, a recorded task progress or stored samples). Cheap and
  // non-blocking: wakes arriving while a cycle runs fold into one more cycle.
  void Wake();
  void Stop();

 private:
  void Cycle();

  const api::SnapshotHolder* snapshots_;
  const Clock* clock_;
  rules::StoreReadingSource source_;
  rules::StoreTaskProgressLog progress_;
  rules::StoreAlertLog alert_log_;
  rules::StoreSeriesProbe series_probe_;
  rules::Evaluator evaluator_;
  rules::Alerting alerting_;
  notify::BeastHttpPoster poster_;
  prometheus::Family<prometheus::Counter>& notifications_;
  notify::Notifier notifier_;
  std::function<void(const rules::Evaluation&)> evaluation_listener_;
  rules::EvaluationLoop loop_;
};

}  // namespace chiso::app
