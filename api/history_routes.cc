#include "api/history_routes.h"

#include <boost/json.hpp>
#include <optional>

#include "api/json_text.h"
#include "api/read_scope.h"
#include "catalog/catalog.h"
#include "common/calendar.h"
#include "ingest/instant.h"
#include "store/store.h"

namespace chiso::api {
namespace {

namespace json = boost::json;

struct Selection {
  std::vector<LabelMatcher> matchers;
  TimestampMs from = kMinSampleTimestamp;
  TimestampMs to = kMaxSampleTimestamp;
};

// Builds the matchers and time range of a request; InvalidArgument names the bad parameter.
Result<Selection> ParseSelection(const RequestContext& context) {
  Selection selection;
  const std::string metric = context.Query("metric");
  selection.matchers.push_back(LabelMatcher::Equal(
      std::string(kMetricNameLabel), metric.empty() ? std::string(kReadingMetric) : metric));
  for (std::string_view label : {kUnitLabel, kIndicatorLabel}) {
    const std::string value = context.Query(label);
    if (!value.empty())
      selection.matchers.push_back(LabelMatcher::Equal(std::string(label), value));
  }
  for (auto [name, target] : {std::pair{"from", &selection.from}, std::pair{"to", &selection.to}}) {
    const std::string text = context.Query(name);
    if (text.empty()) continue;
    auto instant = ingest::ParseInstant(text);
    if (!instant.ok()) {
      return Status::InvalidArgument(std::string("parameter ") + name + ": " +
                                     instant.status().message());
    }
    *target = *instant;
  }
  if (selection.from > selection.to) return Status::InvalidArgument("parameter from is after to");
  return selection;
}

json::object LabelsJson(const Labels& labels) {
  json::object out;
  for (const Label& label : labels) out[label.name] = label.value;
  return out;
}

json::value Comment(const std::optional<std::string>& comment) {
  return comment ? json::value(*comment) : json::value(nullptr);
}

// A failed Select or Audit: the table's status, except that a query past the limits is 422
// (kHistoryQueryExceptions) and its message says how to narrow it.
HttpResponse QueryFailed(const Status& status) {
  std::string message = status.message();
  if (status.code() == StatusCode::kResourceExhausted) {
    message += "; narrow the request with unit, indicator, from or to";
  }
  return ErrorResponse(Status(status.code(), std::move(message)), kHistoryQueryExceptions);
}

// 403 when the request names a unit or indicator outside the token's scope.
std::optional<HttpResponse> OutsideScope(const ReadScope& scope, const RequestContext& context) {
  if (auto refused = scope.RefuseUnit(context.Query(kUnitLabel))) return refused;
  return scope.RefuseIndicator(context.Query(kIndicatorLabel));
}

HttpResponse Readings(const RequestContext& context, const Store& store,
                      const HistoryLimits& limits) {
  const ReadScope scope = ReadScope::Of(context);
  if (auto refused = OutsideScope(scope, context)) return *refused;
  auto selection = ParseSelection(context);
  if (!selection.ok()) return ErrorResponse(selection.status());
  auto series = store.Select(selection->matchers, selection->from, selection->to,
                             {limits.max_series, limits.max_samples});
  if (!series.ok()) return QueryFailed(series.status());
  json::array out;
  for (const SeriesSamples& one : *series) {
    if (!scope.SeesSeries(one.labels)) continue;
    json::array readings;
    for (const StoredSample& s : one.samples) {
      readings.push_back(json::object{{"time", FormatInstant(s.timestamp)},
                                      {"timestamp_ms", s.timestamp},
                                      {"value", s.value},
                                      {"revisions", s.revision},
                                      {"writer", s.writer},
                                      {"arrived_at", FormatInstant(s.arrived_at)},
                                      {"comment", Comment(s.comment)}});
    }
    out.push_back(
        json::object{{"labels", LabelsJson(one.labels)}, {"readings", std::move(readings)}});
  }
  return MakeResponse(200, "application/json",
                      ToJsonText(json::object{{"series", std::move(out)}}));
}

HttpResponse Audit(const RequestContext& context, const Store& store, const HistoryLimits& limits) {
  const ReadScope scope = ReadScope::Of(context);
  if (auto refused = OutsideScope(scope, context)) return *refused;
  auto selection = ParseSelection(context);
  if (!selection.ok()) return ErrorResponse(selection.status());
  auto audits = store.Audit(selection->matchers, selection->from, selection->to,
                            {limits.max_series, limits.max_samples});
  if (!audits.ok()) return QueryFailed(audits.status());
  json::array out;
  for (const SeriesAudit& one : *audits) {
    if (!scope.SeesSeries(one.labels)) continue;
    json::array changes;
    for (const AuditEntry& e : one.entries) {
      changes.push_back(json::object{{"time", FormatInstant(e.timestamp)},
                                     {"revision", e.revision},
                                     {"changed_at", FormatInstant(e.changed_at)},
                                     {"old_value", e.old_value},
                                     {"new_value", e.new_value},
                                     {"old_writer", e.old_writer},
                                     {"new_writer", e.new_writer},
                                     {"old_comment", Comment(e.old_comment)},
                                     {"new_comment", Comment(e.new_comment)}});
    }
    out.push_back(
        json::object{{"labels", LabelsJson(one.labels)}, {"changes", std::move(changes)}});
  }
  return MakeResponse(200, "application/json",
                      ToJsonText(json::object{{"series", std::move(out)}}));
}

}  // namespace

void AddHistoryRoutes(Router& router, const Store& store, HistoryLimits limits) {
  router.AddRoute("GET", "/api/v1/readings", ingest::Role::kRead,
                  [&store, limits](const RequestContext& c) { return Readings(c, store, limits); });
  router.AddRoute("GET", "/api/v1/audit", ingest::Role::kRead,
                  [&store, limits](const RequestContext& c) { return Audit(c, store, limits); });
}

}  // namespace chiso::api
