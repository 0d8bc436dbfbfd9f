#include "rules/assess/derived.h"

#include <gtest/gtest.h>

namespace chiso::rules {
namespace {

const TimeZone kZone;  // UTC+7
constexpr TimestampMs kHour = 3'600'000;

Reading At(CivilDate date, int hour_local, double value, TimestampMs arrived_at = 0) {
  return {StartOfDay(date, kZone) + hour_local * kHour, value, arrived_at};
}

catalog::Formula Percent() {
  catalog::Formula formula;
  formula.scale = 100;
  return formula;
}

TEST(DerivedReadings, SumsNumeratorAndDenominatorOverEachCompletePeriod) {
  // October: 30 + 40 online of 100 received; November still running.
  const std::vector<Reading> online = {
      At({2025, 10, 3}, 9, 30, 111), At({2025, 10, 20}, 9, 40, 222), At({2025, 11, 4}, 9, 50, 333)};
  const std::vector<Reading> all = {At({2025, 10, 3}, 9, 30, 111), At({2025, 10, 20}, 9, 40, 222),
                                    At({2025, 10, 21}, 9, 30, 444), At({2025, 11, 4}, 9, 80, 333)};
  const auto got = DerivedReadings(Percent(), PeriodKind::kMonth, kZone, online, all,
                                   StartOfDay({2025, 11, 15}, kZone));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].at, EndOfDay({2025, 10, 31}, kZone));
  EXPECT_DOUBLE_EQ(got[0].value, 70);
  EXPECT_EQ(got[0].arrived_at, 444);
  EXPECT_EQ(got[0].first_arrived_at, 444);

  // A correction after the period was complete moves the arrival, not the first arrival.
  std::vector<Reading> corrected = online;
  corrected[0] = {corrected[0].at, 35, 900, 111};
  EXPECT_EQ(DerivedReadings(Percent(), PeriodKind::kMonth, kZone, corrected, all,
                            StartOfDay({2025, 11, 15}, kZone))
                .at(0),
            (Reading{EndOfDay({2025, 10, 31}, kZone), 75, 900, 444}));

  const auto later = DerivedReadings(Percent(), PeriodKind::kMonth, kZone, online, all,
                                     StartOfDay({2025, 12, 1}, kZone));
  ASSERT_EQ(later.size(), 2u);
  EXPECT_DOUBLE_EQ(later[1].value, 62.5);
}

TEST(DerivedReadings, UsesTheUnitsTimeZoneForPeriodBoundaries) {
  // 2025-10-31T20:00Z is 1 November 03:00 in Hà Nội: it belongs to November.
  const TimestampMs late_utc = StartOfDay({2025, 11, 1}, kZone) + 3 * kHour;
  const std::vector<Reading> all = {At({2025, 10, 5}, 9, 10), {late_utc, 10, 0}};
  const std::vector<Reading> online = {{late_utc, 10, 0}};
  const auto got = DerivedReadings(Percent(), PeriodKind::kMonth, kZone, online, all,
                                   StartOfDay({2025, 12, 5}, kZone));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_DOUBLE_EQ(got[0].value, 0);  // October: none online
  EXPECT_DOUBLE_EQ(got[1].value, 100);
}

TEST(DerivedReadings, SkipsPeriodsWithoutDenominator) {
  const std::vector<Reading> online = {At({2025, 1, 5}, 9, 3)};
  const std::vector<Reading> all = {At({2025, 1, 5}, 9, 0), At({2025, 4, 5}, 9, 4)};
  const auto got = DerivedReadings(Percent(), PeriodKind::kQuarter, kZone, online, all,
                                   StartOfDay({2026, 1, 1}, kZone));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].at, EndOfDay({2025, 6, 30}, kZone));
  EXPECT_DOUBLE_EQ(got[0].value, 0);
}

}  // namespace
}  // namespace chiso::rules
