// InFlightGate: bounds the bytes of request bodies being decoded and written at once, so a flood
// of large requests is answered 503 instead of growing memory without bound. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>

namespace chiso::ingest {

class InFlightGate {
 public:
  explicit InFlightGate(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // Holds `bytes` of the budget until destroyed; empty when the budget is exhausted. A request
  // larger than the whole budget is admitted only when nothing else is in flight.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept : gate_(other.gate_), bytes_(other.bytes_) {
      other.gate_ = nullptr;
    }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_ != nullptr) gate_->used_.fetch_sub(bytes_);
    }
    explicit operator bool() const { return gate_ != nullptr; }

   private:
    friend class InFlightGate;
    Ticket(InFlightGate* gate, std::size_t bytes) : gate_(gate), bytes_(bytes) {}
    InFlightGate* gate_ = nullptr;
    std::size_t bytes_ = 0;
  };

  Ticket TryEnter(std::size_t bytes);
  std::size_t used() const { return used_.load(); }

 private:
  const std::size_t max_bytes_;
  std::atomic<std::size_t> used_{0};
};

}  // namespace chiso::ingest
