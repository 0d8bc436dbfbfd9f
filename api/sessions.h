// Browser sessions: how the web page (web/) signs in with an API token once and then calls the
// same endpoints as every other client, without keeping the token in the page.
//
// Signing in (POST /api/v1/session, the router) checks the token and opens a session: a random
// id the browser keeps in a cookie that scripts cannot read (HttpOnly), that other sites' pages
// never send (SameSite=Strict), and that expires with the session. The session remembers the
// SHA-256 of the token, never the token, so every request is authorised by the token as the
// configuration holds it now: a reload that removes or narrows a token ends or narrows its
// sessions at once.
//
// Writes through a session must also show they come from chiso's own page (the synchronizer token
// pattern, as OWASP describes it): an X-CSRF-Token header equal to the session's CSRF token, which
// the page learns from the sign-in answer, and, when the browser sends Origin, an Origin whose
// host is the request's Host. A request with an Authorization header is not a session request
// and needs neither (a cross-site page cannot set that header).
//
// Sessions live in memory: a restart signs everyone out. Thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_message.h"
#include "common/clock.h"
#include "common/status.h"

namespace chiso::api {

inline constexpr std::string_view kSessionCookie = "chiso_session";

struct SessionLimits {
  TimestampMs lifetime_ms = 8 * 3600 * 1000;  // Default: 8 hours, a working day
  std::size_t max_sessions = 100'000;         // past it, the session closest to expiry ends
};

struct BrowserSession {
  std::string id;            // 64 hex digits from OpenSSL's RAND_bytes
  std::string csrf_token;    // 64 hex digits, sent back as X-CSRF-Token on writes
  std::string token_digest;  // SHA-256 (hex) of the token the session was opened with
  TimestampMs expires_at = 0;
};

class SessionStore {
 public:
  // `clock` must outlive the store; nullptr: the wall clock.
  SessionStore(const Clock* clock, SessionLimits limits);

  // A new session for the token with digest `token_digest`.
  BrowserSession Open(std::string token_digest);
  // The session `id` names, or nullopt when it is unknown or expired (an expired one is removed).
  std::optional<BrowserSession> Find(std::string_view id);
  // Ends session `id`; nothing when it is unknown.
  void Close(std::string_view id);

  TimestampMs Now() const { return clock_->Now(); }

 private:
  SystemClock system_clock_;
  const Clock* clock_;
  SessionLimits limits_;
  std::mutex mutex_;
  std::map<std::string, BrowserSession, std::less<>> sessions_;
};

// The value of cookie `name` in a Cookie header ("a=1; chiso_session=…"), or "" when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value that gives the browser `session`: HttpOnly, SameSite=Strict, Path=/,
// Max-Age until it expires, and Secure when the request came over HTTPS (X-Forwarded-Proto from
// a TLS proxy).
std::string SessionCookie(const BrowserSession& session, TimestampMs now, bool secure);
// The Set-Cookie value that removes the session cookie (sign-out, ended session).
std::string ClearedSessionCookie(bool secure);
// Whether `request` came over HTTPS, as a TLS proxy in front of chiso tells.
bool CameOverHttps(const HttpRequest& request);

// Ok for a request through `session` that may act: GET and HEAD always; any other method only
// with the session's X-CSRF-Token and, when Origin is sent, an Origin on the request's Host.
// PermissionDenied saying which check failed otherwise.
Status CheckSameSiteWrite(const HttpRequest& request, const BrowserSession& session);

}  // namespace chiso::api
