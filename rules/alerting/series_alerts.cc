#include "rules/alerting/series_alerts.h"

#include <algorithm>

#include "rules/alerting/alert_text.h"

namespace chiso::rules {
namespace {

using Values = std::map<std::string, std::string>;

std::string LabelOf(const Labels& labels, std::string_view name) {
  return std::string(LabelValue(labels, name));
}

// The office responsible for a series, per the file comment; "" when nobody is known.
std::string OfficeOf(const catalog::Catalog& catalog, const Labels& labels,
                     const catalog::Unit* unit) {
  auto target_office = [&](const catalog::Indicator& indicator) {
    if (unit != nullptr) {
      for (const catalog::Plan* plan : catalog.PlansOf(unit->id)) {
        for (const catalog::Target& target : plan->targets) {
          if (target.indicator == indicator.code) return target.office;
        }
      }
    }
    return indicator.office;
  };
  if (const catalog::Indicator* indicator =
          catalog.FindIndicator(LabelOf(labels, kIndicatorLabel))) {
    return target_office(*indicator);
  }
  const std::string metric = LabelOf(labels, kMetricNameLabel);
  for (const catalog::Indicator& indicator : catalog.indicators) {
    if (indicator.formula && (indicator.formula->numerator.metric == metric ||
                              indicator.formula->denominator.metric == metric)) {
      return target_office(indicator);
    }
  }
  return LabelOf(labels, "office");
}

// The facts every series alert shares, and its labels.
struct SeriesSubject {
  Values values;
  std::map<std::string, std::string> labels;
  TimeZone zone;  // the unit's, else the default
};

SeriesSubject SubjectOf(const AlertRule& rule, const catalog::Catalog& catalog,
                        const Labels& labels) {
  SeriesSubject s;
  const std::string unit_id = LabelOf(labels, kUnitLabel);
  const catalog::Unit* unit = catalog.FindUnit(unit_id);
  if (unit != nullptr) s.zone = unit->zone;
  const std::string office = OfficeOf(catalog, labels, unit);
  const catalog::Office* known_office = catalog.FindOffice(office);
  s.values = {{"unit", unit_id},
              {"unit_name", unit != nullptr ? unit->name : unit_id},
              {"office", office},
              {"office_name", known_office != nullptr ? known_office->name : office},
              {"series", LabelsToString(labels)},
              {"metric", LabelOf(labels, kMetricNameLabel)}};
  for (const auto& [name, value] : labels) {
    if (name == kMetricNameLabel || name == "alertname" || name == "severity" ||
        name == "alertstate" || value.empty()) {
      continue;
    }
    s.labels[name] = value;
  }
  s.labels["alertname"] = rule.name;
  s.labels["severity"] = rule.severity;
  if (!office.empty()) s.labels["office"] = office;
  for (const auto& [name, value] : rule.labels) s.labels[name] = value;
  return s;
}

bool Allowed(const std::vector<std::string>& filter, const std::string& value) {
  return filter.empty() || std::find(filter.begin(), filter.end(), value) != filter.end();
}

Alert MakeAlert(const AlertRule& rule, SeriesSubject subject) {
  Alert alert;
  alert.labels = std::move(subject.labels);
  alert.annotations = {{"summary", RenderTemplate(rule.summary, subject.values)},
                       {"description", RenderTemplate(rule.description, subject.values)}};
  return alert;
}

// Per matched series: whether it raises an alert, and the facts that only its kind has.
bool Judge(const AlertRule& rule, const catalog::Catalog& catalog, const Reading& latest,
           TimestampMs now, SeriesSubject* s) {
  if (rule.kind == AlertKind::kThreshold) {
    if (!catalog::Meets(latest.value, rule.series.op, rule.series.threshold)) return false;
    auto label = s->labels.find(std::string(kIndicatorLabel));
    const catalog::Indicator* indicator =
        label == s->labels.end() ? nullptr : catalog.FindIndicator(label->second);
    s->values["value"] = VietnameseShortNumber(latest.value);
    s->values["value_date"] = VietnameseDate(latest.at, s->zone);
    s->values["op"] = catalog::ComparisonSymbol(rule.series.op);
    s->values["threshold"] = VietnameseShortNumber(rule.series.threshold, 6);
    s->values["indicator"] = indicator != nullptr ? indicator->code : "";
    s->values["indicator_name"] = indicator != nullptr ? indicator->name : "";
    return true;
  }
  const TimestampMs last_sent = latest.arrived_at != 0 ? latest.arrived_at : latest.at;
  if (now - last_sent <= rule.series.silent_for.count()) return false;
  s->values["last_value"] = VietnameseShortNumber(latest.value);
  s->values["last_sent"] = VietnameseDateTime(last_sent, s->zone);
  s->values["silent_for"] = VietnameseDuration(rule.series.silent_for);
  s->values["days_silent"] = std::to_string((now - last_sent) / kMsPerDay);
  return true;
}

// The one alert of a silent_source rule whose selector selects nothing: labelled with the
// selector's `=` matchers, like Prometheus absent().
std::optional<Alert> AbsentAlert(const AlertRule& rule, const catalog::Catalog& catalog) {
  Labels labels;
  for (const LabelMatcher& m : rule.series.matchers) {
    if (m.op() == LabelMatcher::Op::kEqual && LabelValue(labels, m.name()).empty()) {
      labels.push_back({m.name(), m.value()});
    }
  }
  SortLabels(labels);
  SeriesSubject s = SubjectOf(rule, catalog, labels);
  if (!Allowed(rule.units, s.values["unit"]) || !Allowed(rule.offices, s.values["office"])) {
    return std::nullopt;
  }
  if (s.values["unit"].empty()) s.values["unit_name"] = "Tất cả đơn vị";  // no unit sent anything
  s.values["series"] = rule.series.selector;
  s.values["last_value"] = "chưa có";
  s.values["last_sent"] = "chưa từng gửi";
  s.values["silent_for"] = VietnameseDuration(rule.series.silent_for);
  s.values["days_silent"] = "chưa xác định";
  return MakeAlert(rule, std::move(s));
}

}  // namespace

Result<std::vector<Alert>> MatchSeriesRule(const AlertRule& rule, const catalog::Catalog& catalog,
                                           const SeriesProbe& probe, TimestampMs now) {
  auto selected = probe.Latest(rule.series.matchers);
  if (!selected.ok()) return selected.status();
  std::vector<Alert> out;
  if (selected->empty() && rule.kind == AlertKind::kSilentSource) {
    if (auto absent = AbsentAlert(rule, catalog)) out.push_back(std::move(*absent));
    return out;
  }
  for (const LatestSeriesValue& series : *selected) {
    SeriesSubject subject = SubjectOf(rule, catalog, series.labels);
    if (!Allowed(rule.units, subject.values["unit"]) ||
        !Allowed(rule.offices, subject.values["office"]) ||
        !Judge(rule, catalog, series.latest, now, &subject)) {
      continue;
    }
    out.push_back(MakeAlert(rule, std::move(subject)));
  }
  return out;
}

}  // namespace chiso::rules
