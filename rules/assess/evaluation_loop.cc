#include "rules/assess/evaluation_loop.h"

namespace chiso::rules {

EvaluationLoop::EvaluationLoop(std::function<void()> cycle, std::chrono::milliseconds interval,
                               std::chrono::milliseconds least_gap)
    : cycle_(std::move(cycle)), interval_(interval), least_gap_(least_gap) {}

EvaluationLoop::~EvaluationLoop() { Stop(); }

void EvaluationLoop::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void EvaluationLoop::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

void EvaluationLoop::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EvaluationLoop::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    const auto began = std::chrono::steady_clock::now();
    lock.unlock();
    cycle_();
    lock.lock();
    changed_.wait_for(lock, interval_, [this] { return woken_ || stopping_; });
    changed_.wait_until(lock, began + least_gap_, [this] { return stopping_; });
  }
}

}  // namespace chiso::rules
