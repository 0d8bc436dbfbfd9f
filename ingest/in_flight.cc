#include "ingest/in_flight.h"

namespace chiso::ingest {

InFlightGate::Ticket InFlightGate::TryEnter(std::size_t bytes) {
  std::size_t used = used_.load();
  do {
    if (used != 0 && used + bytes > max_bytes_) return {};
  } while (!used_.compare_exchange_weak(used, used + bytes));
  return {this, bytes};
}

}  // namespace chiso::ingest
