// The store-backed SeriesProbe (library chiso_rules_store): latest samples from Store::Latest,
// one lookup per selected series.
//
// Thread-safe (the store is). Borrows the store, which must outlive the probe.
#pragma once

#include "rules/alerting/series_probe.h"
#include "store/store.h"

namespace chiso::rules {

// At most this many series per selector; more is ResourceExhausted (a rule that broad is a
// mistake, and would raise as many alerts).
inline constexpr std::size_t kMaxProbedSeries = 10'000;

class StoreSeriesProbe final : public SeriesProbe {
 public:
  explicit StoreSeriesProbe(const Store* store) : store_(store) {}

  // Errors are the store's (Unavailable, Corruption, ResourceExhausted past kMaxProbedSeries…).
  Result<std::vector<LatestSeriesValue>> Latest(
      std::span<const LabelMatcher> matchers) const override;

 private:
  const Store* store_;
};

}  // namespace chiso::rules
