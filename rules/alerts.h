// Alerts (SPEC §3): which facts of an evaluation match each alerting rule, and the lifecycle of
// each alert with Prometheus semantics:
//
//   inactive → pending (its condition holds; held for the rule's `for`) → firing → resolved
//
// A firing alert whose condition stops holding keeps firing for `keep_firing_for` after the last
// evaluation in which it held, then resolves; a pending one simply disappears. Resolved alerts
// are kept 15 minutes (so notifiers re-send the resolution), then forgotten. An alert is
// identified by its labels (alertname, unit, office, severity, indicator | report | task, and the
// rule's extra labels); its annotations are rendered in Vietnamese from the latest facts.
//
// Every change is written through an AlertLog (the store's "alerts" state space in the service),
// so a restart neither forgets a pending alert's start nor re-announces a firing one as new. When
// a reload removes a rule, its firing alerts resolve and its pending ones disappear.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "rules/alert_rules.h"
#include "rules/evaluator.h"

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

  friend bool operator==(const Alert&, const Alert&) = default;
  const std::string& name() const { return labels.at("alertname"); }
  // The identity: every label, in order.
  std::string Fingerprint() const;
};

// One alert per fact of `evaluation` that a rule matches, with labels and rendered annotations;
// lifecycle fields are left at zero.
std::vector<Alert> MatchRules(std::span<const AlertRule> rules, const Evaluation& evaluation);

// What one update changed, for the log.
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

// The store's encoding of one alert (state-space "alerts", key = fingerprint), and back.
inline constexpr std::string_view kAlertStateSpace = "alerts";
std::string EncodeAlert(const Alert& alert);
// Corruption naming the key when the value is not one EncodeAlert wrote.
Result<Alert> DecodeAlert(std::string_view key, std::string_view value);

// The alerts of a running service: rules (replaced on reload), lifecycle and log. Thread-safe.
class Alerting {
 public:
  // `log` must outlive this object.
  explicit Alerting(AlertLog* log) : log_(log) {}

  // Loads the saved alerts; call once before the first Update.
  Status Restore();
  void SetRules(std::vector<AlertRule> rules);
  // Applies one evaluation at `now` and writes the changes to the log. A failed write is
  // returned and retried with the next update (the in-memory state has moved on).
  Status Update(const Evaluation& evaluation, TimestampMs now);
  // Pending, firing and recently resolved alerts, by fingerprint.
  std::vector<Alert> Alerts() const;

 private:
  AlertChanges Advance(std::vector<Alert> matched, TimestampMs now);

  AlertLog* log_;
  mutable std::mutex mutex_;
  std::vector<AlertRule> rules_;
  std::map<std::string, Alert> alerts_;  // by fingerprint
  std::set<std::string> unsaved_;        // fingerprints changed since the last good write
};

}  // namespace chiso::rules
