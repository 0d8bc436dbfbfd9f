// Plain HTTP request and response values: what the router sees and returns. They carry no
// socket and no Boost.Beast type, so handlers are tested as pure functions and only server.cc
// compiles Beast.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace chiso::api {

struct HttpRequest {
  std::string method;                                     // "GET", "POST", …
  std::string target;                                     // as sent: path and query
  std::string path;                                       // percent-decoded path without the query
  std::map<std::string, std::string, std::less<>> query;  // decoded; a repeated key keeps the last
  std::string authorization;  // the Authorization header, or credentials adopted from the query
  std::string content_type;
  std::string content_encoding;  // the Content-Encoding header as sent; "" when absent
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // The route that answered (e.g. "/api/v1/catalog"), for metrics; never the raw target, so
  // label cardinality stays bounded.
  std::string handler = "other";
};

HttpResponse MakeResponse(int status, std::string content_type, std::string body);

// Splits a request target into its decoded path and query; a malformed escape is an error.
Status ParseTarget(const std::string& target, std::string* path,
                   std::map<std::string, std::string, std::less<>>* query);

// InfluxDB 1.x clients may authenticate POST /write with ?u=<user>&p=<password> instead of a
// header. When such a request has no Authorization header, its u and p become Basic credentials
// (ingest/auth.h), so the router authenticates them like a header. Other paths ignore u and p:
// a secret in a URL is only tolerated where the protocol defines it.
void AdoptInfluxQueryCredentials(HttpRequest* request);

// {"error": message, "details": [...]} with the given status.
HttpResponse ErrorResponse(int status, const std::string& message,
                           const std::vector<std::string>& details = {});

// The HTTP status for a failed Status: InvalidArgument 400, Unauthenticated 401,
// PermissionDenied 403, NotFound 404, ResourceExhausted 413 or 429 (see body), Unavailable 503,
// FailedPrecondition 409, others 500.
int HttpStatusFor(const Status& status);
HttpResponse ErrorResponse(const Status& status);

}  // namespace chiso::api
