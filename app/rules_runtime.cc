#include "app/rules_runtime.h"

#include <iostream>

#include "api/evaluation_metrics.h"
#include "api/status_routes.h"

namespace chiso::app {

RulesRuntime::RulesRuntime(Store* store, const api::SnapshotHolder* snapshots,
                           prometheus::Registry* registry, const Clock* clock,
                           notify::AlertingConfig config)
    : snapshots_(snapshots),
      clock_(clock),
      source_(store),
      progress_(store),
      alert_log_(store),
      series_probe_(store),
      evaluator_(&source_, &progress_, clock),
      alerting_(&alert_log_, &series_probe_),
      notifications_(prometheus::BuildCounter()
                         .Name("chiso_notifications_total")
                         .Help("Alert notifications by receiver and result "
                               "(success, failure after every retry, dropped from a full queue).")
                         .Register(*registry)),
      notifier_(std::move(config.receivers), config.notifier, &poster_, &notifications_),
      loop_([this] { Cycle(); }, config.evaluation_interval, config.evaluation_min_gap) {}

RulesRuntime::~RulesRuntime() { Stop(); }

Status RulesRuntime::Start(api::Router* router) {
  if (Status restored = alerting_.Restore(); !restored.ok()) {
    return Status(restored.code(), "alert states: " + restored.message());
  }
  api::AddStatusRoutes(*router,
                       {&evaluator_, &source_, &progress_, clock_, &alerting_, [this] { Wake(); }});
  router->AddExposition(std::make_shared<api::EvaluationMetrics>(&evaluator_));
  router->AddExposition(std::make_shared<api::AlertMetrics>(&alerting_));
  notifier_.Start();
  loop_.Start();
  return Status::Ok();
}

void RulesRuntime::SetEvaluationListener(std::function<void(const rules::Evaluation&)> listener) {
  evaluation_listener_ = std::move(listener);
}

void RulesRuntime::SetRules(std::vector<rules::AlertRule> rules) {
  alerting_.SetRules(std::move(rules));
}

void RulesRuntime::Wake() { loop_.Wake(); }

void RulesRuntime::Stop() {
  loop_.Stop();
  notifier_.Stop();
}

void RulesRuntime::Cycle() {
  auto snapshot = snapshots_->Get();
  if (snapshot == nullptr || snapshot->catalog == nullptr) return;
  auto evaluation = evaluator_.Run(snapshot->catalog);
  source_.DropUnasked();  // answers for units and indicators no longer in the catalog
  for (const std::string& problem : evaluation->problems) {
    std::cerr << "chiso: evaluation: " << problem << "\n";
  }
  if (evaluation_listener_) evaluation_listener_(*evaluation);
  const TimestampMs now = clock_->Now();
  std::vector<std::string> problems;
  if (Status updated = alerting_.Update(*evaluation, now, &problems); !updated.ok()) {
    std::cerr << "chiso: alert states not saved (retried next cycle): " << updated.message()
              << "\n";
  }
  for (const std::string& problem : problems) {
    std::cerr << "chiso: alerting (alerts kept as they were): " << problem << "\n";
  }
  const std::vector<rules::Alert> alerts = alerting_.Alerts();
  notifier_.Notify(alerts, now);
}

}  // namespace chiso::app
