#include "api/status_routes.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "api/json_text.h"
#include "api/paging.h"
#include "api/read_scope.h"
#include "api/unit_filter.h"
#include "common/naming.h"
#include "rules/alerting/alert_text.h"

namespace chiso::api {
namespace json = boost::json;
using namespace chiso::rules;

namespace {

constexpr std::size_t kMaxNoteBytes = 4096;

json::value Number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return *value;
}

json::value Instant(std::optional<TimestampMs> instant, const TimeZone& zone) {
  if (!instant) return nullptr;
  return json::value(FormatInstant(*instant, zone));
}

HttpResponse Json(const json::value& body) {
  return MakeResponse(200, "application/json", ToJsonText(body));
}

// 404 naming the unit when `unit` is given and not in the catalog.
std::optional<HttpResponse> UnknownUnit(const catalog::Catalog& catalog, const std::string& unit) {
  if (unit.empty() || catalog.FindUnit(unit) != nullptr) return std::nullopt;
  return ErrorResponse(404, "unit '" + unit + "' is not in the catalog");
}

// ------------------------------------------------------------------------------ status

// The basis on which the encoder inferred `field` of an entry; null when the source states it.
json::value InferredBasis(const catalog::Inferred& inferred, std::string_view field) {
  auto it = inferred.find(field);
  if (it == inferred.end()) return nullptr;
  return json::value(it->second);
}

json::object StatusRowJson(const IndicatorRow& row) {
  const IndicatorAssessment& a = row.assessment;
  const TimeZone& zone = row.unit->zone;
  json::object out{
      {"unit", row.unit->id},
      {"unit_name", row.unit->name},
      {"indicator", row.indicator->code},
      {"indicator_name", row.indicator->name},
      {"office", row.office},
      {"office_inferred", InferredBasis(row.target->inferred, "office")},
      {"measure", catalog::MeasureName(row.indicator->measure)},
      {"direction", catalog::DirectionName(row.indicator->direction)},
      {"status", IndicatorStatusName(a.status)},
      {"status_label", IndicatorStatusLabel(a.status)},
      {"value", Number(a.latest ? std::optional(a.latest->value) : std::nullopt)},
      {"value_at", Instant(a.latest ? std::optional(a.latest->at) : std::nullopt, zone)},
      {"expected", Number(a.expected)},
      {"forecast", Number(a.forecast)},
      {"pace", Number(a.pace)},
      {"required_per_year", Number(a.required_per_year)},
      {"stale_at", Instant(a.stale_at, zone)}};
  if (a.target) {
    json::object target{{"date", a.target->date.ToString()},
                        {"op", a.target->band ? "~" : catalog::ComparisonSymbol(a.target->op)},
                        {"value", a.target->target},
                        {"band", Number(a.target->band)},
                        {"from", nullptr},
                        {"yearly", row.target->yearly}};
    if (a.target->from_year) target["from"] = *a.target->from_year;
    out["target"] = std::move(target);
  } else {
    out["target"] = nullptr;
  }
  return out;
}

// Adds one to `counts[name]`.
void Tally(json::object& counts, std::string_view name) {
  json::value& count = counts[name];
  count = count.is_null() ? 1 : count.as_int64() + 1;
}

// Adds one to status `status` of `group` in `groups` ({"gia_loc": {"on_track": 3, …}}).
void TallyGroup(json::object& groups, std::string_view group, std::string_view status) {
  json::value& counts = groups[group];
  if (!counts.is_object()) counts = json::object();
  Tally(counts.as_object(), status);
}

HttpResponse GetStatus(const StatusRoutesDeps& deps, const RequestContext& c) {
  auto evaluation = deps.evaluator->Latest();
  if (!evaluation) return ErrorResponse(503, "no evaluation has run yet; try again shortly");
  const std::string indicator = c.Query("indicator");
  const std::string office = c.Query("office"), status = c.Query("status");
  const ReadScope scope = ReadScope::Of(c);
  auto units = UnitFilter::Parse(c, *evaluation->catalog, scope);
  if (auto* refused = std::get_if<HttpResponse>(&units)) return *refused;
  const UnitFilter& unit_filter = std::get<UnitFilter>(units);
  if (auto refused = scope.RefuseIndicator(indicator)) return *refused;
  auto paging = ParsePageRequest(c, "status", 2);
  if (!paging.ok()) return ErrorResponse(paging.status());
  std::optional<IndicatorStatus> wanted;
  if (!status.empty() && !(wanted = ParseIndicatorStatus(status))) {
    std::vector<std::string> allowed;
    for (IndicatorStatus s : kIndicatorStatuses) allowed.emplace_back(IndicatorStatusName(s));
    return ErrorResponse(400, "status '" + status + "' is not one of the statuses", allowed);
  }
  std::vector<const IndicatorRow*> matching;
  json::object counts, by_unit, by_office;
  for (IndicatorStatus s : kIndicatorStatuses) counts[IndicatorStatusName(s)] = 0;
  for (const IndicatorRow& row : evaluation->indicators) {
    if ((!indicator.empty() && row.indicator->code != indicator) ||
        (!office.empty() && row.office != office) || (wanted && row.assessment.status != *wanted) ||
        !unit_filter.Covers(row.unit->id) || !scope.SeesIndicator(row.indicator->code)) {
      continue;
    }
    const std::string_view name = IndicatorStatusName(row.assessment.status);
    Tally(counts, name);
    TallyGroup(by_unit, row.unit->id, name);
    TallyGroup(by_office, row.office, name);
    matching.push_back(&row);
  }
  auto [rows, page] = PageOf<const IndicatorRow*>(
      matching, *paging,
      [](const IndicatorRow* row) {
        return SortKey{row->unit->id, row->indicator->code};
      },
      [](const IndicatorRow* row) { return StatusRowJson(*row); });
  return Json(json::object{{"evaluated_at", FormatInstant(evaluation->evaluated_at, TimeZone{})},
                           {"total", page.total},
                           {"next_cursor", std::move(page.next_cursor)},
                           {"counts", std::move(counts)},
                           {"by_unit", std::move(by_unit)},
                           {"by_office", std::move(by_office)},
                           {"rows", std::move(rows)}});
}

// ------------------------------------------------------------------------------ reports

json::object ReportRowJson(const ReportRow& row) {
  const ReportAssessment& a = row.assessment;
  const TimeZone& zone = row.unit->zone;
  return {{"unit", row.unit->id},
          {"office", a.rule->office},
          {"report", a.rule->id},
          {"report_name", a.rule->name},
          {"recipient", a.rule->recipient},
          {"period", a.period.ToString()},
          {"period_label", VietnamesePeriod(a.period)},
          {"due_inferred", InferredBasis(a.rule->inferred, "due")},
          {"due_at", FormatInstant(a.due_at, zone)},
          {"missing_after", FormatInstant(a.missing_after, zone)},
          {"state", ReportStateName(a.state)},
          {"state_label", ReportStateLabel(a.state)},
          {"received_at", Instant(a.received_at, zone)}};
}

json::array ReportSummaryJson(std::span<const ReportRow> rows) {
  json::array out;
  for (const ReportSummary& s : SummarizeReports(rows, ReportGrouping::kByOffice)) {
    out.push_back(json::object{{"unit", s.unit},
                               {"office", s.office},
                               {"expected", s.expected},
                               {"received", s.received},
                               {"on_time", s.on_time},
                               {"late", s.late},
                               {"awaited", s.awaited},
                               {"missing", s.missing},
                               {"reporting_rate", Number(s.reporting_rate())},
                               {"reporting_rate_on_time", Number(s.on_time_rate())}});
  }
  return out;
}

HttpResponse GetReports(const StatusRoutesDeps& deps, const RequestContext& c) {
  const catalog::Catalog& catalog = *c.snapshot.catalog;
  const std::string period_text = c.Query("period"), office = c.Query("office");
  const std::string state_text = c.Query("state");
  auto units = UnitFilter::Parse(c, catalog, ReadScope::Of(c));
  if (auto* refused = std::get_if<HttpResponse>(&units)) return *refused;
  const UnitFilter& unit_filter = std::get<UnitFilter>(units);
  auto paging = ParsePageRequest(c, "reports", 3);
  if (!paging.ok()) return ErrorResponse(paging.status());
  std::optional<ReportState> state;
  if (!state_text.empty() && !(state = ParseReportState(state_text))) {
    return ErrorResponse(
        400, "state '" + state_text + "' is not one of not_due, on_time, late, awaited, missing");
  }
  std::vector<ReportRow> rows;
  std::shared_ptr<const Evaluation> evaluation;  // keeps rows' pointers valid
  if (!period_text.empty()) {
    auto period = ParsePeriod(period_text);
    if (!period.ok())
      return ErrorResponse(400, "query parameter period: " + period.status().message());
    auto assessed = AssessReports(catalog, *deps.source, unit_filter.Predicate(),
                                  period->FirstDay(), period->LastDay(), deps.clock->Now());
    if (!assessed.ok()) return ErrorResponse(assessed.status());
    rows = std::move(*assessed);
  } else {
    evaluation = deps.evaluator->Latest();
    if (!evaluation) return ErrorResponse(503, "no evaluation has run yet; try again shortly");
    for (const ReportRow& row : evaluation->reports) {
      if (unit_filter.Covers(row.unit->id)) rows.push_back(row);
    }
  }
  std::erase_if(rows, [&](const ReportRow& row) {
    return (!office.empty() && row.assessment.rule->office != office) ||
           (state && row.assessment.state != *state);
  });
  auto [out, page] = PageOf<ReportRow>(
      rows, *paging,
      [](const ReportRow& row) {
        return SortKey{row.unit->id, row.assessment.rule->id, row.assessment.period.ToString()};
      },
      ReportRowJson);
  return Json(json::object{
      {"period", period_text.empty() ? json::value(nullptr) : json::value(period_text)},
      {"total", page.total},
      {"next_cursor", std::move(page.next_cursor)},
      {"summary", ReportSummaryJson(rows)},
      {"rows", std::move(out)}});
}

// ------------------------------------------------------------------------------ tasks

std::string_view ScheduleKind(const catalog::TaskSchedule& schedule) {
  constexpr std::string_view kKinds[] = {"due", "recurrence", "continuous", "trigger"};
  return kKinds[schedule.index()];
}

json::object TaskRowJson(const TaskAssessment& a, const catalog::Unit& unit, TimestampMs now) {
  const catalog::Task& task = *a.task;
  json::array coordinating;
  for (const std::string& office : task.coordinating) coordinating.emplace_back(office);
  json::object out{{"unit", unit.id},
                   {"task", task.id},
                   {"title", task.title},
                   {"lead", task.lead},
                   {"main_office", task.main_office},
                   {"coordinating", std::move(coordinating)},
                   {"deadline_text", task.deadline_text},
                   {"deadline_inferred", InferredBasis(task.inferred, "deadline")},
                   {"lead_inferred", InferredBasis(task.inferred, "lead")},
                   {"main_office_inferred", InferredBasis(task.inferred, "main_office")},
                   {"schedule", ScheduleKind(task.schedule)},
                   {"overdue", a.overdue},
                   {"state", TaskStateName(a.state)},
                   {"state_label", TaskStateLabel(a.state)}};
  if (a.occurrence) {
    out["occurrence"] = a.occurrence->key;
    out["deadline"] = a.occurrence->deadline.ToString();
    out["days_left"] = (a.occurrence->due_at - now) / kMsPerDay;
  } else {
    out["occurrence"] = out["deadline"] = out["days_left"] = nullptr;
  }
  if (a.progress) {
    out["note"] = a.progress->note;
    out["recorded_by"] = a.progress->recorded_by;
    out["recorded_at"] = FormatInstant(a.progress->recorded_at, unit.zone);
  } else {
    out["note"] = out["recorded_by"] = out["recorded_at"] = nullptr;
  }
  return out;
}

// The filter of the request's parameters other than unit and province.
Result<TaskFilter> ParseTaskFilter(const RequestContext& c) {
  TaskFilter filter;
  filter.id = c.path_parameter;
  filter.lead = c.Query("office");
  if (const std::string state = c.Query("state"); !state.empty()) {
    filter.state = ParseTaskState(state);
    if (!filter.state) {
      return Status::InvalidArgument("query parameter state '" + state +
                                     "' is not one of not_started, in_progress, done");
    }
  }
  if (const std::string overdue = c.Query("overdue"); !overdue.empty()) {
    if (overdue != "true" && overdue != "false") {
      return Status::InvalidArgument("query parameter overdue must be true or false");
    }
    filter.overdue = overdue == "true";
  }
  if (const std::string days = c.Query("due_within_days"); !days.empty()) {
    int value = 0;
    const auto [end, error] = std::from_chars(days.data(), days.data() + days.size(), value);
    if (error != std::errc() || end != days.data() + days.size() || value < 0) {
      return Status::InvalidArgument(
          "query parameter due_within_days must be a whole number of days >= 0");
    }
    filter.due_within_days = value;
  }
  return filter;
}

HttpResponse GetTasks(const StatusRoutesDeps& deps, const RequestContext& c) {
  const catalog::Catalog& catalog = *c.snapshot.catalog;
  auto units = UnitFilter::Parse(c, catalog, ReadScope::Of(c));
  if (auto* refused = std::get_if<HttpResponse>(&units)) return *refused;
  auto filter = ParseTaskFilter(c);
  if (!filter.ok()) return ErrorResponse(filter.status());
  filter->units = std::get<UnitFilter>(units).Predicate();
  auto paging = ParsePageRequest(c, "tasks", 2);
  if (!paging.ok()) return ErrorResponse(paging.status());
  auto progress = deps.progress->Load();
  if (!progress.ok()) return ErrorResponse(progress.status());
  const TimestampMs now = deps.clock->Now();
  const std::vector<TaskRow> selected = AssessTasks(catalog, *progress, *filter, now);
  if (!filter->id.empty() && selected.empty()) {
    const std::string unit = c.Query("unit");
    return ErrorResponse(
        404, "no task '" + filter->id + "'" + (unit.empty() ? "" : " in unit '" + unit + "'"));
  }
  auto [rows, page] = PageOf<TaskRow>(
      selected, *paging,
      [](const TaskRow& row) {
        return SortKey{row.unit->id, row.assessment.task->id};
      },
      [now](const TaskRow& row) { return TaskRowJson(row.assessment, *row.unit, now); });
  return Json(json::object{{"total", page.total},
                           {"next_cursor", std::move(page.next_cursor)},
                           {"tasks", std::move(rows)}});
}

// The string field `key` of `body`: nullopt when absent, an error when not a string.
Result<std::optional<std::string>> StringField(const json::object& body, std::string_view key) {
  const json::value* value = body.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string())
    return Status::InvalidArgument("field '" + std::string(key) + "' must be a string");
  return std::optional<std::string>(std::string(value->as_string()));
}

HttpResponse PostTask(const StatusRoutesDeps& deps, const RequestContext& c) {
  const catalog::Catalog& catalog = *c.snapshot.catalog;
  boost::system::error_code parse_error;
  json::value parsed = json::parse(c.request.body, parse_error);
  if (parse_error || !parsed.is_object()) {
    return ErrorResponse(400,
                         "body must be a JSON object like {\"unit\": \"gia_loc\", \"state\": "
                         "\"done\", \"note\": \"…\"}");
  }
  const json::object& body = parsed.as_object();
  for (const auto& [key, value] : body) {
    if (key != "unit" && key != "state" && key != "note" && key != "occurrence") {
      return ErrorResponse(400, "unknown field '" + std::string(key) + "'",
                           {"fields: unit, state, note, occurrence"});
    }
  }
  auto unit = StringField(body, "unit");
  auto state_text = StringField(body, "state");
  auto note = StringField(body, "note");
  auto occurrence = StringField(body, "occurrence");
  for (const auto* field : {&unit, &state_text, &note, &occurrence}) {
    if (!field->ok()) return ErrorResponse(field->status());
  }
  if (!unit->has_value()) return ErrorResponse(400, "field 'unit' is required");
  if (!state_text->has_value()) return ErrorResponse(400, "field 'state' is required");
  auto state = ParseTaskState(**state_text);
  if (!state) {
    return ErrorResponse(
        400, "state '" + **state_text + "' is not one of not_started, in_progress, done");
  }
  if (note->value_or("").size() > kMaxNoteBytes) {
    return ErrorResponse(413, "note is longer than " + std::to_string(kMaxNoteBytes) + " bytes");
  }
  if (auto unknown = UnknownUnit(catalog, **unit)) return *unknown;
  // Progress of a unit's task is written like the unit's series: the token's scopes decide.
  if (Status allowed = c.principal->MayWriteSeries({{std::string(kUnitLabel), **unit}}, catalog);
      !allowed.ok()) {
    return ErrorResponse(allowed);
  }

  auto progress = deps.progress->Load();
  if (!progress.ok()) return ErrorResponse(progress.status());
  const TimestampMs now = deps.clock->Now();
  TaskFilter filter;
  filter.units = [&](std::string_view task_unit) { return task_unit == **unit; };
  filter.id = c.path_parameter;
  const std::vector<TaskRow> selected = AssessTasks(catalog, *progress, filter, now);
  if (selected.empty()) {
    return ErrorResponse(404, "no task '" + c.path_parameter + "' in unit '" + **unit + "'");
  }
  const TaskAssessment& current = selected.front().assessment;
  TaskProgress record{**unit, c.path_parameter, "", *state, note->value_or(""), c.principal->name(),
                      now};
  if (occurrence->has_value()) {
    if (Status valid = ValidateOccurrence(current.task->schedule, **occurrence); !valid.ok()) {
      return ErrorResponse(valid);
    }
    record.occurrence = **occurrence;
  } else if (current.occurrence) {
    record.occurrence = current.occurrence->key;
  }
  if (Status recorded = deps.progress->Record(record); !recorded.ok()) {
    return ErrorResponse(recorded);
  }
  if (deps.progress_recorded) deps.progress_recorded();
  progress->push_back(record);
  const std::vector<TaskRow> updated = AssessTasks(catalog, *progress, filter, now);
  return Json(json::object{
      {"recorded",
       json::object{{"occurrence", record.occurrence}, {"state", TaskStateName(record.state)}}},
      {"task", TaskRowJson(updated.front().assessment, *updated.front().unit, now)}});
}

// ------------------------------------------------------------------------------ alerts

json::value InstantUtc(TimestampMs instant) {
  if (instant == 0) return nullptr;
  return json::value(FormatInstant(instant, TimeZone{"UTC", 0}));
}

json::object AlertJson(const Alert& alert) {
  json::object labels, annotations;
  for (const auto& [name, value] : alert.labels) labels[name] = value;
  for (const auto& [name, value] : alert.annotations) annotations[name] = value;
  return {{"labels", std::move(labels)},           {"annotations", std::move(annotations)},
          {"state", AlertStateName(alert.state)},  {"activeAt", InstantUtc(alert.active_at)},
          {"firedAt", InstantUtc(alert.fired_at)}, {"resolvedAt", InstantUtc(alert.resolved_at)}};
}

// The value of label `name`, or "".
std::string AlertLabel(const Alert& alert, const std::string& name) {
  auto it = alert.labels.find(name);
  return it == alert.labels.end() ? std::string() : it->second;
}

HttpResponse GetAlerts(const StatusRoutesDeps& deps, const RequestContext& c) {
  if (deps.alerting == nullptr) return ErrorResponse(503, "alerting is not running");
  const std::string office = c.Query("office"), indicator = c.Query("indicator");
  const std::string state = c.Query("state");
  if (!state.empty() && state != "pending" && state != "firing" && state != "resolved") {
    return ErrorResponse(400, "state '" + state + "' is not one of pending, firing, resolved");
  }
  const ReadScope scope = ReadScope::Of(c);
  auto units = UnitFilter::Parse(c, *c.snapshot.catalog, scope);
  if (auto* refused = std::get_if<HttpResponse>(&units)) return *refused;
  const UnitFilter& unit_filter = std::get<UnitFilter>(units);
  if (auto refused = scope.RefuseIndicator(indicator)) return *refused;
  auto paging = ParsePageRequest(c, "alerts", 2);
  if (!paging.ok()) return ErrorResponse(paging.status());
  std::vector<Alert> matching = deps.alerting->Alerts();
  std::erase_if(matching, [&](const Alert& alert) {
    return (!office.empty() && AlertLabel(alert, "office") != office) ||
           (!indicator.empty() && AlertLabel(alert, "indicator") != indicator) ||
           (!state.empty() && AlertStateName(alert.state) != state) ||
           !unit_filter.Covers(AlertLabel(alert, "unit")) || !scope.SeesAlert(alert.labels);
  });
  auto [alerts, page] = PageOf<Alert>(
      matching, *paging,
      [](const Alert& alert) {
        return SortKey{AlertLabel(alert, "unit"), alert.Fingerprint()};
      },
      AlertJson);
  return Json(json::object{{"total", page.total},
                           {"next_cursor", std::move(page.next_cursor)},
                           {"alerts", std::move(alerts)}});
}

}  // namespace

void AddStatusRoutes(Router& router, StatusRoutesDeps deps) {
  using ingest::Role;
  router.AddRoute("GET", "/api/v1/status", Role::kRead,
                  [deps](const RequestContext& c) { return GetStatus(deps, c); });
  router.AddRoute("GET", "/api/v1/reports", Role::kRead,
                  [deps](const RequestContext& c) { return GetReports(deps, c); });
  router.AddRoute("GET", "/api/v1/tasks", Role::kRead,
                  [deps](const RequestContext& c) { return GetTasks(deps, c); });
  router.AddRoute("GET", "/api/v1/tasks/{id}", Role::kRead,
                  [deps](const RequestContext& c) { return GetTasks(deps, c); });
  router.AddRoute("POST", "/api/v1/tasks/{id}", Role::kWrite,
                  [deps](const RequestContext& c) { return PostTask(deps, c); });
  router.AddRoute("GET", "/api/v1/alerts", Role::kRead,
                  [deps](const RequestContext& c) { return GetAlerts(deps, c); });
}

}  // namespace chiso::api
