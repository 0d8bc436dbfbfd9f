#include "api/remote_read_routes.h"

#include <string>
#include <vector>

#include "api/read_scope.h"
#include "remote_read/read_response.h"
#include "store/store.h"

namespace chiso::api {
namespace {

// A refusal as plain text, with the table's status for `status` (and `exceptions`).
HttpResponse TextError(const Status& status, std::span<const HttpStatusException> exceptions = {}) {
  return MakeResponse(HttpStatusFor(status.code(), exceptions), "text/plain; charset=utf-8",
                      "remote read: " + status.message() + "\n");
}

// Whether the token of `scope` may read the series `labels`: SeesSeries, and for plan series the
// indicator too.
bool Visible(const ReadScope& scope, const Labels& labels) {
  if (!scope.SeesSeries(labels)) return false;
  const std::string_view metric = LabelValue(labels, kMetricNameLabel);
  if (metric != kPlanExpectedMetric && metric != kPlanTargetMetric) return true;
  return scope.SeesIndicator(LabelValue(labels, kIndicatorLabel));
}

HttpResponse Read(const RequestContext& context, const Store& store,
                  const RemoteReadLimits& limits) {
  const std::string& body = context.request.body;
  if (body.size() > limits.max_body_bytes) {
    return TextError(Status::ResourceExhausted("body of " + std::to_string(body.size()) +
                                               " bytes is larger than the limit of " +
                                               std::to_string(limits.max_body_bytes) +
                                               " bytes: send fewer queries per request"),
                     kWriteBodyExceptions);
  }
  auto request = remote_read::DecodeReadRequest(body, limits.request);
  if (!request.ok()) return TextError(request.status(), kWriteBodyExceptions);

  const ReadScope scope = ReadScope::Of(context);
  const remote_read::SeriesFilter visible = [&scope](const Labels& labels) {
    return Visible(scope, labels);
  };
  std::vector<remote_read::QueryResult> results;
  for (std::size_t i = 0; i < request->queries.size(); ++i) {
    auto series = remote_read::ExecuteQuery(store, context.snapshot.catalog.get(),
                                            request->queries[i], visible, limits.query);
    if (!series.ok()) {
      return TextError(Status(series.status().code(),
                              "queries[" + std::to_string(i) + "]: " + series.status().message()),
                       kHistoryQueryExceptions);
    }
    results.push_back(std::move(*series));
  }
  if (remote_read::ChooseResponseType(*request) == remote_read::ResponseType::kStreamedXorChunks) {
    return MakeResponse(200, std::string(remote_read::kStreamedContentType),
                        remote_read::EncodeStreamedResponse(results));
  }
  HttpResponse response = MakeResponse(200, std::string(remote_read::kSamplesContentType),
                                       remote_read::EncodeSamplesResponse(results));
  response.headers.emplace_back("Content-Encoding",
                                std::string(remote_read::kSamplesContentEncoding));
  return response;
}

}  // namespace

void AddRemoteReadRoutes(Router& router, const Store& store, RemoteReadLimits limits) {
  router.AddRoute("POST", "/api/v1/read", ingest::Role::kRead,
                  [&store, limits](const RequestContext& c) { return Read(c, store, limits); });
}

}  // namespace chiso::api
