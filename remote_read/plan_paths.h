// The plan paths of a catalog: for every plan target with a milestone and a start, its trajectory,
// its checkpoints and the labels of its plan series. Shared by the plan series of remote read
// (plan_series.h: the path as points over a time range) and the plan gauges forwarded by remote
// write (app/plan_forwarding.h: the path's value at one instant), so both name and compute the
// series alike.
//
// Labels: chiso_plan_expected{indicator, office, store="chiso", unit} and
// chiso_plan_target{indicator, milestone="YYYY-MM-DD", office, store="chiso", unit}.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/labels.h"
#include "common/status.h"
#include "rules/assess/trajectory.h"
#include "store/store.h"

namespace chiso::remote_read {

// The earliest indicator reading of (unit, indicator), or nullopt when there is none.
using FirstReadingLookup = std::function<Result<std::optional<rules::Reading>>(
    std::string_view unit, std::string_view indicator)>;

// The lookup over `store` (which must outlive it): the earliest sample of every stored
// chiso_indicator_reading{unit, indicator} series.
FirstReadingLookup StoreFirstReading(const Store& store);

struct PlanPath {
  const catalog::Indicator* indicator = nullptr;  // points into the catalog
  TimeZone zone;                                  // the unit's
  rules::Trajectory path;
  std::vector<rules::Checkpoint> checkpoints;  // through the last milestone's year; never empty
  Labels expected_labels;                      // of chiso_plan_expected
  Labels target_labels;                        // of chiso_plan_target, without `milestone`

  // The labels of the chiso_plan_target series of `checkpoint`.
  Labels TargetLabels(const rules::Checkpoint& checkpoint) const;
  // Where the target line of `checkpoint` starts: the path's start (per-year counts: the start of
  // the checkpoint's year).
  TimestampMs TargetStart(const rules::Checkpoint& checkpoint) const;
};

// Whether the series of a target, given its labels, are wanted at all (before its first reading
// is looked up); `target_labels` lack the milestone.
using PlanPathFilter =
    std::function<bool(const Labels& expected_labels, const Labels& target_labels)>;

// Calls `visit` with the path of every plan target of `catalog` that has a milestone and a start
// and that `wanted` accepts, in plan order. The lookup is asked only for those targets and only
// when their path needs it; its error is returned as is.
Status ForEachPlanPath(const catalog::Catalog& catalog, const PlanPathFilter& wanted,
                       const FirstReadingLookup& first_reading,
                       const std::function<void(const PlanPath&)>& visit);

}  // namespace chiso::remote_read
