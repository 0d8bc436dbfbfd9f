#include "forward/ack_window.h"

namespace chiso::forward {

std::optional<std::uint64_t> AckWindow::Dispatched(std::uint64_t end, int requests) {
  std::lock_guard lock(mu_);
  unanswered_[end] = requests;
  return SettleLocked();
}

std::optional<std::uint64_t> AckWindow::Answered(std::uint64_t end) {
  std::lock_guard lock(mu_);
  const auto chunk = unanswered_.find(end);
  if (chunk != unanswered_.end() && chunk->second > 0) --chunk->second;
  return SettleLocked();
}

std::uint64_t AckWindow::position() const {
  std::lock_guard lock(mu_);
  return position_;
}

std::optional<std::uint64_t> AckWindow::SettleLocked() {
  const std::uint64_t before = position_;
  while (!unanswered_.empty() && unanswered_.begin()->second == 0) {
    position_ = std::max(position_, unanswered_.begin()->first);
    unanswered_.erase(unanswered_.begin());
  }
  if (position_ == before) return std::nullopt;
  return position_;
}

}  // namespace chiso::forward
