// Alerting rules (SPEC §3), written in YAML files that `chiso check` validates:
//
//   groups:
//     - name: tien_do                       # a group name, for people reading the file
//       rules:
//         - alert: ChiTieuChamTienDo        # alertname: [A-Za-z_][A-Za-z0-9_]*
//           indicator_status: [off_track]   # exactly one of indicator_status, report_state,
//           # report_state: [missing, late]   # task, threshold, silent_source
//           # task: overdue                 # or task: {due_within_days: 14}
//           # threshold: {series: 'chiso_indicator_reading{indicator="vneid_account_pct"}',
//           #             op: "<", value: 50}
//           # silent_source: {series: 'dvc_dossiers_received_total', silent_for: 3d}
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
//
// Series rules (threshold, silent_source) select series with a Prometheus selector
// (series_probe.h) and judge each selected series by its latest sample:
//   * threshold: fires for every series whose latest value `op value` holds; op is one of
//     >, >=, <, <=, ==, != (exact, as in PromQL);
//   * silent_source: fires for every series whose latest sample reached chiso longer than
//     `silent_for` ago (Prometheus absent_over_time); when no series is selected at all, one alert
//     labelled with the selector's `=` matchers fires (Prometheus absent()).
// `units` and `offices` narrow them as other rules; series_alerts.h says how their labels are made.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/diagnostic.h"
#include "rules/alerting/series_probe.h"
#include "rules/assess/timeliness.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules {

enum class AlertKind { kIndicatorStatus, kReportState, kTask, kThreshold, kSilentSource };

// What a series rule watches.
struct SeriesCondition {
  std::string selector;  // as written, e.g. dvc_dossiers_received_total{channel="online"}
  std::vector<LabelMatcher> matchers;
  catalog::Comparison op = catalog::Comparison::kGreater;  // kThreshold
  double threshold = 0;                                    // kThreshold
  std::chrono::milliseconds silent_for{0};                 // kSilentSource
};

struct AlertRule {
  std::string name;  // the alertname label
  std::string group;
  AlertKind kind = AlertKind::kIndicatorStatus;
  std::vector<IndicatorStatus> statuses;    // kIndicatorStatus
  std::vector<ReportState> report_states;   // kReportState
  std::optional<int> task_due_within_days;  // kTask: nullopt = overdue tasks
  SeriesCondition series;                   // kThreshold, kSilentSource
  std::vector<std::string> units, offices, indicators;
  std::chrono::milliseconds for_duration{0};
  std::chrono::milliseconds keep_firing_for{0};
  std::string severity = "warning";
  std::map<std::string, std::string> labels;
  std::string summary;      // template
  std::string description;  // template
  catalog::SourceLocation defined_at;
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
AlertRuleLoad LoadAlertRules(const std::vector<SourceFile>& files, const catalog::Catalog* catalog);

}  // namespace chiso::rules
