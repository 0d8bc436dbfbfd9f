// EvaluationLoop: runs evaluation cycles on a thread of its own — one at Start, then every
// `interval`, and at once after Wake() (a reload, a recorded task progress). Wakes that arrive
// while a cycle runs fold into one more cycle. The interval is measured on the steady clock: it
// only paces the loop, while what a cycle judges uses the injected Clock.
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
  EvaluationLoop(std::function<void()> cycle, std::chrono::milliseconds interval);
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
  std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace chiso::rules
