#include "forward/testing/journaled_write.h"

#include <algorithm>

namespace chiso::forward::testing {

bool WriteJournaled(Store& store, ForwardQueue& queue, const SampleBatch& batch) {
  StateBatch entry;
  const std::uint64_t ticket = queue.Stage(batch, entry);
  const bool written = store.Write(batch, entry).ok();
  queue.Settle(ticket, written);
  return written;
}

double CounterValue(prometheus::Registry& registry, const std::string& name,
                    const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      const bool selected = std::all_of(labels.begin(), labels.end(), [&](const auto& wanted) {
        return std::any_of(metric.label.begin(), metric.label.end(), [&](const auto& label) {
          return label.name == wanted.first && label.value == wanted.second;
        });
      });
      if (selected) return metric.counter.value;
    }
  }
  return 0;
}

}  // namespace chiso::forward::testing
