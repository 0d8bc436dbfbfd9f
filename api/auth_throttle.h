// AuthThrottle: counts failed authentication and slows guessing per client address.
//
//   chiso_auth_failures_total{reason}  requests refused by authentication, reason one of
//                                      missing, malformed, unknown_token, forbidden_role
//   chiso_auth_throttled_total         requests answered 429 because their address failed too often
//
// An address that presents more than `max_failures` wrong credentials (malformed or unknown
// tokens; a missing header or a valid token with too small a role guesses nothing) within one
// `window` is throttled until that window ends: its requests are answered 429 with Retry-After,
// whether their token is right or wrong, so a guess cannot be confirmed at line rate. The one
// exception keeps the rightful client working: a token that already authenticated from that
// address before still passes. Refused requests do not lengthen the block. Requests without an
// address (in-process calls) are counted but never throttled. The table of addresses holds at most
// `max_addresses`; when full, the entry seen least recently is dropped.
//
// Thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"

namespace chiso::api {

struct AuthThrottleLimits {
  int max_failures = 10;                  // Default: 10 wrong credentials…
  TimestampMs window_ms = 60'000;         // …per minute
  std::size_t max_addresses = 10'000;     // Default: 10,000 addresses remembered
  std::size_t max_known_per_address = 4;  // tokens remembered as good per address
};

enum class AuthFailure { kMissing, kMalformed, kUnknownToken, kForbiddenRole };

class AuthThrottle {
 public:
  // `clock` (nullptr: the wall clock) must outlive this object.
  AuthThrottle(prometheus::Registry& registry, const Clock* clock, AuthThrottleLimits limits = {});

  // Seconds until `address` may try again, when it is throttled and `token` (the name of the
  // token the request authenticated as, or "" when it did not) is not one that authenticated from
  // it before. nullopt: go ahead. Counts the refusal.
  std::optional<int> Refuse(const std::string& address, std::string_view token);
  // A request from `address` authenticated as `token`.
  void Succeeded(const std::string& address, std::string_view token);
  // A request from `address` was refused for `reason`.
  void Failed(const std::string& address, AuthFailure reason);

 private:
  struct Entry {
    TimestampMs window_start = 0;
    TimestampMs last_seen = 0;
    int failures = 0;  // in the window that began at window_start
    std::vector<std::string> known_tokens;
  };
  // The entry of `address`, its window restarted when over; may evict another entry.
  Entry& Touch(const std::string& address, TimestampMs now);

  const Clock* clock_;
  SystemClock system_clock_;
  AuthThrottleLimits limits_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Counter& throttled_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace chiso::api
