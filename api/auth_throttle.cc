#include "api/auth_throttle.h"

#include <algorithm>

namespace chiso::api {
namespace {

std::string ReasonName(AuthFailure reason) {
  switch (reason) {
    case AuthFailure::kMissing:
      return "missing";
    case AuthFailure::kMalformed:
      return "malformed";
    case AuthFailure::kUnknownToken:
      return "unknown_token";
    case AuthFailure::kForbiddenRole:
      return "forbidden_role";
  }
  return "malformed";
}

}  // namespace

AuthThrottle::AuthThrottle(prometheus::Registry& registry, const Clock* clock,
                           AuthThrottleLimits limits)
    : clock_(clock ? clock : &system_clock_),
      limits_(limits),
      failures_(prometheus::BuildCounter()
                    .Name("chiso_auth_failures_total")
                    .Help("Requests refused by authentication, by reason.")
                    .Register(registry)),
      throttled_(prometheus::BuildCounter()
                     .Name("chiso_auth_throttled_total")
                     .Help("Requests answered 429 because their address presented wrong "
                           "credentials too often.")
                     .Register(registry)
                     .Add({})) {
  // Every reason is exposed from the start, at 0.
  for (AuthFailure reason : {AuthFailure::kMissing, AuthFailure::kMalformed,
                             AuthFailure::kUnknownToken, AuthFailure::kForbiddenRole}) {
    failures_.Add({{"reason", ReasonName(reason)}});
  }
}

AuthThrottle::Entry& AuthThrottle::Touch(const std::string& address, TimestampMs now) {
  auto it = entries_.find(address);
  if (it == entries_.end()) {
    if (entries_.size() >= limits_.max_addresses) {
      entries_.erase(std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
        return a.second.last_seen < b.second.last_seen;
      }));
    }
    it = entries_.emplace(address, Entry{now, now, 0, {}}).first;
  }
  Entry& entry = it->second;
  if (now - entry.window_start >= limits_.window_ms) {
    entry.window_start = now;
    entry.failures = 0;
  }
  entry.last_seen = now;
  return entry;
}

std::optional<int> AuthThrottle::Refuse(const std::string& address, std::string_view token) {
  if (address.empty()) return std::nullopt;
  const TimestampMs now = clock_->Now();
  std::lock_guard lock(mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end()) return std::nullopt;
  const Entry& entry = Touch(address, now);
  if (entry.failures <= limits_.max_failures) return std::nullopt;
  if (!token.empty() && std::find(entry.known_tokens.begin(), entry.known_tokens.end(), token) !=
                            entry.known_tokens.end()) {
    return std::nullopt;
  }
  throttled_.Increment();
  const TimestampMs left = entry.window_start + limits_.window_ms - now;
  return static_cast<int>(std::max<TimestampMs>(1, (left + 999) / 1000));
}

void AuthThrottle::Succeeded(const std::string& address, std::string_view token) {
  if (address.empty()) return;
  const TimestampMs now = clock_->Now();
  std::lock_guard lock(mutex_);
  Entry& entry = Touch(address, now);
  auto& known = entry.known_tokens;
  if (std::find(known.begin(), known.end(), token) != known.end()) return;
  if (known.size() >= limits_.max_known_per_address) known.erase(known.begin());
  known.emplace_back(token);
}

void AuthThrottle::Failed(const std::string& address, AuthFailure reason) {
  failures_.Add({{"reason", ReasonName(reason)}}).Increment();
  const bool guess = reason == AuthFailure::kMalformed || reason == AuthFailure::kUnknownToken;
  if (address.empty() || !guess) return;
  const TimestampMs now = clock_->Now();
  std::lock_guard lock(mutex_);
  ++Touch(address, now).failures;
}

}  // namespace chiso::api
