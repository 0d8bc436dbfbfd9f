#include "common/calendar.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chiso {
namespace {

TEST(CalendarTest, CivilDaysRoundTripAcrossCenturies) {
  for (std::int64_t days = -800'000; days <= 200'000; days += 997) {
    EXPECT_EQ(DaysFromCivil(CivilFromDays(days)), days);
  }
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
}

TEST(CalendarTest, ParseIsoDateNamesTheWrongPart) {
  EXPECT_EQ(ParseIsoDate("2025-12-31").value(), (CivilDate{2025, 12, 31}));
  EXPECT_EQ(ParseIsoDate("2024-02-29").value(), (CivilDate{2024, 2, 29}));
  auto bad_day = ParseIsoDate("2025-02-29");
  ASSERT_FALSE(bad_day.ok());
  EXPECT_NE(bad_day.status().message().find("has 28 days"), std::string::npos);
  auto bad_month = ParseIsoDate("2025-13-01");
  ASSERT_FALSE(bad_month.ok());
  EXPECT_NE(bad_month.status().message().find("month 13"), std::string::npos);
  EXPECT_FALSE(ParseIsoDate("31/12/2025").ok());
  EXPECT_FALSE(ParseIsoDate("2025-1-01").ok());
}

TEST(CalendarTest, EndOfDayInVietnamIsSeventeenUtc) {
  TimeZone vn = ParseTimeZone("Asia/Ho_Chi_Minh").value();
  // 2025-12-31T23:59:59.999+07:00 == 2025-12-31T16:59:59.999Z
  EXPECT_EQ(EndOfDay({2025, 12, 31}, vn), 1767200399999);
  EXPECT_EQ(LocalDate(EndOfDay({2025, 12, 31}, vn), vn), (CivilDate{2025, 12, 31}));
  EXPECT_EQ(LocalDate(EndOfDay({2025, 12, 31}, vn) + 1, vn), (CivilDate{2026, 1, 1}));
  EXPECT_EQ(ParseTimeZone("-03:30").value().offset_minutes, -210);
  EXPECT_EQ(FormatInstant(1767200399999), "2025-12-31T16:59:59.999Z");
  EXPECT_EQ(FormatInstant(1767200399999, vn), "2025-12-31T23:59:59.999+07:00");
  EXPECT_EQ(FormatInstant(0, ParseTimeZone("-03:30").value()), "1969-12-31T20:30:00.000-03:30");
  EXPECT_FALSE(ParseTimeZone("Europe/Nowhere").ok());
}

struct PeriodCase {
  const char* text;
  CivilDate first;
  CivilDate last;
};

TEST(CalendarTest, PeriodsParseToTheirBoundsAndPrintCanonically) {
  const PeriodCase cases[] = {
      {"2025", {2025, 1, 1}, {2025, 12, 31}},    {"2025-H1", {2025, 1, 1}, {2025, 6, 30}},
      {"2025-H2", {2025, 7, 1}, {2025, 12, 31}}, {"2025-Q3", {2025, 7, 1}, {2025, 9, 30}},
      {"2024-02", {2024, 2, 1}, {2024, 2, 29}},  {"2025-10-31", {2025, 10, 31}, {2025, 10, 31}},
  };
  for (const auto& c : cases) {
    auto period = ParsePeriod(c.text);
    ASSERT_TRUE(period.ok()) << c.text << ": " << period.status().ToString();
    EXPECT_EQ(period->FirstDay(), c.first) << c.text;
    EXPECT_EQ(period->LastDay(), c.last) << c.text;
    EXPECT_EQ(period->ToString(), c.text);
  }
}

TEST(CalendarTest, BadPeriodsSayWhy) {
  EXPECT_NE(ParsePeriod("2025-Q5").status().message().find("Q1..Q4"), std::string::npos);
  EXPECT_NE(ParsePeriod("2025-H3").status().message().find("H1 or H2"), std::string::npos);
  EXPECT_NE(ParsePeriod("2025-13").status().message().find("01..12"), std::string::npos);
  EXPECT_NE(ParsePeriod("25-10").status().message().find("four-digit year"), std::string::npos);
  EXPECT_FALSE(ParsePeriod("2025/10").ok());
  EXPECT_FALSE(ParsePeriod("2025-10-32").ok());
}

TEST(CalendarTest, NextAndContainingPeriods) {
  EXPECT_EQ(ParsePeriod("2025-Q4")->Next().ToString(), "2026-Q1");
  EXPECT_EQ(ParsePeriod("2025-12")->Next().ToString(), "2026-01");
  EXPECT_EQ(ParsePeriod("2025-12-31")->Next().ToString(), "2026-01-01");
  EXPECT_EQ(PeriodContaining(PeriodKind::kHalf, {2025, 7, 1}).ToString(), "2025-H2");
  EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, {2025, 3, 31}).ToString(), "2025-Q1");
}

TEST(CalendarTest, NineMonthsRunJanuaryToSeptember) {
  const Period nine = PeriodContaining(PeriodKind::kNineMonths, {2025, 11, 20});
  EXPECT_EQ(nine.ToString(), "2025-9M");
  EXPECT_EQ(nine.FirstDay(), (CivilDate{2025, 1, 1}));
  EXPECT_EQ(nine.LastDay(), (CivilDate{2025, 9, 30}));
  EXPECT_EQ(nine.Next().ToString(), "2026-9M");
  EXPECT_EQ(PeriodKindName(PeriodKind::kNineMonths), "nine_months");
  EXPECT_EQ(ParsePeriodKind("nine_months"), PeriodKind::kNineMonths);
  // Readings and queries never name a nine-month period.
  EXPECT_FALSE(ParsePeriod("2025-9M").ok());
}

TEST(CalendarTest, PeriodsEndingWithinARange) {
  auto spelled = [](PeriodKind kind, CivilDate first, CivilDate last) {
    std::vector<std::string> out;
    for (const Period& p : PeriodsEndingWithin(kind, first, last)) out.push_back(p.ToString());
    return out;
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(spelled(PeriodKind::kMonth, {2025, 7, 1}, {2025, 9, 30}),
            (Names{"2025-07", "2025-08", "2025-09"}));
  EXPECT_EQ(spelled(PeriodKind::kQuarter, {2025, 7, 15}, {2025, 12, 30}), (Names{"2025-Q3"}));
  // 2024's nine months ended before October 2024; 2026's end after the range.
  EXPECT_EQ(spelled(PeriodKind::kNineMonths, {2024, 10, 1}, {2026, 9, 29}), (Names{"2025-9M"}));
  EXPECT_EQ(spelled(PeriodKind::kNineMonths, {2024, 9, 30}, {2024, 9, 30}), (Names{"2024-9M"}));
  EXPECT_EQ(spelled(PeriodKind::kYear, {2025, 1, 1}, {2025, 12, 30}), Names{});
}

}  // namespace
}  // namespace chiso
