// EvaluationLoop: runs evaluation cycles on a thread of its own — one at Start, then every
// `interval`, and after Wake() (a write, a reload, a recorded task progress): at once, or, when
// the previous cycle began less than `least_gap` ago, once that much time has passed. Wakes that
// arrive meanwhile fold into that one cycle, so that a stream of writes runs cycles at that pace
// rather than back to back. Both durations are measured on the steady clock: they only pace the
// loop, while what a cycle judges uses the injected Clock.
//
// Thread-safe. Stop() (or destruction) waits for the running cycle to finish.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace chiso::rules {

class EvaluationLoop {
 public:
  EvaluationLoop(std::function<void()> cycle, std::chrono::milliseconds interval,
                 std::chrono::milliseconds least_gap);
  ~EvaluationLoop();
  EvaluationLoop(const EvaluationLoop&) = delete;
  EvaluationLoop& operator=(const EvaluationLoop&) = delete;

  void Start();
  void Wake();
  void Stop();

 private:
  void Run();

  const std::function<void()> cycle_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds least_gap_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace chiso::rules
