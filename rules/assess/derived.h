// Derived indicators (kind: derived): a value per complete period computed from raw upstream
// series, like a DHIS2 indicator with a numerator and a denominator:
//
//   value(period) = scale × Σ numerator samples in the period ÷ Σ denominator samples in it
//
// Each raw sample is an amount for its own instant (e.g. dossiers received that day), not a
// running counter: the samples of a period are summed as they are. A period is complete once its
// last day has ended in the unit's time zone; periods still running are left out, and so are
// periods whose denominator sums to 0 (the rate is undefined). A period with denominator samples
// but no numerator samples has value 0.
#pragma once

#include <span>
#include <vector>

#include "catalog/catalog.h"
#include "common/calendar.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules {

// One reading per complete period of kind `period`, ascending, at the period's last millisecond;
// `arrived_at` is the latest arrival among the samples summed, `first_arrived_at` the latest of
// their first arrivals (when the period's samples had all first been reported). `numerator` and
// `denominator` hold the samples of every selected series, in any order.
std::vector<Reading> DerivedReadings(const catalog::Formula& formula, PeriodKind period,
                                     const TimeZone& zone, std::span<const Reading> numerator,
                                     std::span<const Reading> denominator, TimestampMs now);

}  // namespace chiso::rules
