// Alerting rules (SPEC §3), written in YAML files that `chiso check` validates:
//
//   groups:
//     - name: tien_do                       # a group name, for people reading the file
//       rules:
//         - alert: ChiTieuChamTienDo        # alertname: [A-Za-z_][A-Za-z0-9_]*
//           indicator_status: [off_track]   # exactly one of indicator_status, report_state, task
//           # report_state: [missing, late]
//           # task: overdue                 # or task: {due_within_days: 14}
//           units: [gia_loc]                # optional narrowing; each list empty = every one
//           offices: [phong_vhxh]
//           indicators: [dvc_online_dossier_rate]   # indicator_status rules only
//           for: 0s                         # Prometheus durations; default 0s
//           keep_firing_for: 0s
//           severity: warning               # info | warning | critical
//           labels: {team: bcd}             # extra labels (alertname, unit, office, severity,
//                                           # indicator, task, report are set by chiso)
//           annotations:                    # summary required, description optional
//             summary: "{{unit_name}}: {{indicator_name}} chậm tiến độ"
//             description: "Giá trị {{value}}, kỳ vọng {{expected}}, mục tiêu {{target}} …"
//
// Annotations are templates: `{{name}}` is replaced by a fact of the alert (AlertVariables lists
// them per kind); an unknown name is a problem reported with its line.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "rules/catalog.h"
#include "rules/timeliness.h"
#include "rules/trajectory.h"

namespace chiso::rules {

enum class AlertKind { kIndicatorStatus, kReportState, kTask };

struct AlertRule {
  std::string name;  // the alertname label
  std::string group;
  AlertKind kind = AlertKind::kIndicatorStatus;
  std::vector<IndicatorStatus> statuses;    // kIndicatorStatus
  std::vector<ReportState> report_states;   // kReportState
  std::optional<int> task_due_within_days;  // kTask: nullopt = overdue tasks
  std::vector<std::string> units, offices, indicators;
  std::chrono::milliseconds for_duration{0};
  std::chrono::milliseconds keep_firing_for{0};
  std::string severity = "warning";
  std::map<std::string, std::string> labels;
  std::string summary;      // template
  std::string description;  // template
  SourceLocation defined_at;
};

// The `{{name}}` variables an annotation of `kind` may use.
const std::vector<std::string_view>& AlertVariables(AlertKind kind);

// `text` with every `{{name}}` replaced by values[name] ("" when absent).
std::string RenderTemplate(std::string_view text, const std::map<std::string, std::string>& values);

struct AlertRuleLoad {
  std::vector<AlertRule> rules;
  Diagnostics problems;  // a server must refuse a load with problems
};

// Reads every file; alert names must be unique across them. With `catalog`, units, offices and
// indicators named in filters must exist in it.
AlertRuleLoad LoadAlertRules(const std::vector<SourceFile>& files, const Catalog* catalog);

}  // namespace chiso::rules
