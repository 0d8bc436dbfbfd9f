// Router: a pure function from HttpRequest to HttpResponse (no sockets), holding the route
// table of SPEC §4 and applying authentication before any handler runs.
//
// Thread-safety: Handle() may be called from many threads at once. What a reload may replace
// (catalog, tokens) is read through a SnapshotHolder, one consistent snapshot per request.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/http_message.h"
#include "common/status.h"
#include "ingest/auth.h"
#include "rules/catalog.h"

namespace prometheus {
class Registry;
}

namespace chiso::api {

// Everything a request may read that a reload can replace, swapped as one unit.
struct ServiceSnapshot {
  std::shared_ptr<const rules::Catalog> catalog;
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
  // Re-reads config, catalog and plans; a failed Status keeps the running configuration and its
  // message lists the problems. Called for POST /api/v1/admin/reload.
  std::function<Status()> reload;
  // Extra readiness conditions (e.g. the store is open); readiness also needs a catalog.
  std::function<Status()> ready;
};

class Router {
 public:
  // `snapshots` and `registry` must outlive the router.
  Router(const SnapshotHolder* snapshots, prometheus::Registry* registry, RouterHooks hooks);

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  struct Context {
    const HttpRequest& request;
    const ServiceSnapshot& snapshot;
  };
  struct Route {
    std::string method;
    std::string path;
    std::optional<ingest::Role> role;  // nullopt: an operational endpoint (open unless closed)
    HttpResponse (Router::*handle)(const Context&) const;
  };

  HttpResponse Healthz(const Context&) const;
  HttpResponse Readyz(const Context&) const;
  HttpResponse Metrics(const Context&) const;
  HttpResponse Catalog(const Context&) const;
  HttpResponse Reload(const Context&) const;

  const SnapshotHolder* snapshots_;
  prometheus::Registry* registry_;
  RouterHooks hooks_;
  std::vector<Route> routes_;
};

}  // namespace chiso::api
