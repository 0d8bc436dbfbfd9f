// Alerts of series rules (threshold and silent_source, alert_rules.h): the selected series are
// read through a SeriesProbe at the evaluation instant, each judged by its latest sample.
//
// Labels of such an alert are the series' labels without `__name__` (empty values dropped), then
// alertname and severity, then `office` where the catalog knows the series, then the rule's own
// labels. The catalog knows a series' office from its `indicator` label (the unit's plan target's
// office, else the indicator's) or from its metric (the office of the first derived indicator
// whose formula reads that metric); otherwise a series' own `office` label is kept, and without
// one the alert has no office (Alertmanager's default route takes it).
//
// "Last sent" is when the latest sample reached chiso (its arrival), or its own instant when the
// arrival is unknown (0).
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "rules/alerting/alert_rules.h"
#include "rules/alerting/alerts.h"
#include "rules/alerting/series_probe.h"

namespace chiso::rules {

// The alerts `rule` (kind kThreshold or kSilentSource) raises at `now`, lifecycle fields zero.
// Fails with the probe's error when its series cannot be read.
Result<std::vector<Alert>> MatchSeriesRule(const AlertRule& rule, const catalog::Catalog& catalog,
                                           const SeriesProbe& probe, TimestampMs now);

}  // namespace chiso::rules
