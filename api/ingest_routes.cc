#include "api/ingest_routes.h"

#include <algorithm>
#include <boost/json.hpp>
#include <memory>

#include "api/json_text.h"
#include "ingest/write_pipeline.h"

namespace chiso::api {
namespace {

namespace json = boost::json;
using ingest::WriteOutcome;
using ingest::WriteProtocol;
using ingest::WriteResult;

HttpResponse WithRetryAfter(HttpResponse response, std::int64_t seconds) {
  response.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, seconds)));
  return response;
}

// Readings answer 200 with their counts; the raw-series protocols answer 204 No Content, as
// InfluxDB and Prometheus senders expect.
bool AnswersCounts(WriteProtocol protocol) {
  return protocol == WriteProtocol::kJsonReadings || protocol == WriteProtocol::kCsvReadings ||
         protocol == WriteProtocol::kXlsxReadings;
}

json::value Optional(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

// The decoded rows of a dry run with ?preview=true, each with its refusal or null.
json::array PreviewRows(const WriteResult& result) {
  json::array rows;
  for (const ingest::PreviewRow& row : result.preview) {
    const ingest::RawReading& r = row.reading;
    rows.emplace_back(
        json::object{{result.position_name, row.position},
                     {"indicator", r.indicator},
                     {"unit", r.unit},
                     {"period", Optional(r.period)},
                     {"time", Optional(r.time)},
                     {"value", r.value ? json::value(*r.value) : nullptr},
                     {"comment", Optional(r.comment)},
                     {"error", row.refusal ? json::value(row.refusal->message) : nullptr}});
  }
  return rows;
}

// The answer to a request whose items were decoded: 200 or 204 when every item was valid, else
// 400 listing the refused items (403 when every refusal is a scope refusal).
HttpResponse ItemsAnswer(WriteProtocol protocol, const WriteResult& result) {
  const bool counts = AnswersCounts(protocol);
  if (result.refused.empty() && !counts) return MakeResponse(204, "", "");

  json::object body;
  if (!result.refused.empty()) {
    body["error"] = result.message;
    json::array details;
    for (const std::string& detail : result.details) details.emplace_back(detail);
    body["details"] = std::move(details);
  }
  if (counts) {
    json::array errors;
    for (std::size_t i = 0; i < result.listed_refusals; ++i) {
      const ingest::ItemError& error = result.refused[i];
      errors.emplace_back(json::object{{result.position_name, error.position},
                                       {"reason", RejectReasonName(error.rejection.reason)},
                                       {"message", error.rejection.message}});
    }
    body["accepted"] = result.accepted;
    body["stored"] = result.stored;
    body["inserted"] = result.summary.inserted;
    body["changed"] = result.summary.changed;
    body["unchanged"] = result.summary.unchanged;
    body["rejected"] = result.refused.size();
    body["dry_run"] = result.dry_run;
    body["errors"] = std::move(errors);
    if (result.dry_run && !result.preview.empty()) body["rows"] = PreviewRows(result);
  }
  const bool all_forbidden =
      std::all_of(result.refused.begin(), result.refused.end(), [](const ingest::ItemError& e) {
        return e.rejection.reason == ingest::RejectReason::kForbidden;
      });
  const int status = result.refused.empty() ? 200 : (all_forbidden ? 403 : 400);
  return MakeResponse(status, "application/json", ToJsonText(body));
}

// The HTTP answer to a pipeline's result: statuses from the one table of http_message.h with the
// write endpoints' named exceptions, Retry-After when the result says when to retry.
HttpResponse ToHttp(WriteProtocol protocol, const WriteResult& result) {
  switch (result.outcome) {
    case WriteOutcome::kStored:
    case WriteOutcome::kPartlyRefused:
      return ItemsAnswer(protocol, result);
    case WriteOutcome::kUnsupportedCoding: {
      HttpResponse response = ErrorResponse(415, result.message);  // Unsupported Media Type
      response.headers.emplace_back("Accept-Encoding", result.accepted_codings);
      return response;
    }
    case WriteOutcome::kUnsupportedMediaType:
      return ErrorResponse(415, result.message);  // Unsupported Media Type
    case WriteOutcome::kOverloaded:
      return WithRetryAfter(ErrorResponse(HttpStatusFor(StatusCode::kUnavailable), result.message),
                            result.retry_after_seconds);
    case WriteOutcome::kTooLarge:
    case WriteOutcome::kMalformed:
      return ErrorResponse(HttpStatusFor(result.status.code(), kWriteBodyExceptions),
                           result.message);
    case WriteOutcome::kRateLimited: {
      // Prometheus drops a batch answered 429 unless retry_on_http_429 is set, and retries 5xx:
      // to remote write, a token over its rate is as transient as an overload.
      const StatusCode code = protocol == WriteProtocol::kRemoteWrite
                                  ? StatusCode::kUnavailable
                                  : StatusCode::kResourceExhausted;
      return WithRetryAfter(ErrorResponse(HttpStatusFor(code), result.message),
                            result.retry_after_seconds);
    }
    case WriteOutcome::kStoreFailure: {
      HttpResponse response =
          ErrorResponse(HttpStatusFor(result.status.code(), kStoreWriteExceptions), result.message);
      if (result.retry_after_seconds > 0) {
        return WithRetryAfter(std::move(response), result.retry_after_seconds);
      }
      return response;
    }
  }
  return ErrorResponse(500, result.message);
}

bool DryRun(const RequestContext& context) {
  const std::string value = context.Query("dry_run");
  return value == "true" || value == "1";
}

// The pipeline's request for `protocol` from an HTTP request. The strings it points to live in
// `context` (the request and its snapshot) or in `precision` and `sheet`.
ingest::WriteRequest PipelineRequest(WriteProtocol protocol, const RequestContext& context,
                                     const std::string& precision, const std::string& sheet) {
  ingest::WriteRequest request;
  request.protocol = protocol;
  request.body = context.request.body;
  request.content_encoding = context.request.content_encoding;
  request.content_type = context.request.content_type;
  request.principal = &*context.principal;
  request.catalog = context.snapshot.catalog.get();
  request.dry_run = DryRun(context);
  request.preview = context.Query("preview") == "true";
  request.influx_precision = precision;
  request.xlsx_sheet = sheet;
  request.endpoint = context.request.path;
  return request;
}

// Whether the request wrote samples to the store: what a re-evaluation would see.
bool StoredSamples(const WriteResult& result) {
  const bool written =
      result.outcome == WriteOutcome::kStored || result.outcome == WriteOutcome::kPartlyRefused;
  return written && !result.dry_run && result.stored > 0;
}

}  // namespace

void AddIngestRoutes(Router& router, Store& store, const Clock& clock,
                     const ingest::IngestLimits& limits, ingest::IngestProbe& probe,
                     std::function<void()> samples_stored, ingest::SampleJournal* journal) {
  auto pipeline = std::make_shared<ingest::WritePipeline>(store, clock, limits, probe, journal);
  const auto route = [pipeline, samples_stored](WriteProtocol protocol) -> RouteHandler {
    return [pipeline, samples_stored, protocol](const RequestContext& context) {
      const std::string precision =
          protocol == WriteProtocol::kInflux ? context.Query("precision") : "";
      const std::string sheet =
          protocol == WriteProtocol::kXlsxReadings ? context.Query("sheet") : "";
      const WriteResult result =
          pipeline->Write(PipelineRequest(protocol, context, precision, sheet));
      if (samples_stored && StoredSamples(result)) samples_stored();
      return ToHttp(protocol, result);
    };
  };
  const auto role = ingest::Role::kWrite;
  router.AddRoute("POST", "/api/v1/readings", role, route(WriteProtocol::kJsonReadings));
  router.AddRoute("POST", "/api/v1/import/csv", role, route(WriteProtocol::kCsvReadings));
  router.AddRoute("POST", "/api/v1/import/xlsx", role, route(WriteProtocol::kXlsxReadings));
  router.AddRoute("POST", "/write", role, route(WriteProtocol::kInflux));
  router.AddRoute("POST", "/api/v2/write", role, route(WriteProtocol::kInflux));
  router.AddRoute("POST", "/api/v1/write", role, route(WriteProtocol::kRemoteWrite));
}

}  // namespace chiso::api
