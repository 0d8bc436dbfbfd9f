// A deterministic, plausible reading history for the plans of a catalog (see demo_history.cc for
// the profiles). Used by the demo program and by anything that wants to load it into a store.
#pragma once

#include <cstddef>
#include <vector>

#include "catalog/catalog.h"
#include "rules/assess/reading_source.h"
#include "rules/assess/tasks.h"

namespace chiso::rules::demo {

struct DemoSeries {
  Labels labels;                  // sorted; __name__ and unit included
  std::vector<Reading> readings;  // ascending; none arrives after `now`
};

struct DemoHistory {
  std::vector<DemoSeries> series;
  std::vector<TaskProgress> progress;

  std::size_t reading_count() const;
};

// Readings of every target of every plan from January 2025 up to `now` (raw dossier counts for
// derived indicators, cumulative counts for per-year ones), and progress records of tasks.
DemoHistory GenerateHistory(const catalog::Catalog& catalog, TimestampMs now);

}  // namespace chiso::rules::demo
