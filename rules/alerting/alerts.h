// Alerts (SPEC §3): which facts of an evaluation match each alerting rule, and the lifecycle of
// each alert with Prometheus semantics:
//
//   inactive → pending (its condition holds; held for the rule's `for`) → firing → resolved
//
// A firing alert whose condition stops holding keeps firing for `keep_firing_for` after the last
// evaluation in which it held, then resolves; a pending one simply disappears. Resolved alerts
// are kept 15 minutes (so notifiers re-send the resolution), then forgotten. An alert is
// identified by its labels (alertname, unit, office, severity, indicator | report | task, and the
// rule's extra labels); its annotations are rendered in Vietnamese from the latest facts. A task
// alert is raised once for its lead and once for the main office the plan names (each labelled
// with its own office, so Alertmanager routes each to that office).
//
// Every change is written through an AlertLog (the store's "alerts" state space in the service),
// so a restart neither forgets a pending alert's start nor re-announces a firing one as new; an
// alert that did not change is not rewritten. The instant an alert's condition last held changes
// at every evaluation in which it holds, so it is not written for that alone; what is written is
// whether the condition still held (kept_firing_since is 0 while it does) and, once it stops, the
// instant keep_firing_for counts from. Across a restart the timers therefore run as without it:
// a pending alert fires `for` after its original start; a firing alert whose condition had
// stopped before the restart resolves `keep_firing_for` after it last held; one whose condition
// held at the last evaluation before the restart and no longer holds at the first one after it
// keeps firing for `keep_firing_for` from that first evaluation (as Prometheus's KeptFiringSince:
// the condition may have held during the downtime, so it never resolves early). When a reload
// removes a rule, its firing alerts resolve and its pending ones disappear.
//
// Series rules (threshold, silent_source) read a SeriesProbe; when a rule's series cannot be
// read, its alerts stay as they were (none resolves for want of data) and the reason is reported.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "rules/alerting/alert_rules.h"
#include "rules/alerting/series_probe.h"
#include "rules/assess/evaluator.h"

namespace chiso::rules {

enum class AlertState { kPending, kFiring, kResolved };
// "pending", "firing", "resolved".
std::string_view AlertStateName(AlertState state);

inline constexpr TimestampMs kResolvedRetentionMs = 15 * 60 * 1000;

struct Alert {
  std::map<std::string, std::string> labels;       // alertname included
  std::map<std::string, std::string> annotations;  // summary, description
  AlertState state = AlertState::kPending;
  TimestampMs active_at = 0;       // when the condition started to hold (Prometheus activeAt)
  TimestampMs fired_at = 0;        // 0 until firing
  TimestampMs last_active_at = 0;  // latest evaluation in which the condition held
  TimestampMs resolved_at = 0;     // 0 unless resolved
  // Firing after its condition stopped holding: the instant keep_firing_for counts from (the last
  // evaluation in which the condition held; the first evaluation after a restart when it held at
  // the last one before). 0 while the condition holds.
  TimestampMs kept_firing_since = 0;

  friend bool operator==(const Alert&, const Alert&) = default;
  const std::string& name() const { return labels.at("alertname"); }
  // The identity: every label, in order.
  std::string Fingerprint() const;
};

// What the rules match in one evaluation.
struct RuleMatches {
  std::vector<Alert> alerts;          // lifecycle fields at zero
  std::set<std::string> unevaluated;  // names of series rules whose series could not be read
  std::vector<std::string> problems;  // why, one line per such rule
};

// One alert per fact of `evaluation` that a rule matches, with labels and rendered annotations.
// Series rules read `probe` at evaluation.evaluated_at; without a probe they are unevaluated.
RuleMatches MatchRules(std::span<const AlertRule> rules, const Evaluation& evaluation,
                       const SeriesProbe* probe);

// What one write to the log changes.
struct AlertChanges {
  std::vector<Alert> upserted;
  std::vector<std::string> removed;  // fingerprints
};

// Where alert states live across restarts. Implementations are thread-safe.
class AlertLog {
 public:
  virtual ~AlertLog() = default;
  virtual Result<std::vector<Alert>> Load() const = 0;
  // Applies all changes or none. Durable when ok.
  virtual Status Apply(const AlertChanges& changes) = 0;
};

class MemoryAlertLog final : public AlertLog {
 public:
  Result<std::vector<Alert>> Load() const override;
  Status Apply(const AlertChanges& changes) override;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Alert> alerts_;
};

// The alerts of a running service: rules (replaced on reload), lifecycle and log. Thread-safe.
class Alerting {
 public:
  // `log` and `probe` (nullptr: series rules are never evaluated) must outlive this object.
  explicit Alerting(AlertLog* log, const SeriesProbe* probe = nullptr) : log_(log), probe_(probe) {}

  // Loads the saved alerts; call once before the first Update.
  Status Restore();
  void SetRules(std::vector<AlertRule> rules);
  // Applies one evaluation at `now` and writes what changed to the log. A failed write is
  // returned and retried with the next update (the in-memory state has moved on). Series rules
  // that could not be evaluated are described in `problems` when given.
  Status Update(const Evaluation& evaluation, TimestampMs now,
                std::vector<std::string>* problems = nullptr);
  // Pending, firing and recently resolved alerts, by fingerprint.
  std::vector<Alert> Alerts() const;

 private:
  void Advance(RuleMatches matched, TimestampMs now);
  // The writes that bring the log to alerts_.
  AlertChanges Unsaved(TimestampMs now) const;

  AlertLog* log_;
  const SeriesProbe* probe_;
  mutable std::mutex mutex_;
  std::vector<AlertRule> rules_;
  std::map<std::string, Alert> alerts_;  // by fingerprint
  // Restored firing alerts whose condition held at their last write and that no evaluation has
  // judged since: the last instant their condition held is not known (it is not written at every
  // evaluation), only that it held until the service stopped.
  std::set<std::string> held_before_restart_;
  // What the log holds, by fingerprint; nullopt when unknown (a failed write may or may not have
  // been applied).
  std::map<std::string, std::optional<Alert>> saved_;
};

}  // namespace chiso::rules
