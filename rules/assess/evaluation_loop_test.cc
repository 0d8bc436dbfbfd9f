#include "rules/assess/evaluation_loop.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace chiso::rules {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Counts cycles and lets the test wait for a count (a condition, not a sleep).
class CycleCounter {
 public:
  void Cycle() {
    std::lock_guard lock(mutex_);
    ++cycles_;
    changed_.notify_all();
  }
  void WaitFor(int cycles) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return cycles_ >= cycles; });
  }
  int cycles() {
    std::lock_guard lock(mutex_);
    return cycles_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int cycles_ = 0;
};

TEST(EvaluationLoop, RunsAtStartAndOnEveryWake) {
  CycleCounter counter;
  EvaluationLoop loop([&] { counter.Cycle(); }, hours(1), milliseconds(1));
  loop.Start();
  counter.WaitFor(1);
  loop.Wake();
  counter.WaitFor(2);
  loop.Wake();
  counter.WaitFor(3);
  loop.Stop();
  const int after_stop = counter.cycles();
  loop.Wake();
  loop.Stop();  // idempotent
  EXPECT_EQ(counter.cycles(), after_stop);
}

// A stream of wakes runs cycles no closer than the least gap between their starts, and does run
// them.
TEST(EvaluationLoop, AStreamOfWakesRunsCyclesAtTheLeastGap) {
  constexpr milliseconds kGap(50);
  std::mutex mutex;
  std::vector<steady_clock::time_point> starts;
  EvaluationLoop loop(
      [&] {
        std::lock_guard lock(mutex);
        starts.push_back(steady_clock::now());
      },
      hours(1), kGap);
  loop.Start();
  const auto until = steady_clock::now() + 6 * kGap;
  while (steady_clock::now() < until) {
    loop.Wake();
    std::this_thread::sleep_for(milliseconds(1));
  }
  loop.Stop();
  std::lock_guard lock(mutex);
  ASSERT_GE(starts.size(), 2u) << "wakes ran no cycle after the gap";
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i] - starts[i - 1], kGap) << "cycle " << i;
  }
}

TEST(EvaluationLoop, StopsWithoutEverStarting) {
  EvaluationLoop loop([] { FAIL() << "must not run"; }, hours(1), milliseconds(1));
  loop.Stop();
  loop.Start();  // after Stop: stays stopped
}

}  // namespace
}  // namespace chiso::rules
