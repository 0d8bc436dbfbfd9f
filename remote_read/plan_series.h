// The plans of the catalog as series, for remote read (never stored: computed per query from the
// catalog's plan paths, plan_paths.h, which need the first reading of plans without a baseline).
//
// For each plan target (unit, indicator) with at least one milestone:
//   chiso_plan_expected{unit, indicator, office, store="chiso"}
//       expected(t) of rules::Trajectory, with a point at the path's start, at every milestone
//       date (per-year counts, `accumulate: year`: every year end, the trajectory's year
//       checkpoints, and every 1 January, where the count restarts at 0), and at the end of every
//       reporting period of the indicator (month, quarter, half, year in the unit's time zone)
//       in between;
//   chiso_plan_target{unit, indicator, office, milestone="YYYY-MM-DD", store="chiso"}
//       one series per milestone (per-year counts: per year checkpoint) holding its target, with
//       points at every period end from the path's start (per-year counts: 1 January of its
//       year) up to the milestone date, and at both ends, so a graph draws the target line
//       leading to the milestone.
// Both end at the last milestone; only points within [from, to] are given, and series without a
// point are left out. Instants are the last millisecond of the day or period, as readings of a
// period are stored. A target without a baseline starts at its first reading, so it has no series
// before a reading exists; a per-year count starts on 1 January of the year of its first reading
// (without one: of the year after its baseline, or of its first milestone), as the evaluation's.
#pragma once

#include <span>
#include <vector>

#include "catalog/catalog.h"
#include "common/label_matcher.h"
#include "common/status.h"
#include "remote_read/plan_paths.h"
#include "remote_read/series.h"
#include "rules/assess/trajectory.h"

namespace chiso::remote_read {

// The plan series that every one of `matchers` selects, with their points in [from, to]. The
// lookup is asked only for targets whose series the matchers can select and that need it; its
// error is returned as is.
Result<std::vector<ReadSeries>> PlanSeries(const catalog::Catalog& catalog,
                                           std::span<const LabelMatcher> matchers, TimestampMs from,
                                           TimestampMs to, const FirstReadingLookup& first_reading);

}  // namespace chiso::remote_read
