// Clock: the one source of "now" for chiso. Trajectory status, staleness, report timeliness and
// alert `for` durations all read time through an injected Clock, so tests drive time with
// FakeClock instead of sleeping.
#pragma once

#include <atomic>
#include <cstdint>

namespace chiso {

// Milliseconds since 1970-01-01T00:00:00Z. The unit of every stored instant.
using TimestampMs = std::int64_t;

// One civil day of milliseconds (UTC and Vietnam time have no leap seconds or DST).
inline constexpr TimestampMs kMsPerDay = 86'400'000;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimestampMs Now() const = 0;
};

// Wall-clock time. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimestampMs Now() const override;
};

// Time that only moves when a test says so. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimestampMs now) : now_(now) {}
  TimestampMs Now() const override { return now_.load(); }
  void Set(TimestampMs now) { now_.store(now); }
  void Advance(TimestampMs delta_ms) { now_.fetch_add(delta_ms); }

 private:
  std::atomic<TimestampMs> now_;
};

}  // namespace chiso
