#include "api/router.h"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "api/catalog_json.h"

namespace chiso::api {

Router::Router(const SnapshotHolder* snapshots, prometheus::Registry* registry, RouterHooks hooks)
    : snapshots_(snapshots), registry_(registry), hooks_(std::move(hooks)) {
  using ingest::Role;
  routes_ = {
      {"GET", "/healthz", std::nullopt, &Router::Healthz},
      {"GET", "/readyz", std::nullopt, &Router::Readyz},
      {"GET", "/metrics", std::nullopt, &Router::Metrics},
      {"GET", "/api/v1/catalog", Role::kRead, &Router::Catalog},
      {"POST", "/api/v1/admin/reload", Role::kAdmin, &Router::Reload},
  };
}

HttpResponse Router::Handle(const HttpRequest& request) const {
  std::vector<std::string> allowed;
  const Route* route = nullptr;
  for (const Route& candidate : routes_) {
    if (candidate.path != request.path) continue;
    allowed.push_back(candidate.method);
    if (candidate.method == request.method) route = &candidate;
  }
  if (route == nullptr) {
    if (allowed.empty()) {
      return ErrorResponse(404, "no endpoint at " + request.path);
    }
    std::string allow;
    for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
    HttpResponse response = ErrorResponse(405, request.method + " is not allowed on " + request.path +
                                                   "; use " + allow);
    response.headers.emplace_back("Allow", allow);
    response.handler = request.path;
    return response;
  }

  const std::shared_ptr<const ServiceSnapshot> snapshot = snapshots_->Get();
  const bool open = !route->role && snapshot->open_operational_endpoints;
  if (!open) {
    auto principal = snapshot->tokens->Authenticate(request.authorization);
    Status allowed_here = principal.ok() ? principal->RequireRole(route->role.value_or(ingest::Role::kRead))
                                         : principal.status();
    if (!allowed_here.ok()) {
      HttpResponse response = ErrorResponse(allowed_here);
      response.handler = route->path;
      return response;
    }
  }
  HttpResponse response = (this->*route->handle)(Context{request, *snapshot});
  response.handler = route->path;
  return response;
}

HttpResponse Router::Healthz(const Context&) const {
  return MakeResponse(200, "text/plain; charset=utf-8", "ok\n");
}

HttpResponse Router::Readyz(const Context& context) const {
  if (context.snapshot.catalog == nullptr) return ErrorResponse(503, "catalog not loaded");
  if (hooks_.ready) {
    if (Status ready = hooks_.ready(); !ready.ok()) return ErrorResponse(503, ready.message());
  }
  return MakeResponse(200, "text/plain; charset=utf-8", "ready\n");
}

HttpResponse Router::Metrics(const Context&) const {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return MakeResponse(200, "text/plain; version=0.0.4; charset=utf-8", out.str());
}

HttpResponse Router::Catalog(const Context& context) const {
  auto unit = context.request.query.find("unit");
  return MakeResponse(200, "application/json",
          CatalogToJson(*context.snapshot.catalog, unit == context.request.query.end() ? "" : unit->second));
}

HttpResponse Router::Reload(const Context&) const {
  if (!hooks_.reload) return ErrorResponse(501, "reload is not available in this process");
  Status reloaded = hooks_.reload();
  if (!reloaded.ok()) {
    // The message holds one problem per line; list them as details.
    std::vector<std::string> details;
    std::istringstream lines(reloaded.message());
    for (std::string line; std::getline(lines, line);) details.push_back(line);
    return ErrorResponse(422, "reload refused; the running configuration is unchanged", details);
  }
  return MakeResponse(200, "application/json", R"({"status":"reloaded"})");
}

}  // namespace chiso::api
