// How chiso names what it stores: the Prometheus metric-name label, chiso's own series and their
// labels, and the state spaces of the store. Every module spells these through this header, so a
// name changes in one place; the metrics chiso exposes about itself (chiso_http_*, chiso_ingest_*,
// …) are named where they are registered.
#pragma once

#include <string_view>

namespace chiso {

// The label that holds a series' metric name (Prometheus convention).
inline constexpr std::string_view kMetricNameLabel = "__name__";

// Indicator readings: chiso_indicator_reading{indicator="…", unit="…"} plus any extra labels the
// sender gave. Raw upstream series keep their own metric names.
inline constexpr std::string_view kReadingMetric = "chiso_indicator_reading";
inline constexpr std::string_view kIndicatorLabel = "indicator";
inline constexpr std::string_view kUnitLabel = "unit";

// Report submissions: chiso_report_submission{unit="…", report="<reporting rule id>"}; a reading
// marks the report of its period as received.
inline constexpr std::string_view kReportSubmissionMetric = "chiso_report_submission";
inline constexpr std::string_view kReportLabel = "report";

// The plan as series, computed from the catalog (never stored) and answered by Prometheus remote
// read (remote_read/): chiso_plan_expected{unit, indicator, office} is the expected path
// expected(t), chiso_plan_target{unit, indicator, office, milestone="YYYY-MM-DD"} each milestone's
// target.
inline constexpr std::string_view kPlanExpectedMetric = "chiso_plan_expected";
inline constexpr std::string_view kPlanTargetMetric = "chiso_plan_target";
inline constexpr std::string_view kOfficeLabel = "office";
inline constexpr std::string_view kMilestoneLabel = "milestone";

// State spaces of the store (Store::PutState): task progress records and alert states.
inline constexpr std::string_view kTaskStateSpace = "tasks";
inline constexpr std::string_view kAlertStateSpace = "alerts";

}  // namespace chiso
