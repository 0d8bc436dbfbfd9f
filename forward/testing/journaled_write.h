// Helpers of forward/ tests: a store write journaled in a ForwardQueue exactly as the write
// pipeline does it, and the forwarding metrics read back from a registry.
#pragma once

#include <prometheus/registry.h>

#include <map>
#include <string>

#include "forward/queue.h"
#include "store/store.h"

namespace chiso::forward::testing {

// Stage, Store::Write with the entry, Settle: whether the write succeeded.
bool WriteJournaled(Store& store, ForwardQueue& queue, const SampleBatch& batch);

// The value of the counter `name` whose labels include all of `labels`; 0 when there is none.
double CounterValue(prometheus::Registry& registry, const std::string& name,
                    const std::map<std::string, std::string>& labels = {});

}  // namespace chiso::forward::testing
