#include "web/page_routes.h"

#include <cstdio>
#include <functional>
#include <map>
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

struct PageFile {
  std::string content_type;
  std::string_view text;
  std::string etag;  // weak: the gzipped and the plain answer are the same file
};

using FileTable = std::map<std::string_view, PageFile, std::less<>>;

// The page's files by name ("app.js"), with their types and ETags.
FileTable FilesByName() {
  FileTable out;
  for (const EmbeddedFile& file : web::PageFiles()) {
    if (!file.path.starts_with(kPageDir)) continue;
    const std::string_view name = file.path.substr(kPageDir.size());
    char etag[40];
    std::snprintf(etag, sizeof etag, "W/\"%zx\"", std::hash<std::string_view>{}(file.text));
    out.emplace(name, PageFile{ContentTypeOf(name), file.text, etag});
  }
  return out;
}

api::HttpResponse Serve(std::string_view name, const api::HttpRequest& request) {
  static const FileTable files = FilesByName();  // built once
  const auto it = files.find(name);
  if (it == files.end()) return api::ErrorResponse(404, "no page file " + std::string(name));
  const PageFile& file = it->second;
  const bool unchanged = request.if_none_match == file.etag;
  api::HttpResponse response = api::MakeResponse(
      unchanged ? 304 : 200, file.content_type, unchanged ? std::string() : std::string(file.text));
  response.headers = {
      {"ETag", file.etag},
      {"Cache-Control", "no-cache"},
      {"Content-Security-Policy",
       "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "same-origin"}};
  return response;
}

}  // namespace

void AddPageRoutes(api::Router& router) {
  router.AddPublicRoute(
      "GET", "/", [](const api::RequestContext& c) { return Serve("index.html", c.request); });
  router.AddPublicRoute("GET", "/ui/{file}", [](const api::RequestContext& c) {
    return Serve(c.path_parameter, c.request);
  });
}

}  // namespace chiso::web
