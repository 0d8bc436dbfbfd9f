#include "rules/assess/derived.h"

#include <algorithm>
#include <map>

namespace chiso::rules {

std::vector<Reading> DerivedReadings(const catalog::Formula& formula, PeriodKind period,
                                     const TimeZone& zone, std::span<const Reading> numerator,
                                     std::span<const Reading> denominator, TimestampMs now) {
  struct Sums {
    Period period;
    double numerator = 0;
    double denominator = 0;
    TimestampMs arrived_at = 0;
    TimestampMs first_arrived_at = 0;
  };
  std::map<std::int64_t, Sums> by_period;  // keyed by the period's first day
  auto add = [&](const Reading& sample, double Sums::*sum) {
    const Period p = PeriodContaining(period, LocalDate(sample.at, zone));
    Sums& sums = by_period.try_emplace(DaysFromCivil(p.FirstDay()), Sums{p}).first->second;
    sums.*sum += sample.value;
    sums.arrived_at = std::max(sums.arrived_at, sample.arrived_at);
    sums.first_arrived_at = std::max(sums.first_arrived_at, sample.first_arrived_at);
  };
  for (const Reading& sample : numerator) add(sample, &Sums::numerator);
  for (const Reading& sample : denominator) add(sample, &Sums::denominator);

  std::vector<Reading> out;
  for (const auto& [first_day, sums] : by_period) {
    const TimestampMs end = EndOfDay(sums.period.LastDay(), zone);
    if (end >= now || sums.denominator == 0) continue;
    out.push_back({end, formula.scale * sums.numerator / sums.denominator, sums.arrived_at,
                   sums.first_arrived_at});
  }
  return out;
}

}  // namespace chiso::rules
