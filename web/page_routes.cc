#include "web/page_routes.h"

#include <functional>
#include <string_view>

#include "web/page_files.h"

namespace chiso::web {
namespace {

constexpr std::string_view kPageDir = "web/page/";

std::string ContentTypeOf(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  return "text/plain; charset=utf-8";
}

api::HttpResponse Serve(std::string_view name) {
  for (const EmbeddedFile& file : PageFiles()) {
    if (file.path.substr(0, kPageDir.size()) != kPageDir ||
        file.path.substr(kPageDir.size()) != name)
      continue;
    api::HttpResponse response =
        api::MakeResponse(200, ContentTypeOf(name), std::string(file.text));
    char etag[32];
    std::snprintf(etag, sizeof etag, "\"%zx\"", std::hash<std::string_view>{}(file.text));
    response.headers = {
        {"ETag", etag},
        {"Cache-Control", "no-cache"},
        {"Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "same-origin"}};
    return response;
  }
  return api::ErrorResponse(404, "no page file " + std::string(name));
}

}  // namespace

void AddPageRoutes(api::Router& router) {
  router.AddPublicRoute("GET", "/", [](const api::RequestContext&) { return Serve("index.html"); });
  router.AddPublicRoute("GET", "/ui/{file}",
                        [](const api::RequestContext& c) { return Serve(c.path_parameter); });
}

}  // namespace chiso::web
