#include "api/http_message.h"

#include <boost/json.hpp>

#include "ingest/auth.h"

namespace chiso::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes (and '+' as space when `plus_is_space`).
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (in[i] == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

}  // namespace

HttpResponse MakeResponse(int status, std::string content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Status ParseTarget(const std::string& target, std::string* path,
                   std::map<std::string, std::string, std::less<>>* query) {
  const std::size_t question = target.find('?');
  if (!PercentDecode(std::string_view(target).substr(0, question), false, path)) {
    return Status::InvalidArgument("request path has a malformed %-escape");
  }
  query->clear();
  if (question == std::string::npos) return Status::Ok();
  std::string_view rest = std::string_view(target).substr(question + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value))) {
      return Status::InvalidArgument("query parameter '" + std::string(pair) +
                                     "' has a malformed %-escape");
    }
    (*query)[key] = value;
  }
  return Status::Ok();
}

void AdoptInfluxQueryCredentials(HttpRequest* request) {
  if (!request->authorization.empty() || request->path != "/write") return;
  const auto password = request->query.find("p");
  if (password == request->query.end()) return;
  const auto user = request->query.find("u");
  request->authorization = ingest::BasicAuthorization(
      user == request->query.end() ? "" : user->second, password->second);
}

HttpResponse ErrorResponse(int status, const std::string& message,
                           const std::vector<std::string>& details) {
  boost::json::object body;
  body["error"] = message;
  boost::json::array list;
  for (const auto& detail : details) list.emplace_back(detail);
  body["details"] = std::move(list);
  HttpResponse response;
  response.status = status;
  response.body = boost::json::serialize(body);
  return response;
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kCorruption:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

int HttpStatusFor(const Status& status) { return HttpStatusFor(status.code()); }

int HttpStatusFor(StatusCode code, std::span<const HttpStatusException> exceptions) {
  for (const HttpStatusException& exception : exceptions) {
    if (exception.code == code) return exception.http_status;
  }
  return HttpStatusFor(code);
}

HttpResponse ErrorResponse(const Status& status, std::span<const HttpStatusException> exceptions) {
  HttpResponse response = ErrorResponse(HttpStatusFor(status.code(), exceptions), status.message());
  if (status.code() == StatusCode::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"chiso\"");
  }
  return response;
}

}  // namespace chiso::api
