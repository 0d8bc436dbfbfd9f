#include "rules/alerting/alert_rules.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "common/duration.h"
#include "common/yaml_fields.h"

namespace chiso::rules {
namespace {

constexpr std::chrono::milliseconds kNoDuration{0};

bool IsAlertName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// The comparisons of a threshold rule, written as in PromQL.
const std::vector<std::pair<std::string_view, catalog::Comparison>> kThresholdOps = {
    {">", catalog::Comparison::kGreater}, {">=", catalog::Comparison::kGreaterEqual},
    {"<", catalog::Comparison::kLess},    {"<=", catalog::Comparison::kLessEqual},
    {"==", catalog::Comparison::kEqual},  {"!=", catalog::Comparison::kNotEqual}};

// Reads one rule; returns nullopt when it has problems (already recorded).
class RuleReader {
 public:
  RuleReader(const std::string& file, const catalog::Catalog* catalog, Diagnostics* problems)
      : file_(file), catalog_(catalog), problems_(problems) {}

  std::optional<AlertRule> Read(const YAML::Node& node, const std::string& group) {
    const std::size_t problems_before = problems_->size();
    YamlFields f(node, "alert rule", file_, problems_);
    AlertRule rule;
    rule.group = group;
    rule.defined_at = {file_, f.line()};
    if (auto name = f.String("alert", Presence::kRequired)) {
      if (!IsAlertName(*name)) {
        f.ErrorAt(FieldOf(node, "alert"), "alert '" + *name +
                                              "' must be letters, digits and '_', not starting "
                                              "with a digit (like ChiTieuChamTienDo)");
      }
      rule.name = *name;
    }
    ReadKind(f, node, &rule);
    rule.units = ReadCodes(f, node, "units", [this](const std::string& c) {
      return catalog_ == nullptr || catalog_->FindUnit(c) != nullptr;
    });
    rule.offices = ReadCodes(f, node, "offices", [this](const std::string& c) {
      return catalog_ == nullptr || catalog_->FindOffice(c) != nullptr;
    });
    rule.indicators = ReadCodes(f, node, "indicators", [this](const std::string& c) {
      return catalog_ == nullptr || catalog_->FindIndicator(c) != nullptr;
    });
    if (!rule.indicators.empty() && rule.kind != AlertKind::kIndicatorStatus) {
      f.ErrorAt(FieldOf(node, "indicators"), "indicators only narrows indicator_status rules");
    }
    rule.for_duration = f.Duration("for", Presence::kOptional).value_or(kNoDuration);
    rule.keep_firing_for = f.Duration("keep_firing_for", Presence::kOptional).value_or(kNoDuration);
    if (auto severity = f.Enum<std::string>(
            "severity", {{"info", "info"}, {"warning", "warning"}, {"critical", "critical"}},
            Presence::kOptional)) {
      rule.severity = *severity;
    }
    ReadLabels(f, FieldOf(node, "labels"), &rule);
    f.Child("labels", Presence::kOptional);
    ReadAnnotations(f.Child("annotations", Presence::kRequired), &rule);
    f.RejectUnknownKeys();
    if (problems_->size() != problems_before) return std::nullopt;
    return rule;
  }

 private:
  // The rule's condition: exactly one of its five kinds.
  void ReadKind(YamlFields& f, const YAML::Node& node, AlertRule* rule) {
    int kinds = 0;
    for (const char* key :
         {"indicator_status", "report_state", "task", "threshold", "silent_source"}) {
      kinds += FieldOf(node, key).IsDefined();
    }
    if (kinds != 1) {
      f.Error(
          "needs exactly one of indicator_status, report_state, task, threshold, "
          "silent_source");
    }
    ReadIndicatorStatusCondition(f, node, rule);
    ReadReportStateCondition(f, node, rule);
    if (const YAML::Node threshold = f.Child("threshold", Presence::kOptional);
        threshold.IsDefined()) {
      ReadThresholdCondition(threshold, rule);
    }
    if (const YAML::Node silent = f.Child("silent_source", Presence::kOptional);
        silent.IsDefined()) {
      ReadSilentSourceCondition(silent, rule);
    }
    if (const YAML::Node task = f.Child("task", Presence::kOptional); task.IsDefined()) {
      ReadTaskCondition(f, task, rule);
    }
  }

  // indicator_status: [off_track, overdue]
  void ReadIndicatorStatusCondition(YamlFields& f, const YAML::Node& node, AlertRule* rule) {
    auto names = f.SlugList("indicator_status", Presence::kOptional);
    if (!names) return;
    rule->kind = AlertKind::kIndicatorStatus;
    for (const std::string& name : *names) {
      if (auto status = ParseIndicatorStatus(name)) {
        rule->statuses.push_back(*status);
      } else {
        f.ErrorAt(FieldOf(node, "indicator_status"),
                  "indicator_status '" + name +
                      "' is not one of achieved, on_track, at_risk, off_track, overdue, "
                      "no_data, stale");
      }
    }
  }

  // report_state: [awaited, missing]
  void ReadReportStateCondition(YamlFields& f, const YAML::Node& node, AlertRule* rule) {
    auto names = f.SlugList("report_state", Presence::kOptional);
    if (!names) return;
    rule->kind = AlertKind::kReportState;
    for (const std::string& name : *names) {
      if (auto state = ParseReportState(name)) {
        rule->report_states.push_back(*state);
      } else {
        f.ErrorAt(
            FieldOf(node, "report_state"),
            "report_state '" + name + "' is not one of not_due, on_time, late, awaited, missing");
      }
    }
  }

  // threshold: {series: '<selector>', op: '<', value: 80}
  void ReadThresholdCondition(const YAML::Node& threshold, AlertRule* rule) {
    rule->kind = AlertKind::kThreshold;
    YamlFields tf(threshold, "threshold condition", file_, problems_);
    ReadSelector(tf, threshold, &rule->series);
    if (auto op = tf.Enum<catalog::Comparison>("op", kThresholdOps, Presence::kRequired)) {
      rule->series.op = *op;
    }
    if (auto value = tf.Number("value", Presence::kRequired)) rule->series.threshold = *value;
    tf.RejectUnknownKeys();
  }

  // silent_source: {series: '<selector>', silent_for: 6h}
  void ReadSilentSourceCondition(const YAML::Node& silent, AlertRule* rule) {
    rule->kind = AlertKind::kSilentSource;
    YamlFields sf(silent, "silent_source condition", file_, problems_);
    ReadSelector(sf, silent, &rule->series);
    rule->series.silent_for =
        sf.PositiveDuration("silent_for", Presence::kRequired, "6h").value_or(kNoDuration);
    sf.RejectUnknownKeys();
  }

  // task: overdue, or task: {due_within_days: N}
  void ReadTaskCondition(YamlFields& f, const YAML::Node& task, AlertRule* rule) {
    rule->kind = AlertKind::kTask;
    if (task.IsScalar() && task.Scalar() == "overdue") return;
    if (!task.IsMap()) {
      f.ErrorAt(task, "task must be 'overdue' or {due_within_days: N}");
      return;
    }
    YamlFields tf(task, "task condition", file_, problems_);
    if (auto days = tf.Integer("due_within_days", Presence::kRequired)) {
      if (*days < 0 || *days > 3660) {
        tf.ErrorAt(FieldOf(task, "due_within_days"), "due_within_days must be 0..3660");
      }
      rule->task_due_within_days = static_cast<int>(*days);
    }
    tf.RejectUnknownKeys();
  }

  template <typename Exists>
  std::vector<std::string> ReadCodes(YamlFields& f, const YAML::Node& node, const char* key,
                                     Exists exists) {
    auto codes = f.SlugList(key, Presence::kOptional);
    if (!codes) return {};
    for (const std::string& code : *codes) {
      if (!exists(code)) {
        f.ErrorAt(FieldOf(node, key), std::string(key) + ": '" + code + "' is not in the catalog");
      }
    }
    return *codes;
  }

  void ReadSelector(YamlFields& f, const YAML::Node& node, SeriesCondition* condition) {
    auto text = f.String("series", Presence::kRequired);
    if (!text) return;
    auto matchers = ParseSeriesSelector(*text);
    if (!matchers.ok()) {
      f.ErrorAt(FieldOf(node, "series"), "series: " + matchers.status().message());
      return;
    }
    condition->selector = *text;
    condition->matchers = std::move(matchers.value());
  }

  void ReadLabels(YamlFields& f, const YAML::Node& labels, AlertRule* rule) {
    if (!labels.IsDefined() || labels.IsNull()) return;
    if (!labels.IsMap()) {
      f.ErrorAt(labels, "labels must be a mapping of name: value");
      return;
    }
    static const std::set<std::string, std::less<>> kReserved = {
        "alertname", "unit", "office", "severity", "indicator", "task", "report", "alertstate"};
    for (const auto& entry : labels) {
      const std::string name = entry.first.Scalar();
      if (!IsAlertName(name) || kReserved.contains(name)) {
        f.ErrorAt(entry.first, "label '" + name + "' is reserved or not a valid label name");
        continue;
      }
      if (!entry.second.IsScalar() || entry.second.Scalar().empty()) {
        f.ErrorAt(entry.second, "label '" + name + "' needs a non-empty value");
        continue;
      }
      rule->labels[name] = entry.second.Scalar();
    }
  }

  void ReadAnnotations(const YAML::Node& node, AlertRule* rule) {
    if (!node.IsDefined()) return;
    YamlFields af(node, "annotations of alert '" + rule->name + "'", file_, problems_);
    for (auto [key, target, presence] :
         {std::tuple{"summary", &rule->summary, Presence::kRequired},
          std::tuple{"description", &rule->description, Presence::kOptional}}) {
      auto text = af.String(key, presence);
      if (!text) continue;
      CheckTemplate(af, FieldOf(node, key), *text, rule->kind);
      *target = *text;
    }
    af.RejectUnknownKeys();
  }

  void CheckTemplate(YamlFields& f, const YAML::Node& node, const std::string& text,
                     AlertKind kind) {
    const auto& allowed = AlertVariables(kind);
    for (std::size_t open = text.find("{{"); open != std::string::npos;
         open = text.find("{{", open + 2)) {
      const std::size_t close = text.find("}}", open);
      if (close == std::string::npos) {
        f.ErrorAt(node, "template has '{{' without a closing '}}'");
        return;
      }
      const std::string name = text.substr(open + 2, close - open - 2);
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string names;
        for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
        f.ErrorAt(node, "unknown template variable '{{" + name + "}}'; this rule knows: " + names);
      }
    }
  }

  const std::string& file_;
  const catalog::Catalog* catalog_;
  Diagnostics* problems_;
};

}  // namespace

const std::vector<std::string_view>& AlertVariables(AlertKind kind) {
  static const std::vector<std::string_view> kIndicator = {
      "unit",        "unit_name",     "office",   "office_name", "indicator", "indicator_name",
      "status",      "status_label",  "value",    "value_date",  "expected",  "target",
      "target_date", "deadline_note", "forecast", "pace"};
  static const std::vector<std::string_view> kReport = {
      "unit",        "unit_name", "office",      "office_name",  "report",
      "report_name", "recipient", "period",      "period_label", "due_date",
      "due_note",    "state",     "state_label", "received_date"};
  static const std::vector<std::string_view> kTask = {
      "unit",     "unit_name",  "office",   "office_name",   "lead_name",     "main_office_name",
      "task",     "task_title", "deadline", "deadline_text", "deadline_note", "state_label",
      "days_left"};
  static const std::vector<std::string_view> kThreshold = {
      "unit",  "unit_name",  "office", "office_name", "series",    "metric",
      "value", "value_date", "op",     "threshold",   "indicator", "indicator_name"};
  static const std::vector<std::string_view> kSilent = {
      "unit",   "unit_name",  "office",    "office_name", "series",
      "metric", "last_value", "last_sent", "silent_for",  "days_silent"};
  switch (kind) {
    case AlertKind::kThreshold:
      return kThreshold;
    case AlertKind::kSilentSource:
      return kSilent;
    case AlertKind::kIndicatorStatus:
      return kIndicator;
    case AlertKind::kReportState:
      return kReport;
    case AlertKind::kTask:
      return kTask;
  }
  return kIndicator;
}

std::string RenderTemplate(std::string_view text,
                           const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = text.find("{{", at);
    const std::size_t close = open == std::string_view::npos ? open : text.find("}}", open);
    if (close == std::string_view::npos) {
      out.append(text.substr(at));
      return out;
    }
    out.append(text.substr(at, open - at));
    auto it = values.find(std::string(text.substr(open + 2, close - open - 2)));
    if (it != values.end()) out += it->second;
    at = close + 2;
  }
}

AlertRuleLoad LoadAlertRules(const std::vector<SourceFile>& files,
                             const catalog::Catalog* catalog) {
  AlertRuleLoad load;
  std::map<std::string, catalog::SourceLocation> seen;
  for (const SourceFile& file : files) {
    auto doc = ParseYamlDocument(file.path, file.text, &load.problems);
    if (!doc) continue;
    YamlFields top(*doc, "rule file", file.path, &load.problems);
    const YAML::Node groups = top.Child("groups", Presence::kRequired);
    top.RejectUnknownKeys();
    if (!groups.IsDefined()) continue;
    if (!groups.IsSequence()) {
      top.ErrorAt(groups, "groups must be a list");
      continue;
    }
    RuleReader reader(file.path, catalog, &load.problems);
    for (const YAML::Node& group_node : groups) {
      YamlFields g(group_node, "rule group", file.path, &load.problems);
      const std::string group = g.String("name", Presence::kRequired).value_or("");
      const YAML::Node rules = g.Child("rules", Presence::kRequired);
      g.RejectUnknownKeys();
      if (!rules.IsDefined()) continue;
      if (!rules.IsSequence()) {
        g.ErrorAt(rules, "rules must be a list");
        continue;
      }
      for (const YAML::Node& rule_node : rules) {
        auto rule = reader.Read(rule_node, group);
        if (!rule) continue;
        auto [it, added] = seen.try_emplace(rule->name, rule->defined_at);
        if (!added) {
          load.problems.push_back({file.path, rule->defined_at.line,
                                   "alert '" + rule->name + "' is already defined at " +
                                       it->second.file + ":" + std::to_string(it->second.line)});
          continue;
        }
        load.rules.push_back(std::move(*rule));
      }
    }
  }
  return load;
}

}  // namespace chiso::rules
