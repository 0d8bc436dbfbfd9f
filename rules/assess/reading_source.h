// ReadingSource: where an evaluation reads series from. The service reads the store
// (StoreReadingSource, rules/store_backed/store_source.h); tests, the demo and the benchmark use
// MemoryReadingSource. Keeping this an interface keeps the trajectory and timeliness code free of
// store types.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "common/labels.h"
#include "common/naming.h"
#include "common/status.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules {

// Readings grouped by the value of one label (e.g. by indicator code).
using ReadingsByLabel = std::map<std::string, std::vector<Reading>, std::less<>>;

// Every answer holds every reading stored before the call began (for the store: every write
// acknowledged by then). Implementations are thread-safe for concurrent calls once built.
class ReadingSource {
 public:
  virtual ~ReadingSource() = default;

  // Readings of series `metric`{unit="<unit>"} grouped by the value of `label`; series without
  // the label are left out. Each group is ascending by `at` with one reading per instant: where
  // series differing in other labels share an instant, the latest arrival wins, carrying the
  // earliest `first_arrived_at` among them.
  virtual Result<ReadingsByLabel> GroupedReadings(std::string_view unit, std::string_view metric,
                                                  std::string_view label) const = 0;

  // Readings of every series of `unit` that `selector` selects, merged, ascending by `at`
  // (instants may repeat across series).
  virtual Result<std::vector<Reading>> SelectedReadings(
      std::string_view unit, const catalog::SeriesSelector& selector) const = 0;
};

// Sorts by `at` and keeps one reading per instant, the one that arrived last, with the earliest
// `first_arrived_at` of that instant's readings.
void KeepLatestPerInstant(std::vector<Reading>* readings);

// Series held in memory, indexed by unit. Not thread-safe while being filled; const methods may
// be called concurrently afterwards.
class MemoryReadingSource final : public ReadingSource {
 public:
  // Appends readings to the series named by `labels` (`__name__` and `unit` included, in any
  // order).
  void Add(Labels labels, std::vector<Reading> readings);
  // Shorthand for chiso_indicator_reading{indicator, unit}.
  void AddIndicatorReadings(const std::string& unit, const std::string& indicator,
                            std::vector<Reading> readings);

  Result<ReadingsByLabel> GroupedReadings(std::string_view unit, std::string_view metric,
                                          std::string_view label) const override;
  Result<std::vector<Reading>> SelectedReadings(
      std::string_view unit, const catalog::SeriesSelector& selector) const override;

 private:
  struct Series {
    Labels labels;
    std::vector<Reading> readings;
  };
  std::map<std::string, std::vector<Series>, std::less<>> by_unit_;
};

}  // namespace chiso::rules
