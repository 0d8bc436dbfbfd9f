// Router: a pure function from HttpRequest to HttpResponse (no sockets), holding the route
// table of SPEC §4 and applying authentication before any handler runs. Failed authentication
// is counted and, per client address, throttled (api/auth_throttle.h).
//
// Thread-safety: Handle() may be called from many threads at once. What a reload may replace
// (catalog, tokens) is read through a SnapshotHolder, one consistent snapshot per request.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/auth_throttle.h"
#include "api/exposition.h"
#include "api/http_message.h"
#include "api/sessions.h"
#include "catalog/catalog.h"
#include "common/diagnostic.h"
#include "common/status.h"
#include "ingest/auth.h"

namespace prometheus {
class Collectable;
class Registry;
}  // namespace prometheus

namespace chiso::api {

// Everything a request may read that a reload can replace, swapped as one unit.
struct ServiceSnapshot {
  std::shared_ptr<const catalog::Catalog> catalog;
  std::shared_ptr<const ingest::TokenTable> tokens;
  // /metrics, /healthz and /readyz answer without a token. Default: true.
  bool open_operational_endpoints = true;
};

class SnapshotHolder {
 public:
  std::shared_ptr<const ServiceSnapshot> Get() const { return current_.load(); }
  void Set(std::shared_ptr<const ServiceSnapshot> next) { current_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const ServiceSnapshot>> current_;
};

// What the router asks of the rest of the program.
struct RouterHooks {
  // Re-reads config, catalog and plans; returns the problems found, each "file:line: reason"
  // (none: reloaded). With problems the running configuration stays. Called for
  // POST /api/v1/admin/reload.
  std::function<Diagnostics()> reload;
  // Extra readiness conditions (e.g. the store is open); readiness also needs a catalog.
  std::function<Status()> ready;
  // Time for the throttle of failed authentication; nullptr: the wall clock. Must outlive the
  // router.
  const Clock* clock = nullptr;
  AuthThrottleLimits auth_throttle;
  SessionLimits sessions;
};

// What a handler gets: the request, the snapshot it is served from, who sent it.
struct RequestContext {
  const HttpRequest& request;
  const ServiceSnapshot& snapshot;
  // The authenticated caller; nullopt only on open operational endpoints.
  std::optional<ingest::Principal> principal;
  // The decoded last path segment when the route ends in "/{name}" (e.g. a task id), else "".
  std::string path_parameter;
  // The browser session the request came through (api/sessions.h); nullopt for a token header.
  std::optional<BrowserSession> session;

  // The query parameter, or "" when absent.
  std::string Query(std::string_view name) const;
};

using RouteHandler = std::function<HttpResponse(const RequestContext&)>;

class Router {
 public:
  // `snapshots` and `registry` must outlive the router. The built-in routes (health, readiness,
  // metrics, reload) are registered here; the endpoints of modules are added with AddRoute.
  Router(const SnapshotHolder* snapshots, prometheus::Registry* registry, RouterHooks hooks);

  // Registers `handler` for `method` and `path`. A path ending in "/{name}" also matches one
  // more segment, passed as RequestContext::path_parameter. `role`: the role a token needs;
  // nullopt marks an operational endpoint (open unless the config closes them). Call before
  // the server starts; Handle() is not synchronised with AddRoute().
  void AddRoute(std::string method, std::string path, std::optional<ingest::Role> role,
                RouteHandler handler);
  // Registers a route every client reaches without a token whatever the configuration says: the
  // web page's files, which carry no data, and the sign-in. Same matching as AddRoute.
  void AddPublicRoute(std::string method, std::string path, RouteHandler handler);

  // Adds service metrics computed at scrape time (e.g. store figures) to /metrics, after the
  // registry's. Call before the server starts.
  void AddCollectable(std::shared_ptr<const prometheus::Collectable> collectable);
  // Adds series rendered for the scope a scrape asks for (e.g. the indicator gauges; see
  // api/exposition.h for GET /metrics?province= and ?only=service), after the collectables'.
  // Call before the server starts.
  void AddExposition(std::shared_ptr<const MetricsExposition> exposition);

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string path;    // the pattern as registered, used as the metrics handler label
    std::string prefix;  // for "/x/{name}" patterns: "/x/"; else empty
    std::optional<ingest::Role> role;
    bool is_public = false;
    RouteHandler handle;
  };
  // Whether `route` matches `path`; sets `parameter` for "{name}" routes.
  static bool Matches(const Route& route, const std::string& path, std::string* parameter);

  HttpResponse Readyz(const RequestContext&) const;
  HttpResponse Metrics(const RequestContext&) const;
  HttpResponse Reload(const RequestContext&) const;
  // 429 with Retry-After for an address the throttle of failed authentication refuses.
  static HttpResponse Throttled(const std::string& address, int wait_seconds);
  // Who sent `request`: the token of its Authorization header or, without one, the token of the
  // browser session its cookie names (stored in `session`).
  Result<ingest::Principal> Authenticate(const HttpRequest& request,
                                         const ServiceSnapshot& snapshot,
                                         std::optional<BrowserSession>* session) const;
  // The browser sessions' endpoints (api/session_routes.cc): POST /api/v1/session signs in with
  // {"token": "<secret>"}, GET tells who is signed in, DELETE signs out.
  HttpResponse SignIn(const RequestContext&) const;
  HttpResponse SessionInfo(const RequestContext&) const;
  HttpResponse SignOut(const RequestContext&) const;

  const SnapshotHolder* snapshots_;
  prometheus::Registry* registry_;
  RouterHooks hooks_;
  std::vector<Route> routes_;
  std::vector<std::shared_ptr<const prometheus::Collectable>> collectables_;
  std::vector<std::shared_ptr<const MetricsExposition>> expositions_;
  std::unique_ptr<AuthThrottle> throttle_;
  std::unique_ptr<SessionStore> sessions_;
};

}  // namespace chiso::api
