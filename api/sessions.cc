#include "api/sessions.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace chiso::api {
namespace {

// 32 random bytes from OpenSSL's CSPRNG as 64 lower-case hex digits.
std::string RandomHex() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("the random generator failed; no session can be opened");
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// "https://example.org:8443" → "example.org:8443"; "" when `origin` has no scheme.
std::string_view HostOfOrigin(std::string_view origin) {
  const std::size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view host = origin.substr(scheme_end + 3);
  return host.substr(0, host.find('/'));
}

std::string CookieAttributes(bool secure) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

}  // namespace

SessionStore::SessionStore(const Clock* clock, SessionLimits limits)
    : clock_(clock ? clock : &system_clock_), limits_(limits) {}

BrowserSession SessionStore::Open(std::string token_digest) {
  BrowserSession session{RandomHex(), RandomHex(), std::move(token_digest),
                         clock_->Now() + limits_.lifetime_ms};
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= limits_.max_sessions && !sessions_.empty()) {
    auto closest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.expires_at < b.second.expires_at;
    });
    sessions_.erase(closest);
  }
  sessions_.emplace(session.id, session);
  return session;
}

std::optional<BrowserSession> SessionStore::Find(std::string_view id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (it->second.expires_at <= clock_->Now()) {
    sessions_.erase(it);
    return std::nullopt;
  }
  return it->second;
}

void SessionStore::Close(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(id); it != sessions_.end()) sessions_.erase(it);
}

std::string CookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const std::size_t end = std::min(cookie_header.find(';'), cookie_header.size());
    std::string_view pair = cookie_header.substr(0, end);
    cookie_header.remove_prefix(std::min(end + 1, cookie_header.size()));
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return std::string(pair.substr(equals + 1));
    }
  }
  return {};
}

std::string SessionCookie(const BrowserSession& session, TimestampMs now, bool secure) {
  const TimestampMs seconds = std::max<TimestampMs>(0, (session.expires_at - now) / 1000);
  return std::string(kSessionCookie) + "=" + session.id + CookieAttributes(secure) +
         "; Max-Age=" + std::to_string(seconds);
}

std::string ClearedSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=" + CookieAttributes(secure) + "; Max-Age=0";
}

bool CameOverHttps(const HttpRequest& request) { return request.forwarded_proto == "https"; }

Status CheckSameSiteWrite(const HttpRequest& request, const BrowserSession& session) {
  if (request.method == "GET" || request.method == "HEAD") return Status::Ok();
  if (request.csrf_token.empty()) {
    return Status::PermissionDenied(
        "a write through a browser session needs the X-CSRF-Token header the sign-in answered");
  }
  if (!SameSecret(request.csrf_token, session.csrf_token)) {
    return Status::PermissionDenied("X-CSRF-Token does not match the session's");
  }
  if (!request.origin.empty() && HostOfOrigin(request.origin) != request.host) {
    return Status::PermissionDenied("Origin '" + request.origin +
                                    "' is another site than this server (Host '" + request.host +
                                    "'); writes through a session come from chiso's own page");
  }
  return Status::Ok();
}

}  // namespace chiso::api
