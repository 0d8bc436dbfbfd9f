#include "api/router.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <variant>

namespace chiso::api {

std::string RequestContext::Query(std::string_view name) const {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

namespace {

// Why `request` was not accepted, from what Router::Authenticate answered.
AuthFailure Classify(const HttpRequest& request, const Status& refused) {
  if (request.authorization.empty()) {
    const bool guessed_session = !CookieValue(request.cookie, kSessionCookie).empty();
    return guessed_session ? AuthFailure::kUnknownToken : AuthFailure::kMissing;
  }
  if (refused.message().ends_with("is not known")) return AuthFailure::kUnknownToken;
  return AuthFailure::kMalformed;
}

// The part of /metrics the request asks for, or the 400 that names the parameter at fault.
std::variant<ScrapeScope, HttpResponse> ScopeOf(const RequestContext& context) {
  ScrapeScope scope;
  scope.catalog = context.snapshot.catalog.get();
  const auto& query = context.request.query;
  if (query.contains("province")) {
    scope.province = context.Query("province");
    const catalog::Unit* unit =
        scope.catalog != nullptr ? scope.catalog->FindUnit(scope.province) : nullptr;
    if (unit == nullptr || unit->level != catalog::Unit::Level::kProvince) {
      std::vector<std::string> provinces;
      if (scope.catalog != nullptr) {
        for (const catalog::Unit& u : scope.catalog->units) {
          if (u.level == catalog::Unit::Level::kProvince) provinces.push_back(u.id);
        }
      }
      return ErrorResponse(400,
                           "parameter province: '" + scope.province +
                               "' is not a province of the catalog; the provinces are listed",
                           provinces);
    }
  }
  if (query.contains("only")) {
    if (context.Query("only") != "service") {
      return ErrorResponse(400, "parameter only: '" + context.Query("only") +
                                    "' is not known; the one value is 'service'");
    }
    if (query.contains("province")) {
      return ErrorResponse(400,
                           "parameter only: 'service' asks for no domain series, "
                           "province for one province's; send one of them");
    }
    scope.service_only = true;
  }
  return scope;
}

}  // namespace

HttpResponse Router::Throttled(const std::string& address, int wait_seconds) {
  HttpResponse response =
      ErrorResponse(429, "too many failed authentications from " + address + "; retry in " +
                             std::to_string(wait_seconds) + " s");
  response.headers.emplace_back("Retry-After", std::to_string(wait_seconds));
  return response;
}

Router::Router(const SnapshotHolder* snapshots, prometheus::Registry* registry, RouterHooks hooks)
    : snapshots_(snapshots),
      registry_(registry),
      hooks_(std::move(hooks)),
      throttle_(std::make_unique<AuthThrottle>(*registry, hooks_.clock, hooks_.auth_throttle)),
      sessions_(std::make_unique<SessionStore>(hooks_.clock, hooks_.sessions)) {
  using ingest::Role;
  AddRoute("GET", "/healthz", std::nullopt, [](const RequestContext&) {
    return MakeResponse(200, "text/plain; charset=utf-8", "ok\n");
  });
  AddRoute("GET", "/readyz", std::nullopt, [this](const RequestContext& c) { return Readyz(c); });
  AddRoute("GET", "/metrics", std::nullopt, [this](const RequestContext& c) { return Metrics(c); });
  AddRoute("POST", "/api/v1/admin/reload", Role::kAdmin,
           [this](const RequestContext& c) { return Reload(c); });
  AddPublicRoute("POST", "/api/v1/session", [this](const RequestContext& c) { return SignIn(c); });
  AddRoute("GET", "/api/v1/session", Role::kRead,
           [this](const RequestContext& c) { return SessionInfo(c); });
  AddRoute("DELETE", "/api/v1/session", Role::kRead,
           [this](const RequestContext& c) { return SignOut(c); });
}

void Router::AddPublicRoute(std::string method, std::string path, RouteHandler handler) {
  AddRoute(std::move(method), std::move(path), std::nullopt, std::move(handler));
  routes_.back().is_public = true;
}

void Router::AddRoute(std::string method, std::string path, std::optional<ingest::Role> role,
                      RouteHandler handler) {
  std::string prefix;
  if (path.ends_with("}")) {
    const std::size_t slash = path.rfind("/{");
    if (slash != std::string::npos) prefix = path.substr(0, slash + 1);
  }
  routes_.push_back(
      {std::move(method), std::move(path), std::move(prefix), role, false, std::move(handler)});
}

bool Router::Matches(const Route& route, const std::string& path, std::string* parameter) {
  if (route.prefix.empty()) return route.path == path;
  if (!path.starts_with(route.prefix) || path.size() == route.prefix.size()) return false;
  const std::string rest = path.substr(route.prefix.size());
  if (rest.find('/') != std::string::npos) return false;
  *parameter = rest;
  return true;
}

HttpResponse Router::Handle(const HttpRequest& request) const {
  std::vector<std::string> allowed;
  const Route* route = nullptr;
  std::string parameter;
  for (const Route& candidate : routes_) {
    std::string candidate_parameter;
    if (!Matches(candidate, request.path, &candidate_parameter)) continue;
    allowed.push_back(candidate.method);
    if (candidate.method == request.method && route == nullptr) {
      route = &candidate;
      parameter = std::move(candidate_parameter);
    }
  }
  if (route == nullptr) {
    if (allowed.empty()) return ErrorResponse(404, "no endpoint at " + request.path);
    std::string allow;
    for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
    HttpResponse response = ErrorResponse(
        405, request.method + " is not allowed on " + request.path + "; use " + allow);
    response.headers.emplace_back("Allow", allow);
    return response;
  }

  const std::shared_ptr<const ServiceSnapshot> snapshot = snapshots_->Get();
  RequestContext context{request, *snapshot, std::nullopt, std::move(parameter), std::nullopt};
  const bool open = route->is_public || (!route->role && snapshot->open_operational_endpoints);
  if (!open) {
    auto principal = Authenticate(request, *snapshot, &context.session);
    const std::string& address = request.remote_address;
    if (auto wait = throttle_->Refuse(address, principal.ok() ? principal->name() : "")) {
      HttpResponse response = Throttled(address, *wait);
      response.handler = route->path;
      return response;
    }
    Status allowed_here = principal.status();
    if (!principal.ok()) {
      throttle_->Failed(address, Classify(request, allowed_here));
    } else {
      throttle_->Succeeded(address, principal->name());
      allowed_here = principal->RequireRole(route->role.value_or(ingest::Role::kRead));
      if (!allowed_here.ok()) throttle_->Failed(address, AuthFailure::kForbiddenRole);
      if (allowed_here.ok() && context.session) {
        allowed_here = CheckSameSiteWrite(request, *context.session);
      }
    }
    if (!allowed_here.ok()) {
      HttpResponse response = ErrorResponse(allowed_here);
      response.handler = route->path;
      return response;
    }
    context.principal = *principal;
  }
  HttpResponse response = route->handle(context);
  response.handler = route->path;
  return response;
}

Result<ingest::Principal> Router::Authenticate(const HttpRequest& request,
                                               const ServiceSnapshot& snapshot,
                                               std::optional<BrowserSession>* session) const {
  const std::string id = CookieValue(request.cookie, kSessionCookie);
  if (!request.authorization.empty() || id.empty()) {
    return snapshot.tokens->Authenticate(request.authorization);
  }
  std::optional<BrowserSession> found = sessions_->Find(id);
  if (!found)
    return Status::Unauthenticated("the session has ended or is not known; sign in again");
  auto principal = snapshot.tokens->ByDigest(found->token_digest);
  if (!principal.ok()) {
    return Status::Unauthenticated(
        "the token this session was opened with is no longer configured; sign in again");
  }
  *session = std::move(found);
  return principal;
}

HttpResponse Router::Readyz(const RequestContext& context) const {
  if (context.snapshot.catalog == nullptr) return ErrorResponse(503, "catalog not loaded");
  if (hooks_.ready) {
    if (Status ready = hooks_.ready(); !ready.ok()) return ErrorResponse(503, ready.message());
  }
  return MakeResponse(200, "text/plain; charset=utf-8", "ready\n");
}

void Router::AddCollectable(std::shared_ptr<const prometheus::Collectable> collectable) {
  collectables_.push_back(std::move(collectable));
}

void Router::AddExposition(std::shared_ptr<const MetricsExposition> exposition) {
  expositions_.push_back(std::move(exposition));
}

HttpResponse Router::Metrics(const RequestContext& context) const {
  auto scope = ScopeOf(context);
  if (auto* refused = std::get_if<HttpResponse>(&scope)) return std::move(*refused);
  const ScrapeScope& wanted = std::get<ScrapeScope>(scope);
  std::string body;
  if (wanted.WantsService()) {
    std::vector<prometheus::MetricFamily> families = registry_->Collect();
    for (const auto& collectable : collectables_) {
      auto more = collectable->Collect();
      families.insert(families.end(), std::make_move_iterator(more.begin()),
                      std::make_move_iterator(more.end()));
    }
    body = prometheus::TextSerializer().Serialize(families);
  }
  ExpositionWriter writer(&body);
  for (const auto& exposition : expositions_) exposition->Render(wanted, &writer);
  return MakeResponse(200, "text/plain; version=0.0.4; charset=utf-8", std::move(body));
}

HttpResponse Router::Reload(const RequestContext& context) const {
  if (Status allowed = context.principal->MayActOnWholeService("reload"); !allowed.ok())
    return ErrorResponse(allowed);
  if (!hooks_.reload) return ErrorResponse(501, "reload is not available in this process");
  const Diagnostics problems = hooks_.reload();
  if (!problems.empty()) {
    std::vector<std::string> details;
    for (const Diagnostic& problem : problems) details.push_back(problem.ToString());
    return ErrorResponse(422, "reload refused; the running configuration is unchanged", details);
  }
  return MakeResponse(200, "application/json", R"({"status":"reloaded"})");
}

}  // namespace chiso::api
