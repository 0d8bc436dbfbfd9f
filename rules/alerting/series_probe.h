// SeriesProbe: how threshold and silent-source alerting rules (alert_rules.h) read the latest
// sample of arbitrary series. The service reads the store (StoreSeriesProbe in
// rules/store_backed/); tests use MemorySeriesProbe. Keeping this an interface keeps the alerting
// library free of store types.
//
// Series are chosen with Prometheus selectors, parsed by ParseSeriesSelector:
//
//   chiso_indicator_reading{indicator="dvc_online_dossier_rate", unit=~"gia_loc|nghia_dan"}
//   {__name__="dvc_dossiers_received_total", channel!="offline"}
//
// with the store's matcher semantics (common/label_matcher.h): a series lacking a label has the
// value "" for it; regular expressions are ECMAScript and fully anchored.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/label_matcher.h"
#include "common/labels.h"
#include "common/naming.h"
#include "common/status.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules {

// Parses a Prometheus instant-vector selector without range or offset: an optional metric name,
// then optional braces with matchers separated by commas; values in "…", '…' or `…`. At least one
// matcher must reject the empty value (as in Prometheus: `{unit=~".*"}` would select everything).
// InvalidArgument says what is wrong and where (the byte offset in `text`).
Result<std::vector<LabelMatcher>> ParseSeriesSelector(std::string_view text);

// Whether every matcher selects a series with `labels`.
bool SelectsSeries(std::span<const LabelMatcher> matchers, const Labels& labels);

// The latest sample of one series (greatest `at`; arrived_at is when it reached chiso).
struct LatestSeriesValue {
  Labels labels;  // sorted by name, `__name__` included
  Reading latest;
};

class SeriesProbe {
 public:
  virtual ~SeriesProbe() = default;

  // The latest sample of every series `matchers` select, in no particular order. Errors are the
  // source's (the store's Unavailable, ResourceExhausted when too many series match…).
  virtual Result<std::vector<LatestSeriesValue>> Latest(
      std::span<const LabelMatcher> matchers) const = 0;
};

// Series held in memory. Not thread-safe while being filled; Latest may be called concurrently
// afterwards.
class MemorySeriesProbe final : public SeriesProbe {
 public:
  // Adds a sample to the series `labels` (which must hold `__name__`; any order); the one with
  // the greatest `at` is its latest.
  void Add(Labels labels, const Reading& reading);

  Result<std::vector<LatestSeriesValue>> Latest(
      std::span<const LabelMatcher> matchers) const override;

 private:
  std::map<Labels, Reading> latest_;
};

}  // namespace chiso::rules
