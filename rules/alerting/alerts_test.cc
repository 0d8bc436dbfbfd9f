#include "rules/alerting/alerts.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>

#include "catalog/testing/test_catalog.h"

namespace chiso::rules {
namespace {

const TimeZone kZone;  // UTC+7
constexpr TimestampMs kMinute = 60'000;
constexpr TimestampMs kHour = 60 * kMinute;

TimestampMs Noon(CivilDate date) { return StartOfDay(date, kZone) + 12 * kHour; }

AlertRule AtRiskRule(std::chrono::milliseconds for_duration,
                     std::chrono::milliseconds keep_firing_for) {
  AlertRule rule;
  rule.name = "ChiTieuCoNguyCoCham";
  rule.kind = AlertKind::kIndicatorStatus;
  rule.statuses = {IndicatorStatus::kAtRisk};
  rule.for_duration = for_duration;
  rule.keep_firing_for = keep_firing_for;
  rule.summary = "{{unit_name}}: {{indicator_name}} {{value}} / {{target}} ({{target_date}})";
  rule.description = "Kỳ vọng {{expected}}.\nĐơn vị: {{office_name}}";
  return rule;
}

class AlertsTest : public ::testing::Test {
 protected:
  AlertsTest() {
    // Paper share 38 on 31 October: behind the path to ≤ 30, one reading: at risk.
    behind_.AddIndicatorReadings("gia_loc", "paper_dossier_share",
                                 {{EndOfDay({2025, 10, 31}, kZone), 38, Noon({2025, 11, 2})}});
    recovered_.AddIndicatorReadings("gia_loc", "paper_dossier_share",
                                    {{EndOfDay({2025, 10, 31}, kZone), 38, Noon({2025, 11, 2})},
                                     {EndOfDay({2025, 11, 30}, kZone), 29, Noon({2025, 12, 2})}});
  }

  Evaluation Behind() { return Evaluate(catalog_, behind_, {}, Noon({2025, 11, 6})); }
  Evaluation Recovered() { return Evaluate(catalog_, recovered_, {}, Noon({2025, 12, 3})); }

  std::shared_ptr<const catalog::Catalog> catalog_ = catalog::testing::GiaLocTestCatalog();
  MemoryReadingSource behind_, recovered_;
  MemoryAlertLog log_;
};

TEST_F(AlertsTest, MatchesFactsWithLabelsAndVietnameseAnnotations) {
  const std::vector<AlertRule> rules = {AtRiskRule({}, {})};
  const std::vector<Alert> matched = MatchRules(rules, Behind(), nullptr).alerts;
  ASSERT_EQ(matched.size(), 1u);
  const Alert& alert = matched[0];
  EXPECT_EQ(alert.labels, (std::map<std::string, std::string>{{"alertname", "ChiTieuCoNguyCoCham"},
                                                              {"indicator", "paper_dossier_share"},
                                                              {"office", "phong_vhxh"},
                                                              {"severity", "warning"},
                                                              {"unit", "gia_loc"}}));
  EXPECT_EQ(alert.annotations.at("summary"),
            "Xã Gia Lộc: Tỷ lệ hồ sơ nộp giấy 38 / <= 30 (31/12/2025)");
  EXPECT_EQ(alert.annotations.at("description"), "Kỳ vọng 35,0.\nĐơn vị: Phòng Văn hóa - Xã hội");
}

TEST_F(AlertsTest, PendingForThenFiringThenKeptThenResolvedThenForgotten) {
  Alerting alerting(&log_);
  ASSERT_TRUE(alerting.Restore().ok());
  alerting.SetRules({AtRiskRule(std::chrono::hours(1), std::chrono::hours(2))});
  const Evaluation behind = Behind();
  const Evaluation recovered = Recovered();
  const TimestampMs t0 = Noon({2025, 11, 6});

  ASSERT_TRUE(alerting.Update(behind, t0).ok());
  ASSERT_EQ(alerting.Alerts().size(), 1u);
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kPending);
  EXPECT_EQ(alerting.Alerts()[0].active_at, t0);

  ASSERT_TRUE(alerting.Update(behind, t0 + 59 * kMinute).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kPending);
  ASSERT_TRUE(alerting.Update(behind, t0 + kHour).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(alerting.Alerts()[0].fired_at, t0 + kHour);
  EXPECT_EQ(alerting.Alerts()[0].active_at, t0);

  // The indicator recovers at t1; it last held at t0 + 1h, so it keeps firing until t0 + 3h.
  const TimestampMs t1 = t0 + 2 * kHour;
  ASSERT_TRUE(alerting.Update(recovered, t1).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kFiring);
  ASSERT_TRUE(alerting.Update(recovered, t1 + 59 * kMinute).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kFiring);
  ASSERT_TRUE(alerting.Update(recovered, t1 + kHour).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kResolved);
  EXPECT_EQ(alerting.Alerts()[0].resolved_at, t1 + kHour);
  EXPECT_EQ(log_.Load()->at(0).state, AlertState::kResolved);

  ASSERT_TRUE(alerting.Update(recovered, t1 + kHour + 14 * kMinute).ok());
  EXPECT_EQ(alerting.Alerts().size(), 1u);  // resolved alerts stay 15 minutes
  ASSERT_TRUE(alerting.Update(recovered, t1 + kHour + 15 * kMinute).ok());
  EXPECT_TRUE(alerting.Alerts().empty());
  EXPECT_TRUE(log_.Load()->empty());
}

TEST_F(AlertsTest, PendingThatStopsHoldingDisappears) {
  Alerting alerting(&log_);
  alerting.SetRules({AtRiskRule(std::chrono::hours(1), std::chrono::hours(2))});
  ASSERT_TRUE(alerting.Update(Behind(), 0).ok());
  ASSERT_TRUE(alerting.Update(Recovered(), kMinute).ok());
  EXPECT_TRUE(alerting.Alerts().empty());
  EXPECT_TRUE(log_.Load()->empty());
}

TEST_F(AlertsTest, ARestartInTheMiddleOfPendingKeepsItsStart) {
  const TimestampMs t0 = Noon({2025, 11, 6});
  {
    Alerting before(&log_);
    before.SetRules({AtRiskRule(std::chrono::hours(1), {})});
    ASSERT_TRUE(before.Update(Behind(), t0).ok());
  }
  Alerting after(&log_);
  ASSERT_TRUE(after.Restore().ok());
  after.SetRules({AtRiskRule(std::chrono::hours(1), {})});
  ASSERT_EQ(after.Alerts().size(), 1u);
  EXPECT_EQ(after.Alerts()[0].state, AlertState::kPending);
  ASSERT_TRUE(after.Update(Behind(), t0 + kHour).ok());
  EXPECT_EQ(after.Alerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(after.Alerts()[0].active_at, t0);
}

// One evaluation of a timeline: minutes after the start, whether the condition holds.
struct Step {
  int minute = 0;
  bool holds = false;
};

class RestartTest : public AlertsTest {
 protected:
  const TimestampMs start_ = Noon({2025, 11, 6});

  // The alert after each step of `steps` under `rule`, on a clock set to each step's instant. With
  // `restarts`, the service restarts (a new Alerting restored from the same log) before the steps
  // at those minutes.
  std::vector<std::optional<Alert>> Run(const AlertRule& rule, const std::vector<Step>& steps,
                                        const std::set<int>& restarts = {}) {
    MemoryAlertLog log;
    FakeClock clock(start_);
    const Evaluation behind = Behind();
    const Evaluation recovered = Recovered();
    auto alerting = std::make_unique<Alerting>(&log);
    alerting->SetRules({rule});
    std::vector<std::optional<Alert>> out;
    for (const Step& step : steps) {
      if (restarts.contains(step.minute)) {
        alerting = std::make_unique<Alerting>(&log);
        EXPECT_TRUE(alerting->Restore().ok());
        alerting->SetRules({rule});
      }
      clock.Set(start_ + step.minute * kMinute);
      EXPECT_TRUE(alerting->Update(step.holds ? behind : recovered, clock.Now()).ok());
      const std::vector<Alert> alerts = alerting->Alerts();
      EXPECT_LE(alerts.size(), 1u);
      out.push_back(alerts.empty() ? std::nullopt : std::optional(alerts.front()));
    }
    return out;
  }

  // Every minute of each span (first, last, whether the condition holds), in order.
  struct Span {
    int first = 0;
    int last = 0;
    bool holds = false;
  };
  static std::vector<Step> Steps(std::initializer_list<Span> spans) {
    std::vector<Step> out;
    for (const Span& span : spans) {
      for (int minute = span.first; minute <= span.last; ++minute) {
        out.push_back({minute, span.holds});
      }
    }
    return out;
  }

  // keep_firing_for 10 minutes, no `for`.
  const AlertRule kept_ = AtRiskRule({}, std::chrono::minutes(10));

  static std::optional<AlertState> StateAt(const std::vector<Step>& steps,
                                           const std::vector<std::optional<Alert>>& alerts,
                                           int minute) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].minute == minute && alerts[i]) return alerts[i]->state;
    }
    return std::nullopt;
  }

  // The first minute at which the alert was resolved; -1 if never.
  static int ResolvedAt(const std::vector<Step>& steps,
                        const std::vector<std::optional<Alert>>& alerts) {
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (alerts[i] && alerts[i]->state == AlertState::kResolved) return steps[i].minute;
    }
    return -1;
  }
};

TEST_F(RestartTest, PendingForCountsFromTheOriginalStartAcrossARestart) {
  const AlertRule rule = AtRiskRule(std::chrono::minutes(5), {});
  const std::vector<Step> steps = Steps({{0, 7, true}});
  const auto restarted = Run(rule, steps, /*restarts=*/{3});
  EXPECT_EQ(restarted, Run(rule, steps));  // as if there had been no restart
  EXPECT_EQ(StateAt(steps, restarted, 4), AlertState::kPending);
  EXPECT_EQ(StateAt(steps, restarted, 5), AlertState::kFiring);
  EXPECT_EQ(restarted[5]->active_at, start_);
  EXPECT_EQ(restarted[5]->fired_at, start_ + 5 * kMinute);
}

// The condition stopped at an evaluation before the restart (the instant it last held was
// written then), or held again after it: the alert resolves as without the restart.
TEST_F(RestartTest, KeepFiringForCountsFromTheLastHoldKnownBeforeTheRestart) {
  auto resolved_at = [this](const std::vector<Step>& steps, int restart) {
    const auto restarted = Run(kept_, steps, {restart});
    EXPECT_EQ(restarted, Run(kept_, steps));
    return ResolvedAt(steps, restarted);
  };
  EXPECT_EQ(resolved_at(Steps({{0, 5, true}, {6, 20, false}}), 7), 15);  // 10 min after minute 5
  EXPECT_EQ(resolved_at(Steps({{0, 8, true}, {9, 30, false}}), 6), 18);  // 10 min after minute 8
}

TEST_F(RestartTest, KeepFiringForNeverEndsEarlyWhenTheConditionStoppedDuringTheRestart) {
  // The condition held at the last evaluation before the restart (minute 5, its last write was
  // at minute 0) and no longer does at the first one after (minute 6): the service cannot know
  // whether it held in between, so it counts from minute 6, as Prometheus's KeptFiringSince.
  const std::vector<Step> steps = Steps({{0, 5, true}, {6, 20, false}});
  const auto restarted = Run(kept_, steps, /*restarts=*/{6});
  EXPECT_EQ(StateAt(steps, restarted, 6), AlertState::kFiring);
  EXPECT_EQ(ResolvedAt(steps, restarted), 16);  // without the restart: 15
  EXPECT_EQ(restarted[6]->kept_firing_since, start_ + 6 * kMinute);
  EXPECT_EQ(restarted[6]->last_active_at, start_);  // what the log knew, not an invented hold

  // A second restart while it is kept firing changes nothing.
  EXPECT_EQ(Run(kept_, steps, /*restarts=*/{6, 10}), restarted);
}

TEST_F(AlertsTest, AReloadKeepsStatesOfRulesThatStayAndResolvesRemovedOnes) {
  Alerting alerting(&log_);
  alerting.SetRules({AtRiskRule({}, {})});
  ASSERT_TRUE(alerting.Update(Behind(), 0).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kFiring);
  alerting.SetRules({AtRiskRule({}, {})});  // same rule reloaded
  ASSERT_TRUE(alerting.Update(Behind(), kMinute).ok());
  EXPECT_EQ(alerting.Alerts()[0].fired_at, 0);
  alerting.SetRules({});  // rule deleted
  ASSERT_TRUE(alerting.Update(Behind(), 2 * kMinute).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kResolved);
}

class BrokenLog final : public AlertLog {
 public:
  Result<std::vector<Alert>> Load() const override { return std::vector<Alert>{}; }
  Status Apply(const AlertChanges& changes) override {
    if (fail) return Status::Unavailable("disk busy");
    written = changes;
    return Status::Ok();
  }
  bool fail = true;
  AlertChanges written;
};

// Counts what reaches the log.
class CountingLog final : public AlertLog {
 public:
  Result<std::vector<Alert>> Load() const override { return memory.Load(); }
  Status Apply(const AlertChanges& changes) override {
    ++applies;
    upserts += changes.upserted.size();
    return memory.Apply(changes);
  }
  MemoryAlertLog memory;
  int applies = 0;
  std::size_t upserts = 0;
};

TEST_F(AlertsTest, OnlyChangesAreWritten) {
  CountingLog log;
  Alerting alerting(&log);
  alerting.SetRules({AtRiskRule(std::chrono::hours(1), std::chrono::hours(2))});
  const Evaluation behind = Behind();
  const TimestampMs t0 = Noon({2025, 11, 6});
  ASSERT_TRUE(alerting.Update(behind, t0).ok());  // new pending alert
  EXPECT_EQ(log.upserts, 1u);
  for (int minute = 1; minute < 60; ++minute) {  // still pending, nothing new
    ASSERT_TRUE(alerting.Update(behind, t0 + minute * kMinute).ok());
  }
  EXPECT_EQ(log.applies, 1);
  ASSERT_TRUE(alerting.Update(behind, t0 + kHour).ok());  // fires
  EXPECT_EQ(log.upserts, 2u);
  ASSERT_TRUE(alerting.Update(behind, t0 + 61 * kMinute).ok());  // firing, unchanged
  EXPECT_EQ(log.upserts, 2u);

  // The condition stops holding: the instant it last held is written once, since
  // keep_firing_for counts from it after a restart.
  const Evaluation recovered = Recovered();
  ASSERT_TRUE(alerting.Update(recovered, t0 + 62 * kMinute).ok());
  EXPECT_EQ(log.upserts, 3u);
  EXPECT_EQ(log.memory.Load()->at(0).last_active_at, t0 + 61 * kMinute);
  ASSERT_TRUE(alerting.Update(recovered, t0 + 63 * kMinute).ok());
  EXPECT_EQ(log.upserts, 3u);

  // A restarted service writes nothing for what it restored unchanged.
  Alerting restarted(&log);
  ASSERT_TRUE(restarted.Restore().ok());
  restarted.SetRules({AtRiskRule(std::chrono::hours(1), std::chrono::hours(2))});
  ASSERT_TRUE(restarted.Update(recovered, t0 + 64 * kMinute).ok());
  EXPECT_EQ(log.upserts, 3u);
  EXPECT_EQ(restarted.Alerts()[0].state, AlertState::kFiring);
}

TEST_F(AlertsTest, AFailedWriteIsRetriedWithTheNextUpdate) {
  BrokenLog log;
  Alerting alerting(&log);
  alerting.SetRules({AtRiskRule(std::chrono::hours(1), {})});
  EXPECT_FALSE(alerting.Update(Behind(), 0).ok());
  log.fail = false;
  ASSERT_TRUE(alerting.Update(Recovered(), kMinute).ok());
  EXPECT_TRUE(log.written.upserted.empty());
  ASSERT_EQ(log.written.removed.size(), 1u);  // the pending alert never written, now gone
}

}  // namespace
}  // namespace chiso::rules
