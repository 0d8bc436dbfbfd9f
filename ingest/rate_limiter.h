// RateLimiter: a per-token allowance of samples per second (a token bucket that may go into
// debt), driven by an injected Clock so tests need no sleeping.
//
// A request is admitted while its token's bucket is not in debt, whatever its size; its samples
// are then taken from the bucket. A token in debt is refused with the time after which the bucket
// is back at zero, which is what Retry-After says. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace chiso::ingest {

class RateLimiter {
 public:
  // `samples_per_second` 0 admits everything. `clock` must outlive the limiter.
  RateLimiter(const Clock& clock, double samples_per_second, double burst_seconds);

  // nullopt when `token` may write `samples` now (they are charged); otherwise how long to wait.
  std::optional<std::chrono::milliseconds> Admit(std::string_view token, std::size_t samples);

 private:
  struct Bucket {
    double level = 0;  // samples available; negative is debt
    TimestampMs updated = 0;
  };

  const Clock& clock_;
  double rate_;   // samples per millisecond
  double burst_;  // samples
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;  // one per token name (bounded by config)
};

}  // namespace chiso::ingest
