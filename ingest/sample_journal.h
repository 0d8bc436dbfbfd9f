// SampleJournal: the port through which the write pipeline journals the samples it accepts in
// the same atomic store write as the samples themselves (Store::Write with a StateBatch), so that
// whatever a sender is answered 2xx for is also durably queued for whoever reads the journal
// (forward/: remote write to a distributed engine). Implemented outside ingest/, wired by app/.
//
// Per request that stores samples, the pipeline calls Stage() once before the store write and
// Settle() once after it, with the ticket Stage() returned, whether or not the write succeeded.
// Implementations must be thread-safe: requests run in parallel.
#pragma once

#include <cstdint>

#include "store/sample.h"
#include "store/state_batch.h"

namespace chiso::ingest {

class SampleJournal {
 public:
  virtual ~SampleJournal() = default;
  // Adds to `with_state` the state mutations that journal `batch` (which outlives the call);
  // returns the ticket to Settle with.
  virtual std::uint64_t Stage(const SampleBatch& batch, StateBatch& with_state) = 0;
  // The store write of the staged batch ended: applied (`written`) or not at all.
  virtual void Settle(std::uint64_t ticket, bool written) = 0;
};

}  // namespace chiso::ingest
