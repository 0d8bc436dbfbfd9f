// StoreMetrics: the chiso_store_* figures, read from Store::Stats() each time Prometheus
// collects (so they are never stale and cost nothing between scrapes).
#pragma once

#include <prometheus/collectable.h>

#include <vector>

namespace chiso {
class Store;
}

namespace chiso::app {

class StoreMetrics final : public prometheus::Collectable {
 public:
  explicit StoreMetrics(const Store* store) : store_(store) {}  // `store` must outlive this
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const Store* store_;
};

}  // namespace chiso::app
