// Plain HTTP request and response values: what the router sees and returns. They carry no
// socket and no Boost.Beast type, so handlers are tested as pure functions and only server.cc
// compiles Beast.
#pragma once

#include <map>
#include <span>
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
  std::string accept_encoding;   // the Accept-Encoding header: may the answer be compressed
  std::string if_none_match;     // the If-None-Match header: the ETag a client has cached
  std::string body;
  // Headers of browser sessions (api/sessions.h): the Cookie header, Origin and Host (same-origin
  // check of writes), X-CSRF-Token, and X-Forwarded-Proto ("https" behind a TLS proxy).
  std::string cookie;
  std::string origin;
  std::string host;
  std::string csrf_token;
  std::string forwarded_proto;
  // The client's IP address as the socket reports it; "" for requests made in-process.
  std::string remote_address;
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

// The one table from Status codes to HTTP statuses (RFC 9110), for every route:
//   Ok                  200
//   InvalidArgument     400  the request is wrong; resending it unchanged fails again
//   Unauthenticated     401  (ErrorResponse adds WWW-Authenticate)
//   PermissionDenied    403
//   NotFound            404
//   FailedPrecondition  409  the service is not in a state that allows the request
//   ResourceExhausted   429  a limit was hit; retry later
//   Unavailable         503  transient; retry later
//   Corruption, Internal 500
// A route that must answer a code otherwise does not switch on codes itself: it passes one of the
// named exceptions below, each commented with why.
int HttpStatusFor(StatusCode code);
int HttpStatusFor(const Status& status);

// A route's departure from the table: `code` is answered with `http_status`.
struct HttpStatusException {
  StatusCode code;
  int http_status;
};

// The table's status for `code`, unless one of `exceptions` names the code.
int HttpStatusFor(StatusCode code, std::span<const HttpStatusException> exceptions);

// The per-route exceptions, all of them.
//
// Write endpoints (api/ingest_routes) and remote read (api/remote_read_routes), a body that
// cannot be decompressed or decoded: past a size limit (items or queries per request, body or
// decompressed bytes) it is 413 Content Too Large, not 429: the same request will never be
// admitted, while 429 tells senders such as Prometheus to resend it.
// (A token over its rate keeps the table's 429.)
inline constexpr HttpStatusException kWriteBodyExceptions[] = {
    {StatusCode::kResourceExhausted, 413}};
// Write endpoints, a failed Store::Write: the store out of a resource (disk full) is 503 with
// Retry-After like Unavailable, since the writer is not at fault and a later retry may succeed.
// Any other failure but InvalidArgument (the table's 400: the store refused a sample) is the
// server's, 500: a failed precondition of the store (its directory in use, options refused) is
// no conflict the writer could resolve (409), and a 401, 403 or 404 would wrongly blame its token
// or the endpoint.
inline constexpr HttpStatusException kStoreWriteExceptions[] = {
    {StatusCode::kResourceExhausted, 503},
    {StatusCode::kFailedPrecondition, 500},
    {StatusCode::kUnauthenticated, 500},
    {StatusCode::kPermissionDenied, 500},
    {StatusCode::kNotFound, 500}};
// History endpoints (api/history_routes) and remote read: a query past max_series or max_samples
// is 422 Unprocessable Content, deliberately: waiting does not help (429 would say it does), only
// a narrower request does, which the answer's message says.
inline constexpr HttpStatusException kHistoryQueryExceptions[] = {
    {StatusCode::kResourceExhausted, 422}};

// ErrorResponse with the table's status for `status` (with `exceptions`) and its message.
HttpResponse ErrorResponse(const Status& status,
                           std::span<const HttpStatusException> exceptions = {});

}  // namespace chiso::api
