#include "common/clock.h"

#include <chrono>

namespace chiso {

TimestampMs SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace chiso
