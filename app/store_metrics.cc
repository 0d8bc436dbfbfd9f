#include "app/store_metrics.h"

#include <prometheus/metric_family.h>

#include "store/store.h"

namespace chiso::app {
namespace {

prometheus::MetricFamily Family(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return {name, help, type, {metric}};
}

// One series per key space (samples, series index, audit, state…).
prometheus::MetricFamily PerKeySpace(const char* name, const char* help, const StoreStats& stats,
                                     std::uint64_t KeySpaceStats::*field) {
  prometheus::MetricFamily family{name, help, prometheus::MetricType::Gauge, {}};
  for (const KeySpaceStats& space : stats.key_spaces) {
    prometheus::ClientMetric metric;
    metric.label.push_back({"key_space", space.name});
    metric.gauge.value = static_cast<double>(space.*field);
    family.metric.push_back(std::move(metric));
  }
  return family;
}

}  // namespace

std::vector<prometheus::MetricFamily> StoreMetrics::Collect() const {
  using prometheus::MetricType;
  const StoreStats stats = store_->Stats();
  auto d = [](std::uint64_t v) { return static_cast<double>(v); };
  return {
      PerKeySpace("chiso_store_key_space_table_bytes", "Bytes of live table files per key space.",
                  stats, &KeySpaceStats::table_bytes),
      PerKeySpace("chiso_store_key_space_keys_estimate", "Estimated keys per key space.", stats,
                  &KeySpaceStats::keys_estimate),
      Family("chiso_store_size_bytes", "Bytes of every file of the store on disk.",
             MetricType::Gauge, d(stats.bytes_on_disk)),
      Family("chiso_store_series", "Series in the store.", MetricType::Gauge, d(stats.series)),
      Family("chiso_store_samples_estimate",
             "Estimated per-sample records: samples sealed into blocks are not counted, "
             "overwritten ones are until compaction.",
             MetricType::Gauge, d(stats.samples_estimate)),
      Family("chiso_store_head_samples",
             "Fresh samples held in memory (the head) until the next drain into blocks.",
             MetricType::Gauge, d(stats.head_samples)),
      Family("chiso_store_head_drains_total", "Drains of the head since the store opened.",
             MetricType::Counter, d(stats.head_drains_total)),
      Family("chiso_store_pending_compaction_bytes", "Bytes compaction still has to rewrite.",
             MetricType::Gauge, d(stats.pending_compaction_bytes)),
      Family("chiso_store_compactions_total", "Compactions finished since the store opened.",
             MetricType::Counter, d(stats.compactions_total)),
      Family("chiso_store_flushes_total", "Memtable flushes finished since the store opened.",
             MetricType::Counter, d(stats.flushes_total)),
      Family("chiso_store_background_error",
             "1 while the store reports a background error (writes fail), else 0.",
             MetricType::Gauge, stats.background_error.empty() ? 0.0 : 1.0),
  };
}

}  // namespace chiso::app
