// The browser sessions' endpoints, members of Router since they share its token table, throttle
// of failed authentication and session store (api/sessions.h).
#include <boost/json.hpp>

#include "api/json_text.h"
#include "api/router.h"
#include "common/calendar.h"

namespace chiso::api {
namespace {

namespace json = boost::json;

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& item : items) out.emplace_back(item);
  return out;
}

// Who is signed in and what the token allows, for the page to decide what it shows; the server
// decides again on every call.
HttpResponse Describe(const ingest::Principal& principal, const BrowserSession* session) {
  json::object out{
      {"user", principal.name()},
      {"role", std::string(ingest::RoleName(principal.role()))},
      {"units", Strings(principal.scopes().units)},
      {"indicators", Strings(principal.scopes().indicators)},
      {"csrf_token", session ? json::value(session->csrf_token) : nullptr},
      {"expires_at", session ? json::value(FormatInstant(session->expires_at)) : nullptr}};
  return MakeResponse(200, "application/json", ToJsonText(out));
}

// The secret of a sign-in body {"token": "<secret>"}, or the 400 naming what is wrong.
Result<std::string> SecretOf(const std::string& body) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (ec) return Status::InvalidArgument("the body is not JSON: " + ec.message());
  const json::object* object = parsed.if_object();
  const json::value* token = object ? object->if_contains("token") : nullptr;
  if (token == nullptr || !token->is_string() || token->as_string().empty()) {
    return Status::InvalidArgument(R"(field token: send {"token": "<your API token>"})");
  }
  return std::string(token->as_string());
}

}  // namespace

HttpResponse Router::SignIn(const RequestContext& context) const {
  const HttpRequest& request = context.request;
  auto secret = SecretOf(request.body);
  if (!secret.ok()) return ErrorResponse(secret.status());
  const std::string& address = request.remote_address;
  auto principal = context.snapshot.tokens->Authenticate("Bearer " + *secret);
  if (auto wait = throttle_->Refuse(address, principal.ok() ? principal->name() : "")) {
    return Throttled(address, *wait);
  }
  if (!principal.ok()) {
    throttle_->Failed(address, AuthFailure::kUnknownToken);
    return ErrorResponse(Status::Unauthenticated("field token: this token is not known"));
  }
  throttle_->Succeeded(address, principal->name());
  const BrowserSession session = sessions_->Open(ingest::Sha256Hex(*secret));
  HttpResponse response = Describe(*principal, &session);
  response.headers.emplace_back("Set-Cookie",
                                SessionCookie(session, sessions_->Now(), CameOverHttps(request)));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse Router::SessionInfo(const RequestContext& context) const {
  HttpResponse response =
      Describe(*context.principal, context.session ? &*context.session : nullptr);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse Router::SignOut(const RequestContext& context) const {
  if (context.session) sessions_->Close(context.session->id);
  HttpResponse response = MakeResponse(200, "application/json", R"({"status":"signed_out"})");
  response.headers.emplace_back("Set-Cookie", ClearedSessionCookie(CameOverHttps(context.request)));
  return response;
}

}  // namespace chiso::api
