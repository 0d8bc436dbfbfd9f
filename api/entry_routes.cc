#include "api/entry_routes.h"

#include <boost/json.hpp>
#include <set>

#include "api/json_text.h"
#include "api/read_scope.h"
#include "common/calendar.h"
#include "common/naming.h"
#include "ingest/xlsx_table_writer.h"
#include "remote_read/query_executor.h"

namespace chiso::api {
namespace {

namespace json = boost::json;
using catalog::Catalog;
using catalog::Indicator;

// One indicator due in the requested period, with where its plan stands.
struct DueIndicator {
  const Indicator* indicator = nullptr;
  const catalog::Target* target = nullptr;
};

// The unit and period a request names, checked against the catalog and the token's scope.
struct EntryRequest {
  const catalog::Unit* unit = nullptr;
  std::optional<Period> period;
  TimestampMs period_end = 0;  // when the period's readings are stored
};

std::variant<EntryRequest, HttpResponse> ParseEntryRequest(const RequestContext& context,
                                                           const ReadScope& scope,
                                                           bool period_required) {
  const Catalog& catalog = *context.snapshot.catalog;
  const std::string unit_id = context.Query("unit");
  if (unit_id.empty()) return ErrorResponse(400, "parameter unit is required");
  if (auto refused = scope.RefuseUnit(unit_id)) return *refused;
  EntryRequest out;
  out.unit = catalog.FindUnit(unit_id);
  if (out.unit == nullptr)
    return ErrorResponse(404, "unit '" + unit_id + "' is not in the catalog");
  const std::string period_text = context.Query("period");
  if (period_text.empty()) {
    if (period_required) return ErrorResponse(400, "parameter period is required (e.g. 2026-10)");
    return out;
  }
  auto period = ParsePeriod(period_text);
  if (!period.ok()) return ErrorResponse(400, "parameter period: " + period.status().message());
  if (period->kind == PeriodKind::kDay) {
    return ErrorResponse(400,
                         "parameter period: plans report per month, quarter, half or year, "
                         "not per day");
  }
  out.period = *period;
  out.period_end = EndOfDay(period->LastDay(), out.unit->zone);
  return out;
}

// Whether a reporting rule of kind `kind` carries `indicator` (nullopt list: all of the plan's).
bool CarriedBy(const catalog::ReportingRule& rule, PeriodKind kind, const std::string& indicator) {
  if (rule.period != kind) return false;
  return !rule.indicators || std::find(rule.indicators->begin(), rule.indicators->end(),
                                       indicator) != rule.indicators->end();
}

// The indicators of the unit's plan targets that are reported in a period of `kind` (file
// comment), in plan order, within the token's scope.
std::vector<DueIndicator> DueIn(const Catalog& catalog, const std::string& unit, PeriodKind kind,
                                const ReadScope& scope) {
  std::vector<DueIndicator> due;
  std::set<std::string> listed;
  for (const catalog::Plan* plan : catalog.PlansOf(unit)) {
    for (const catalog::Target& target : plan->targets) {
      const Indicator* indicator = catalog.FindIndicator(target.indicator);
      if (indicator == nullptr || indicator->kind != Indicator::Kind::kReported) continue;
      if (!scope.SeesIndicator(indicator->code) || listed.contains(indicator->code)) continue;
      // A reading may be of the indicator's period or finer (ingest/reading.h), never coarser.
      const bool own = indicator->period == kind;
      const bool reported =
          kind >= indicator->period && std::any_of(plan->reporting.begin(), plan->reporting.end(),
                                                   [&](const catalog::ReportingRule& rule) {
                                                     return CarriedBy(rule, kind, indicator->code);
                                                   });
      if (!own && !reported) continue;
      listed.insert(indicator->code);
      due.push_back({indicator, &target});
    }
  }
  return due;
}

json::array DueKinds(const Catalog& catalog, const std::string& unit, const ReadScope& scope) {
  json::array kinds;
  for (PeriodKind kind :
       {PeriodKind::kMonth, PeriodKind::kQuarter, PeriodKind::kHalf, PeriodKind::kYear}) {
    if (!DueIn(catalog, unit, kind, scope).empty()) kinds.emplace_back(PeriodKindName(kind));
  }
  return kinds;
}

std::vector<LabelMatcher> ReadingOf(const std::string& unit, const std::string& indicator) {
  return {LabelMatcher::Equal(std::string(kMetricNameLabel), std::string(kReadingMetric)),
          LabelMatcher::Equal(std::string(kUnitLabel), unit),
          LabelMatcher::Equal(std::string(kIndicatorLabel), indicator)};
}

// The latest revision of the readings of (unit, indicator) in [from, to], by time.
Result<std::vector<StoredSample>> Readings(const Store& store, const std::string& unit,
                                           const std::string& indicator, TimestampMs from,
                                           TimestampMs to) {
  const auto matchers = ReadingOf(unit, indicator);
  auto series = store.Select(matchers, from, to);
  if (!series.ok()) return series.status();
  std::vector<StoredSample> out;
  for (SeriesSamples& one : *series) {
    out.insert(out.end(), one.samples.begin(), one.samples.end());
  }
  std::sort(out.begin(), out.end(),
            [](const StoredSample& a, const StoredSample& b) { return a.timestamp < b.timestamp; });
  return out;
}

// The plan's expected value at `at` (a period end of the indicator), or null.
Result<json::value> ExpectedAt(const Store& store, const Catalog& catalog, const std::string& unit,
                               const std::string& indicator, TimestampMs at) {
  remote_read::Query query;
  query.start_ms = at;
  query.end_ms = at;
  query.matchers = {
      LabelMatcher::Equal(std::string(kMetricNameLabel), std::string(kPlanExpectedMetric)),
      LabelMatcher::Equal(std::string(kUnitLabel), unit),
      LabelMatcher::Equal(std::string(kIndicatorLabel), indicator)};
  auto series =
      remote_read::ExecuteQuery(store, &catalog, query, [](const Labels&) { return true; }, {});
  if (!series.ok()) return series.status();
  for (const remote_read::ReadSeries& one : *series) {
    for (const remote_read::Point& point : one.points) {
      if (point.timestamp == at) return json::value(point.value);
    }
  }
  return json::value(nullptr);
}

json::value TargetAfter(const catalog::Target& target, const CivilDate& date) {
  for (const catalog::Milestone& milestone : target.milestones) {
    if (milestone.date < date) continue;
    return json::object{{"date", milestone.date.ToString()},
                        {"op", std::string(catalog::ComparisonSymbol(milestone.op))},
                        {"value", milestone.target}};
  }
  return nullptr;
}

Result<json::object> EntryRow(const Store& store, const Catalog& catalog, const EntryRequest& entry,
                              const DueIndicator& due) {
  const Indicator& indicator = *due.indicator;
  const std::string& unit = entry.unit->id;
  const catalog::Office* office = catalog.FindOffice(due.target->office);
  json::object row{{"indicator", indicator.code},
                   {"name", indicator.name},
                   {"measure", std::string(catalog::MeasureName(indicator.measure))},
                   {"direction", std::string(catalog::DirectionName(indicator.direction))},
                   {"period", std::string(PeriodKindName(indicator.period))},
                   {"office", due.target->office},
                   {"office_name", office ? office->name : due.target->office}};
  auto before = Readings(store, unit, indicator.code, kMinSampleTimestamp, entry.period_end);
  if (!before.ok()) return before.status();
  json::value stored = nullptr;
  json::value last = nullptr;
  for (const StoredSample& s : *before) {
    if (s.timestamp == entry.period_end) {
      stored = json::object{{"value", s.value},
                            {"comment", s.comment ? json::value(*s.comment) : nullptr},
                            {"writer", s.writer},
                            {"revisions", s.revision}};
    } else {
      last =
          json::object{{"value", s.value}, {"time", FormatInstant(s.timestamp, entry.unit->zone)}};
    }
  }
  row["stored"] = std::move(stored);
  row["last"] = std::move(last);
  auto expected = ExpectedAt(store, catalog, unit, indicator.code, entry.period_end);
  if (!expected.ok()) return expected.status();
  row["expected"] = std::move(*expected);
  row["target"] = TargetAfter(*due.target, entry.period->LastDay());
  return row;
}

HttpResponse EntryForm(const RequestContext& context, const Store& store) {
  const ReadScope scope = ReadScope::Of(context);
  auto parsed = ParseEntryRequest(context, scope, /*period_required=*/false);
  if (auto* refused = std::get_if<HttpResponse>(&parsed)) return std::move(*refused);
  const EntryRequest& entry = std::get<EntryRequest>(parsed);
  const Catalog& catalog = *context.snapshot.catalog;
  json::object out{{"unit", entry.unit->id},
                   {"unit_name", entry.unit->name},
                   {"due_kinds", DueKinds(catalog, entry.unit->id, scope)}};
  json::array rows;
  if (entry.period) {
    out["period"] = entry.period->ToString();
    out["period_end"] = FormatInstant(entry.period_end, entry.unit->zone);
    for (const DueIndicator& due : DueIn(catalog, entry.unit->id, entry.period->kind, scope)) {
      auto row = EntryRow(store, catalog, entry, due);
      if (!row.ok()) return ErrorResponse(row.status());
      rows.push_back(std::move(*row));
    }
  }
  out["rows"] = std::move(rows);
  return MakeResponse(200, "application/json", ToJsonText(out));
}

// A CSV field, quoted when it holds a separator, a quote or a line break.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

HttpResponse Template(const RequestContext& context) {
  const ReadScope scope = ReadScope::Of(context);
  auto parsed = ParseEntryRequest(context, scope, /*period_required=*/true);
  if (auto* refused = std::get_if<HttpResponse>(&parsed)) return std::move(*refused);
  const EntryRequest& entry = std::get<EntryRequest>(parsed);
  const std::string format = context.Query("format").empty() ? "csv" : context.Query("format");
  if (format != "csv" && format != "xlsx") {
    return ErrorResponse(400, "parameter format: '" + format + "' is not csv or xlsx");
  }
  std::vector<std::vector<std::string>> rows = {
      {"indicator", "indicator_name", "unit", "period", "value", "comment"}};
  const std::string period = entry.period->ToString();
  for (const DueIndicator& due :
       DueIn(*context.snapshot.catalog, entry.unit->id, entry.period->kind, scope)) {
    rows.push_back({due.indicator->code, due.indicator->name, entry.unit->id, period, "", ""});
  }
  const std::string file = "mau_" + entry.unit->id + "_" + period;
  HttpResponse response;
  if (format == "csv") {
    std::string body = "\xEF\xBB\xBF";  // UTF-8 byte-order mark: Excel then reads UTF-8
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) body += (i ? "," : "") + CsvField(row[i]);
      body += "\r\n";
    }
    response = MakeResponse(200, "text/csv; charset=utf-8", std::move(body));
  } else {
    auto workbook = ingest::WriteXlsxTable("Số liệu", rows);
    if (!workbook.ok()) return ErrorResponse(workbook.status());
    response =
        MakeResponse(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     std::move(*workbook));
  }
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + file + "." + format + "\"");
  return response;
}

HttpResponse PlanPath(const RequestContext& context, const Store& store) {
  const ReadScope scope = ReadScope::Of(context);
  const std::string unit = context.Query("unit");
  const std::string indicator = context.Query("indicator");
  if (unit.empty() || indicator.empty()) {
    return ErrorResponse(400, "parameters unit and indicator are required");
  }
  if (auto refused = scope.RefuseUnit(unit)) return *refused;
  if (auto refused = scope.RefuseIndicator(indicator)) return *refused;
  remote_read::Query query;
  query.start_ms = kMinSampleTimestamp;
  query.end_ms = kMaxSampleTimestamp;
  query.matchers = {
      *LabelMatcher::Make(LabelMatcher::Op::kRegexMatch, std::string(kMetricNameLabel),
                          std::string(kPlanExpectedMetric) + "|" + std::string(kPlanTargetMetric)),
      LabelMatcher::Equal(std::string(kUnitLabel), unit),
      LabelMatcher::Equal(std::string(kIndicatorLabel), indicator)};
  auto series = remote_read::ExecuteQuery(store, context.snapshot.catalog.get(), query,
                                          [](const Labels&) { return true; }, {});
  if (!series.ok()) return ErrorResponse(series.status());
  json::array out;
  for (const remote_read::ReadSeries& one : *series) {
    json::object labels;
    for (const Label& label : one.labels) labels[label.name] = label.value;
    json::array points;
    for (const remote_read::Point& p : one.points)
      points.push_back(json::array{p.timestamp, p.value});
    out.push_back(json::object{{"labels", std::move(labels)}, {"points", std::move(points)}});
  }
  return MakeResponse(200, "application/json",
                      ToJsonText(json::object{{"series", std::move(out)}}));
}

}  // namespace

void AddEntryRoutes(Router& router, const Store& store) {
  router.AddRoute("GET", "/api/v1/entry", ingest::Role::kRead,
                  [&store](const RequestContext& c) { return EntryForm(c, store); });
  router.AddRoute("GET", "/api/v1/import/template", ingest::Role::kRead,
                  [](const RequestContext& c) { return Template(c); });
  router.AddRoute("GET", "/api/v1/plan", ingest::Role::kRead,
                  [&store](const RequestContext& c) { return PlanPath(c, store); });
}

}  // namespace chiso::api
