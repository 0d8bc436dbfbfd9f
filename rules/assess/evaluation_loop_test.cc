#include "rules/assess/evaluation_loop.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace chiso::rules {
namespace {

using std::chrono::hours;

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
  EvaluationLoop loop([&] { counter.Cycle(); }, hours(1));
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

TEST(EvaluationLoop, StopsWithoutEverStarting) {
  EvaluationLoop loop([] { FAIL() << "must not run"; }, hours(1));
  loop.Stop();
  loop.Start();  // after Stop: stays stopped
}

}  // namespace
}  // namespace chiso::rules
