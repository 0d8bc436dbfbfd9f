#include "api/catalog_routes.h"

#include <boost/json.hpp>

#include "api/json_text.h"
#include "api/read_scope.h"

namespace chiso::api {
namespace json = boost::json;
using namespace chiso::catalog;

namespace {

json::object SelectorJson(const catalog::SeriesSelector& selector) {
  json::object match;
  for (const auto& [name, value] : selector.match) match[name] = value;
  return {{"metric", selector.metric}, {"match", std::move(match)}};
}

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

// The fields the encoder inferred, each with its basis; a field not listed is stated.
json::object InferredJson(const catalog::Inferred& inferred) {
  json::object out;
  for (const auto& [field, basis] : inferred) out[field] = basis;
  return out;
}

json::object IndicatorJson(const catalog::Indicator& ind) {
  json::object out{
      {"code", ind.code},
      {"version", ind.version},
      {"name", ind.name},
      {"measure", catalog::MeasureName(ind.measure)},
      {"direction", catalog::DirectionName(ind.direction)},
      {"period", PeriodKindName(ind.period)},
      {"office", ind.office},
      {"kind", ind.kind == catalog::Indicator::Kind::kDerived ? "derived" : "reported"},
      {"accumulate", ind.accumulate == catalog::Indicator::Accumulate::kYear ? "year" : "none"},
      {"tolerance", ind.tolerance_pct},
      {"description", ind.description}};
  if (ind.formula) {
    out["formula"] = json::object{{"numerator", SelectorJson(ind.formula->numerator)},
                                  {"denominator", SelectorJson(ind.formula->denominator)},
                                  {"scale", ind.formula->scale}};
  }
  return out;
}

json::object ScheduleJson(const catalog::TaskSchedule& schedule) {
  struct Visitor {
    json::object operator()(const catalog::OneOffDeadline& d) const {
      return {{"kind", "due"}, {"date", d.due.ToString()}};
    }
    json::object operator()(const catalog::YearlyRecurrence& r) const {
      char month_day[8];
      std::snprintf(month_day, sizeof month_day, "%02d-%02d", r.month, r.day);
      json::object out{{"kind", "yearly"}, {"month_day", month_day}, {"from", r.from_year}};
      if (r.until_year) out["until"] = *r.until_year;
      return out;
    }
    json::object operator()(const catalog::ContinuousDuty& c) const {
      json::object out{{"kind", "continuous"}, {"review", nullptr}};
      if (c.review) out["review"] = PeriodKindName(*c.review);
      return out;
    }
    json::object operator()(const catalog::EventTrigger& t) const {
      return {{"kind", "trigger"}, {"event", t.event}};
    }
  };
  return std::visit(Visitor{}, schedule);
}

json::object PlanJson(const catalog::Plan& plan) {
  json::array targets;
  for (const catalog::Target& target : plan.targets) {
    json::array milestones;
    for (const catalog::Milestone& m : target.milestones) {
      json::object milestone{{"date", m.date.ToString()},
                             {"op", m.band ? "~" : catalog::ComparisonSymbol(m.op)},
                             {"target", m.target},
                             {"band", nullptr},
                             {"from", nullptr},
                             {"source", m.source},
                             {"note", m.note},
                             {"inferred", InferredJson(m.inferred)}};
      if (m.band) milestone["band"] = *m.band;
      if (m.from_year) milestone["from"] = *m.from_year;
      milestones.push_back(std::move(milestone));
    }
    json::value baseline = nullptr;
    if (target.baseline) {
      baseline = json::object{{"date", target.baseline->date.ToString()},
                              {"value", target.baseline->value},
                              {"source", target.baseline->source}};
    }
    targets.push_back(json::object{{"indicator", target.indicator},
                                   {"office", target.office},
                                   {"baseline", std::move(baseline)},
                                   {"yearly", target.yearly},
                                   {"milestones", std::move(milestones)},
                                   {"note", target.note},
                                   {"inferred", InferredJson(target.inferred)}});
  }
  json::array tasks;
  for (const catalog::Task& task : plan.tasks) {
    tasks.push_back(json::object{{"id", task.id},
                                 {"title", task.title},
                                 {"lead", task.lead},
                                 {"main_office", task.main_office},
                                 {"coordinating", Strings(task.coordinating)},
                                 {"deadline_text", task.deadline_text},
                                 {"schedule", ScheduleJson(task.schedule)},
                                 {"source", task.source},
                                 {"note", task.note},
                                 {"inferred", InferredJson(task.inferred)}});
  }
  json::array reporting;
  for (const catalog::ReportingRule& rule : plan.reporting) {
    json::object due;
    if (rule.due_days_after_period_end)
      due["days_after_period_end"] = *rule.due_days_after_period_end;
    if (rule.due_month_day) {
      char month_day[8];
      std::snprintf(month_day, sizeof month_day, "%02d-%02d", rule.due_month_day->first,
                    rule.due_month_day->second);
      due["month_day"] = month_day;
    }
    if (rule.due_day_of_last_month) due["day_of_last_month"] = *rule.due_day_of_last_month;
    json::value indicators = "all";
    if (rule.indicators) indicators = Strings(*rule.indicators);
    reporting.push_back(json::object{{"id", rule.id},
                                     {"name", rule.name},
                                     {"office", rule.office},
                                     {"recipient", rule.recipient},
                                     {"period", PeriodKindName(rule.period)},
                                     {"due", std::move(due)},
                                     {"grace_days", rule.grace_days},
                                     {"indicators", std::move(indicators)},
                                     {"source", rule.source},
                                     {"note", rule.note},
                                     {"inferred", InferredJson(rule.inferred)}});
  }
  return {{"unit", plan.unit},         {"title", plan.title},
          {"issuer", plan.issuer},     {"source", plan.source},
          {"note", plan.note},         {"targets", std::move(targets)},
          {"tasks", std::move(tasks)}, {"reporting", std::move(reporting)}};
}

std::string CatalogToJson(const catalog::Catalog& catalog, const std::string& unit,
                          const ReadScope& scope) {
  json::array units;
  for (const catalog::Unit& u : catalog.units) {
    units.push_back(
        json::object{{"id", u.id},
                     {"name", u.name},
                     {"level", u.level == catalog::Unit::Level::kProvince ? "province" : "commune"},
                     {"parent", u.parent},
                     {"timezone", u.zone.name}});
  }
  json::array offices;
  for (const catalog::Office& o : catalog.offices)
    offices.push_back(json::object{{"code", o.code}, {"name", o.name}});
  json::array indicators;
  for (const catalog::Indicator& ind : catalog.indicators) indicators.push_back(IndicatorJson(ind));
  json::array plans;
  for (const catalog::Plan& plan : catalog.plans) {
    if ((unit.empty() || plan.unit == unit) && scope.SeesUnit(plan.unit)) {
      plans.push_back(PlanJson(plan));
    }
  }
  return ToJsonText(json::object{{"units", std::move(units)},
                                 {"offices", std::move(offices)},
                                 {"indicators", std::move(indicators)},
                                 {"plans", std::move(plans)}});
}

}  // namespace

void AddCatalogRoutes(Router& router) {
  router.AddRoute("GET", "/api/v1/catalog", ingest::Role::kRead, [](const RequestContext& c) {
    const ReadScope scope = ReadScope::Of(c);
    const std::string unit = c.Query("unit");
    if (auto refused = scope.RefuseUnit(unit)) return *refused;
    return MakeResponse(200, "application/json", CatalogToJson(*c.snapshot.catalog, unit, scope));
  });
}

}  // namespace chiso::api
