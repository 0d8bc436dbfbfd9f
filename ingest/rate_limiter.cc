#include "ingest/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace chiso::ingest {

RateLimiter::RateLimiter(const Clock& clock, double samples_per_second, double burst_seconds)
    : clock_(clock),
      rate_(samples_per_second / 1000.0),
      burst_(samples_per_second * burst_seconds) {}

std::optional<std::chrono::milliseconds> RateLimiter::Admit(std::string_view token,
                                                            std::size_t samples) {
  if (rate_ <= 0) return std::nullopt;
  const TimestampMs now = clock_.Now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(token);
  if (it == buckets_.end()) it = buckets_.emplace(std::string(token), Bucket{burst_, now}).first;
  Bucket& bucket = it->second;
  const auto elapsed = static_cast<double>(std::max<TimestampMs>(0, now - bucket.updated));
  bucket.level = std::min(burst_, bucket.level + elapsed * rate_);
  bucket.updated = now;
  if (bucket.level < 0) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(-bucket.level / rate_)));
  }
  bucket.level -= static_cast<double>(samples);
  return std::nullopt;
}

}  // namespace chiso::ingest
