#include "api/response_compression.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/deflate_body.h"

namespace chiso::api {
namespace {

constexpr int kFastestLevel = 1;

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Whether the parameters of one coding (";q=0.5", ";q=0") leave it acceptable.
bool AcceptedByQuality(std::string_view parameters) {
  const std::string lower = Lower(parameters);
  const std::size_t q = lower.find("q=");
  if (q == std::string::npos) return true;
  try {
    return std::stod(lower.substr(q + 2)) > 0;
  } catch (const std::exception&) {
    return false;  // a malformed q-value accepts nothing
  }
}

bool Compressible(std::string_view content_type) {
  const std::string type = Lower(content_type);
  return type.starts_with("text/") || type.starts_with("application/json") ||
         type.starts_with("image/svg+xml") || type.starts_with("application/javascript");
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    const std::size_t comma = std::min(accept_encoding.find(','), accept_encoding.size());
    const std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding.remove_prefix(std::min(comma + 1, accept_encoding.size()));
    const std::size_t semicolon = std::min(item.find(';'), item.size());
    const std::string coding = Lower(Trimmed(item.substr(0, semicolon)));
    if ((coding == "gzip" || coding == "x-gzip" || coding == "*") &&
        AcceptedByQuality(item.substr(semicolon))) {
      return true;
    }
  }
  return false;
}

void CompressForClient(std::string_view accept_encoding, HttpResponse* response) {
  if (!Compressible(response->content_type)) return;
  const bool encoded =
      std::any_of(response->headers.begin(), response->headers.end(),
                  [](const auto& h) { return Lower(h.first) == "content-encoding"; });
  if (encoded) return;
  response->headers.emplace_back("Vary", "Accept-Encoding");
  if (response->body.size() < kMinCompressedBytes || !AcceptsGzip(accept_encoding)) return;
  std::string compressed = Deflate(response->body, DeflateFormat::kGzip, kFastestLevel);
  if (compressed.empty()) return;  // zlib out of memory: send the body as it is
  response->body = std::move(compressed);
  response->headers.emplace_back("Content-Encoding", "gzip");
}

}  // namespace chiso::api
