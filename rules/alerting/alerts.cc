#include "rules/alerting/alerts.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "rules/alerting/alert_text.h"
#include "rules/alerting/series_alerts.h"

namespace chiso::rules {
namespace {

using Values = std::map<std::string, std::string>;

std::string OfficeName(const catalog::Catalog& catalog, const std::string& code) {
  const catalog::Office* office = catalog.FindOffice(code);
  return office != nullptr ? office->name : code;
}

bool Allowed(const std::vector<std::string>& filter, const std::string& value) {
  return filter.empty() || std::find(filter.begin(), filter.end(), value) != filter.end();
}

// " (<what> không do văn bản quy định mà do người lập kế hoạch suy ra: <basis>)" when the
// encoder inferred it (`basis` set); "" when the source states it.
std::string InferredNote(std::string_view what, const std::string* basis) {
  if (basis == nullptr) return "";
  return " (" + std::string(what) +
         " không do văn bản quy định mà do người lập kế hoạch suy ra: " + *basis + ")";
}

// The basis on which `field` of an entry was inferred; nullptr when the source states it.
const std::string* BasisOf(const catalog::Inferred& inferred, std::string_view field) {
  auto it = inferred.find(field);
  return it == inferred.end() ? nullptr : &it->second;
}

Values IndicatorValues(const IndicatorRow& row, const catalog::Catalog& catalog) {
  const IndicatorAssessment& a = row.assessment;
  Values v = {{"unit", row.unit->id},
              {"unit_name", row.unit->name},
              {"office", row.office},
              {"office_name", OfficeName(catalog, row.office)},
              {"indicator", row.indicator->code},
              {"indicator_name", row.indicator->name},
              {"status", std::string(IndicatorStatusName(a.status))},
              {"status_label", std::string(IndicatorStatusLabel(a.status))},
              {"value", VietnameseNumber(a.latest ? std::optional(a.latest->value) : std::nullopt)},
              {"value_date", a.latest ? VietnameseDate(a.latest->at, row.unit->zone) : "chưa có"},
              {"expected", VietnameseNumber(a.expected)},
              {"forecast", VietnameseNumber(a.forecast)},
              {"pace", VietnameseNumber(a.pace, 2)}};
  if (a.target) {
    v["target"] = a.target->band ? "khoảng " + VietnameseNumber(a.target->target) + " (± " +
                                       VietnameseShortNumber(*a.target->band) + ")"
                                 : std::string(catalog::ComparisonSymbol(a.target->op)) + " " +
                                       VietnameseNumber(a.target->target);
    v["target_date"] = VietnameseDate(a.target->date);
    v["deadline_note"] = InferredNote(
        "mốc thời gian", a.target->date_inferred ? &*a.target->date_inferred : nullptr);
  } else {
    v["target"] = v["target_date"] = "chưa có";
    v["deadline_note"] = "";
  }
  return v;
}

Values ReportValues(const ReportRow& row, const catalog::Catalog& catalog) {
  const ReportAssessment& a = row.assessment;
  return {{"unit", row.unit->id},
          {"unit_name", row.unit->name},
          {"office", a.rule->office},
          {"office_name", OfficeName(catalog, a.rule->office)},
          {"report", a.rule->id},
          {"report_name", a.rule->name},
          {"recipient", a.rule->recipient},
          {"period", a.period.ToString()},
          {"period_label", VietnamesePeriod(a.period)},
          {"due_date", VietnameseDate(a.due_at, row.unit->zone)},
          {"due_note", InferredNote("hạn nộp", BasisOf(a.rule->inferred, "due"))},
          {"state", std::string(ReportStateName(a.state))},
          {"state_label", std::string(ReportStateLabel(a.state))},
          {"received_date",
           a.received_at ? VietnameseDate(*a.received_at, row.unit->zone) : "chưa nhận"}};
}

// The facts of a task alert addressed to `office` (its lead or its main office).
Values TaskValues(const TaskRow& row, const catalog::Catalog& catalog, TimestampMs now,
                  const std::string& office) {
  const TaskAssessment& a = row.assessment;
  const std::string& main_office = a.task->main_office;
  Values v = {
      {"unit", row.unit->id},
      {"unit_name", row.unit->name},
      {"office", office},
      {"office_name", OfficeName(catalog, office)},
      {"lead_name", OfficeName(catalog, a.task->lead)},
      {"main_office_name", main_office.empty() ? "không nêu" : OfficeName(catalog, main_office)},
      {"task", a.task->id},
      {"task_title", a.task->title},
      {"deadline_text", a.task->deadline_text},
      {"deadline_note", InferredNote("thời hạn", BasisOf(a.task->inferred, "deadline"))},
      {"state_label", std::string(TaskStateLabel(a.state))}};
  if (a.occurrence) {
    v["deadline"] = VietnameseDate(a.occurrence->deadline);
    v["days_left"] = std::to_string((a.occurrence->due_at - now) / kMsPerDay);
  } else {
    v["deadline"] = v["days_left"] = "chưa xác định";
  }
  return v;
}

Alert MakeAlert(const AlertRule& rule, const Values& values, const char* subject_label) {
  Alert alert;
  alert.labels = {{"alertname", rule.name},
                  {"unit", values.at("unit")},
                  {"office", values.at("office")},
                  {"severity", rule.severity},
                  {subject_label, values.at(subject_label)}};
  for (const auto& [name, value] : rule.labels) alert.labels[name] = value;
  alert.annotations = {{"summary", RenderTemplate(rule.summary, values)},
                       {"description", RenderTemplate(rule.description, values)}};
  return alert;
}

}  // namespace

std::string_view AlertStateName(AlertState state) {
  switch (state) {
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
    case AlertState::kResolved:
      return "resolved";
  }
  return "pending";
}

std::string Alert::Fingerprint() const {
  std::string out;
  for (const auto& [name, value] : labels) out += name + "=" + value + ";";
  return out;
}

RuleMatches MatchRules(std::span<const AlertRule> rules, const Evaluation& evaluation,
                       const SeriesProbe* probe) {
  const catalog::Catalog& catalog = *evaluation.catalog;
  RuleMatches matches;
  std::vector<Alert>& out = matches.alerts;
  for (const AlertRule& rule : rules) {
    switch (rule.kind) {
      case AlertKind::kThreshold:
      case AlertKind::kSilentSource: {
        auto alerts =
            probe != nullptr
                ? MatchSeriesRule(rule, catalog, *probe, evaluation.evaluated_at)
                : Result<std::vector<Alert>>(Status::FailedPrecondition("no series source"));
        if (!alerts.ok()) {
          matches.unevaluated.insert(rule.name);
          matches.problems.push_back("alert rule " + rule.name + ": " + alerts.status().message());
          continue;
        }
        std::move(alerts->begin(), alerts->end(), std::back_inserter(out));
        break;
      }
      case AlertKind::kIndicatorStatus:
        for (const IndicatorRow& row : evaluation.indicators) {
          const IndicatorStatus status = row.assessment.status;
          if (std::find(rule.statuses.begin(), rule.statuses.end(), status) ==
                  rule.statuses.end() ||
              !Allowed(rule.units, row.unit->id) || !Allowed(rule.offices, row.office) ||
              !Allowed(rule.indicators, row.indicator->code)) {
            continue;
          }
          out.push_back(MakeAlert(rule, IndicatorValues(row, catalog), "indicator"));
        }
        break;
      case AlertKind::kReportState:
        for (const ReportRow& row : evaluation.reports) {
          const ReportAssessment& a = row.assessment;
          if (std::find(rule.report_states.begin(), rule.report_states.end(), a.state) ==
                  rule.report_states.end() ||
              !Allowed(rule.units, row.unit->id) || !Allowed(rule.offices, a.rule->office)) {
            continue;
          }
          out.push_back(MakeAlert(rule, ReportValues(row, catalog), "report"));
        }
        break;
      case AlertKind::kTask:
        for (const TaskRow& row : evaluation.tasks) {
          const TaskAssessment& a = row.assessment;
          const bool matches = rule.task_due_within_days ? a.DueWithin(evaluation.evaluated_at,
                                                                       *rule.task_due_within_days)
                                                         : a.overdue;
          if (!matches || !Allowed(rule.units, row.unit->id)) continue;
          // The lead (cơ quan chủ trì) and the main office (phòng thực hiện chính) each get one.
          std::vector<std::string> recipients = {a.task->lead};
          if (!a.task->main_office.empty() && a.task->main_office != a.task->lead) {
            recipients.push_back(a.task->main_office);
          }
          for (const std::string& office : recipients) {
            if (!Allowed(rule.offices, office)) continue;
            out.push_back(
                MakeAlert(rule, TaskValues(row, catalog, evaluation.evaluated_at, office), "task"));
          }
        }
        break;
    }
  }
  return matches;
}

Result<std::vector<Alert>> MemoryAlertLog::Load() const {
  std::lock_guard lock(mutex_);
  std::vector<Alert> out;
  for (const auto& [fingerprint, alert] : alerts_) out.push_back(alert);
  return out;
}

Status MemoryAlertLog::Apply(const AlertChanges& changes) {
  std::lock_guard lock(mutex_);
  for (const Alert& alert : changes.upserted) alerts_[alert.Fingerprint()] = alert;
  for (const std::string& fingerprint : changes.removed) alerts_.erase(fingerprint);
  return Status::Ok();
}

Status Alerting::Restore() {
  auto saved = log_->Load();
  if (!saved.ok()) return saved.status();
  std::lock_guard lock(mutex_);
  for (Alert& alert : *saved) {
    const std::string fingerprint = alert.Fingerprint();
    saved_[fingerprint] = alert;
    if (alert.state == AlertState::kFiring && alert.kept_firing_since == 0) {
      held_before_restart_.insert(fingerprint);
    }
    alerts_[fingerprint] = std::move(alert);
  }
  return Status::Ok();
}

void Alerting::SetRules(std::vector<AlertRule> rules) {
  std::lock_guard lock(mutex_);
  rules_ = std::move(rules);
}

Status Alerting::Update(const Evaluation& evaluation, TimestampMs now,
                        std::vector<std::string>* problems) {
  std::lock_guard lock(mutex_);
  RuleMatches matched = MatchRules(rules_, evaluation, probe_);
  if (problems != nullptr) {
    problems->insert(problems->end(), matched.problems.begin(), matched.problems.end());
  }
  Advance(std::move(matched), now);
  const AlertChanges changes = Unsaved(now);
  if (changes.upserted.empty() && changes.removed.empty()) return Status::Ok();
  const Status written = log_->Apply(changes);
  for (const Alert& alert : changes.upserted) {
    saved_[alert.Fingerprint()] = written.ok() ? std::optional(alert) : std::nullopt;
  }
  for (const std::string& fingerprint : changes.removed) {
    if (written.ok()) {
      saved_.erase(fingerprint);
    } else {
      saved_[fingerprint] = std::nullopt;
    }
  }
  return written;
}

AlertChanges Alerting::Unsaved(TimestampMs now) const {
  // Whether the log must be rewritten for `alert`: anything changed, except the instant its
  // condition last held while it still holds.
  auto changed = [now](const Alert& alert, const Alert& saved) {
    if (alert.last_active_at != now) return alert != saved;
    Alert held = alert;
    held.last_active_at = saved.last_active_at;
    return held != saved;
  };
  AlertChanges changes;
  for (const auto& [fingerprint, alert] : alerts_) {
    auto saved = saved_.find(fingerprint);
    if (saved == saved_.end() || !saved->second || changed(alert, *saved->second)) {
      changes.upserted.push_back(alert);
    }
  }
  for (const auto& [fingerprint, saved] : saved_) {
    if (!alerts_.contains(fingerprint)) changes.removed.push_back(fingerprint);
  }
  return changes;
}

void Alerting::Advance(RuleMatches matched, TimestampMs now) {
  auto rule_of = [this](const std::string& name) -> const AlertRule* {
    for (const AlertRule& rule : rules_) {
      if (rule.name == name) return &rule;
    }
    return nullptr;
  };
  std::set<std::string> active;
  for (Alert& candidate : matched.alerts) {
    const std::string fingerprint = candidate.Fingerprint();
    if (!active.insert(fingerprint).second) continue;
    const AlertRule& rule = *rule_of(candidate.name());
    held_before_restart_.erase(fingerprint);
    auto it = alerts_.find(fingerprint);
    if (it == alerts_.end() || it->second.state == AlertState::kResolved) {
      candidate.active_at = now;
      candidate.last_active_at = now;
      if (rule.for_duration.count() == 0) {
        candidate.state = AlertState::kFiring;
        candidate.fired_at = now;
      }
      alerts_.insert_or_assign(fingerprint, std::move(candidate));
    } else {
      Alert& alert = it->second;
      alert.annotations = std::move(candidate.annotations);
      alert.last_active_at = now;
      alert.kept_firing_since = 0;
      if (alert.state == AlertState::kPending &&
          now - alert.active_at >= rule.for_duration.count()) {
        alert.state = AlertState::kFiring;
        alert.fired_at = now;
      }
    }
  }
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    Alert& alert = it->second;
    const AlertRule* rule = rule_of(alert.name());
    bool remove = false;
    if (active.contains(it->first) || matched.unevaluated.contains(alert.name())) {
      // still active, or not judged this time: as it was
    } else if (alert.state == AlertState::kPending) {
      remove = true;
    } else if (alert.state == AlertState::kFiring) {
      if (alert.kept_firing_since == 0) {
        // The condition stopped holding. When it held at the last evaluation before a restart,
        // it may have held until just before this one: count from now rather than resolve early.
        alert.kept_firing_since =
            held_before_restart_.erase(it->first) != 0 ? now : alert.last_active_at;
      }
      const bool kept =
          rule != nullptr && now - alert.kept_firing_since < rule->keep_firing_for.count();
      if (!kept) {
        alert.state = AlertState::kResolved;
        alert.resolved_at = now;
      }
    } else if (now - alert.resolved_at >= kResolvedRetentionMs) {
      remove = true;
    }
    it = remove ? alerts_.erase(it) : std::next(it);
  }
}

std::vector<Alert> Alerting::Alerts() const {
  std::lock_guard lock(mutex_);
  std::vector<Alert> out;
  for (const auto& [fingerprint, alert] : alerts_) out.push_back(alert);
  return out;
}

}  // namespace chiso::rules
