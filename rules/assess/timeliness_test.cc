#include "rules/assess/timeliness.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chiso::rules {
namespace {

const TimeZone kZone;  // UTC+7
constexpr TimestampMs kHour = 3'600'000;

TimestampMs Noon(CivilDate date) { return StartOfDay(date, kZone) + 12 * kHour; }

catalog::ReportingRule MonthlyRule(int days, int grace) {
  catalog::ReportingRule rule;
  rule.id = "monthly";
  rule.office = "phong_vhxh";
  rule.period = PeriodKind::kMonth;
  rule.due_days_after_period_end = days;
  rule.grace_days = grace;
  return rule;
}

TEST(PeriodsEndingWithin, ListsEveryReportPeriodKind) {
  const CivilDate first{2025, 7, 1}, last{2025, 9, 30};
  std::vector<std::string> months;
  for (const auto& p : PeriodsEndingWithin(PeriodKind::kMonth, first, last)) {
    months.push_back(p.ToString());
  }
  EXPECT_EQ(months, (std::vector<std::string>{"2025-07", "2025-08", "2025-09"}));
  const auto quarters = PeriodsEndingWithin(PeriodKind::kQuarter, first, last);
  ASSERT_EQ(quarters.size(), 1u);
  EXPECT_EQ(quarters[0].ToString(), "2025-Q3");
  const auto nine = PeriodsEndingWithin(PeriodKind::kNineMonths, first, last);
  ASSERT_EQ(nine.size(), 1u);
  EXPECT_EQ(nine[0].ToString(), "2025-9M");
  EXPECT_EQ(nine[0].FirstDay(), (CivilDate{2025, 1, 1}));
  EXPECT_TRUE(PeriodsEndingWithin(PeriodKind::kYear, first, last).empty());
  EXPECT_TRUE(PeriodsEndingWithin(PeriodKind::kHalf, first, last).empty());
}

TEST(ReportDueAt, DaysAfterPeriodEndFixedMonthDayOrDayOfLastMonth) {
  const Period october{PeriodKind::kMonth, 2025, 10};
  EXPECT_EQ(ReportDueAt(MonthlyRule(5, 0), october, kZone), EndOfDay({2025, 11, 5}, kZone));
  const Period december{PeriodKind::kMonth, 2025, 12};
  EXPECT_EQ(ReportDueAt(MonthlyRule(10, 0), december, kZone), EndOfDay({2026, 1, 10}, kZone));

  catalog::ReportingRule yearly;
  yearly.period = PeriodKind::kYear;
  yearly.due_month_day = std::pair{11, 20};
  EXPECT_EQ(ReportDueAt(yearly, {PeriodKind::kYear, 2025, 1}, kZone),
            EndOfDay({2025, 11, 20}, kZone));

  // "trước ngày 05 … tháng cuối quý": the third quarter's report by 5 September.
  catalog::ReportingRule quarterly;
  quarterly.period = PeriodKind::kQuarter;
  quarterly.due_day_of_last_month = 5;
  EXPECT_EQ(ReportDueAt(quarterly, {PeriodKind::kQuarter, 2026, 3}, kZone),
            EndOfDay({2026, 9, 5}, kZone));
}

struct ReportCase {
  std::string name;
  std::optional<CivilDate> arrived;  // noon that day
  CivilDate now;
  ReportState want;
  bool expected;
};

// gtest prints a parameter (`# GetParam() = …` in ctest listings) as its name, not its bytes.
void PrintTo(const ReportCase& c, std::ostream* os) { *os << c.name; }

class ReportTable : public ::testing::TestWithParam<ReportCase> {};

TEST_P(ReportTable, JudgesFromArrival) {
  const ReportCase& c = GetParam();
  const catalog::ReportingRule rule = MonthlyRule(5, 3);  // October: due 5 Nov, missing after 8 Nov
  std::optional<TimestampMs> arrival;
  if (c.arrived) arrival = Noon(*c.arrived);
  const ReportAssessment got =
      AssessReport(rule, {PeriodKind::kMonth, 2025, 10}, kZone, arrival, Noon(c.now));
  EXPECT_EQ(ReportStateName(got.state), ReportStateName(c.want));
  EXPECT_EQ(got.expected(), c.expected);
  EXPECT_EQ(got.missing_after, EndOfDay({2025, 11, 8}, kZone));
}

INSTANTIATE_TEST_SUITE_P(
    Timeliness, ReportTable,
    ::testing::Values(
        ReportCase{"not_due", std::nullopt, {2025, 11, 3}, ReportState::kNotDue, false},
        ReportCase{"early", CivilDate{2025, 10, 30}, {2025, 11, 3}, ReportState::kOnTime, true},
        ReportCase{
            "on_due_day", CivilDate{2025, 11, 5}, {2025, 11, 20}, ReportState::kOnTime, true},
        ReportCase{
            "late_within_grace", CivilDate{2025, 11, 7}, {2025, 11, 20}, ReportState::kLate, true},
        ReportCase{
            "late_after_grace", CivilDate{2025, 12, 1}, {2025, 12, 2}, ReportState::kLate, true},
        ReportCase{"awaited", std::nullopt, {2025, 11, 7}, ReportState::kAwaited, true},
        ReportCase{"missing", std::nullopt, {2025, 11, 9}, ReportState::kMissing, true}),
    [](const ::testing::TestParamInfo<ReportCase>& info) { return info.param.name; });

TEST(SummarizeReports, CountsAndRatesPerOffice) {
  const catalog::Unit gia_loc{"gia_loc", "Gia Lộc", catalog::Unit::Level::kCommune, "", kZone, {}};
  const catalog::Unit tu_ky{"tu_ky", "Tứ Kỳ", catalog::Unit::Level::kCommune, "", kZone, {}};
  catalog::ReportingRule monthly = MonthlyRule(5, 3);  // October: due 5 Nov, missing after 8 Nov
  catalog::ReportingRule other = MonthlyRule(5, 3);
  other.id = "other";
  catalog::ReportingRule quarterly = MonthlyRule(5, 3);
  quarterly.id = "quarterly";
  quarterly.period = PeriodKind::kQuarter;
  catalog::ReportingRule awaited_rule = MonthlyRule(5, 30);
  awaited_rule.id = "awaited";
  catalog::ReportingRule elsewhere = MonthlyRule(5, 3);
  elsewhere.office = "van_phong";
  const Period october{PeriodKind::kMonth, 2025, 10};
  const Period september{PeriodKind::kMonth, 2025, 9};
  const Period q3{PeriodKind::kQuarter, 2025, 3};
  const Period november{PeriodKind::kMonth, 2025, 11};
  const TimestampMs now = Noon({2025, 11, 20});
  auto row = [&](const catalog::Unit& unit, const catalog::ReportingRule& rule,
                 const Period& period, std::optional<CivilDate> arrived) {
    std::optional<TimestampMs> arrival;
    if (arrived) arrival = Noon(*arrived);
    return ReportRow{&unit, AssessReport(rule, period, kZone, arrival, now)};
  };
  const std::vector<ReportRow> rows = {
      row(gia_loc, monthly, october, CivilDate{2025, 11, 7}),    // late
      row(gia_loc, other, october, std::nullopt),                // missing
      row(gia_loc, quarterly, q3, CivilDate{2025, 10, 2}),       // on time
      row(gia_loc, awaited_rule, october, std::nullopt),         // awaited
      row(gia_loc, monthly, november, std::nullopt),             // not due
      row(gia_loc, monthly, september, CivilDate{2025, 10, 3}),  // on time
      row(gia_loc, elsewhere, october, CivilDate{2025, 11, 1}),  // on time, another office
      row(tu_ky, monthly, november, std::nullopt),               // not due: nothing expected
  };

  const std::vector<ReportSummary> offices = SummarizeReports(rows, ReportGrouping::kByOffice);
  ASSERT_EQ(offices.size(), 3u);
  const ReportSummary& vhxh = offices[0];
  EXPECT_EQ(vhxh.unit, "gia_loc");
  EXPECT_EQ(vhxh.office, "phong_vhxh");
  EXPECT_EQ(vhxh.period, "");
  EXPECT_EQ(vhxh.expected, 5);
  EXPECT_EQ(vhxh.received, 3);
  EXPECT_EQ(vhxh.on_time, 2);
  EXPECT_EQ(vhxh.late, 1);
  EXPECT_EQ(vhxh.awaited, 1);
  EXPECT_EQ(vhxh.missing, 1);
  EXPECT_EQ(vhxh.reporting_rate(), 3.0 / 5);
  EXPECT_EQ(vhxh.on_time_rate(), 2.0 / 5);
  EXPECT_EQ(offices[1].office, "van_phong");
  EXPECT_EQ(offices[1].reporting_rate(), 1.0);
  EXPECT_EQ(offices[2].unit, "tu_ky");
  EXPECT_EQ(offices[2].expected, 0);
  EXPECT_FALSE(offices[2].reporting_rate().has_value());
  EXPECT_FALSE(offices[2].on_time_rate().has_value());

  const std::vector<ReportSummary> periods =
      SummarizeReports(rows, ReportGrouping::kByOfficeAndPeriod);
  std::vector<std::string> keys;
  for (const ReportSummary& s : periods) {
    keys.push_back(s.unit + "/" + s.office + "/" + s.period + ":" + std::to_string(s.expected) +
                   "," + std::to_string(s.received) + "," + std::to_string(s.on_time));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "gia_loc/phong_vhxh/2025-09:1,1,1", "gia_loc/phong_vhxh/2025-10:3,1,0",
                      "gia_loc/phong_vhxh/2025-11:0,0,0", "gia_loc/phong_vhxh/2025-Q3:1,1,1",
                      "gia_loc/van_phong/2025-10:1,1,1", "tu_ky/phong_vhxh/2025-11:0,0,0"}));
}

TEST(FirstArrivalWithin, TakesTheEarliestArrivalInTheWindow) {
  const std::vector<Reading> readings = {{10, 1, 500}, {20, 1, 300}, {30, 1, 100}, {40, 1, 50}};
  EXPECT_EQ(FirstArrivalWithin(readings, {15, 30, 0}), 100);
  EXPECT_EQ(FirstArrivalWithin(readings, {10, 20, 0}), 300);
  EXPECT_EQ(FirstArrivalWithin(readings, {10, 40, 200}), 300);  // earlier arrivals do not count
  EXPECT_FALSE(FirstArrivalWithin(readings, {41, 99, 0}).has_value());
}

TEST(FirstArrivalWithin, ACorrectionKeepsTheFirstArrival) {
  const catalog::ReportingRule rule = MonthlyRule(5, 3);  // October: due 5 Nov
  const Period october{PeriodKind::kMonth, 2025, 10};
  const ReportWindow window = ReportWindowOf(rule, october, kZone);
  const TimestampMs sent = Noon({2025, 11, 3}), corrected = Noon({2025, 11, 12});
  const std::vector<Reading> readings = {{EndOfDay({2025, 10, 31}, kZone), 31, corrected, sent}};
  const auto arrival = FirstArrivalWithin(readings, window);
  EXPECT_EQ(arrival, sent);
  EXPECT_EQ(AssessReport(rule, october, kZone, arrival, Noon({2025, 11, 20})).state,
            ReportState::kOnTime);

  // First sent before the season opened (in September): not October's report, even corrected in it.
  const std::vector<Reading> early = {
      {EndOfDay({2025, 10, 31}, kZone), 31, Noon({2025, 10, 2}), Noon({2025, 9, 30})}};
  EXPECT_FALSE(FirstArrivalWithin(early, window).has_value());
}

TEST(ReportWindowOf, OpensWithTheReportingSeason) {
  catalog::ReportingRule quarterly = MonthlyRule(7, 0);
  quarterly.period = PeriodKind::kQuarter;
  const ReportWindow q3 = ReportWindowOf(quarterly, {PeriodKind::kQuarter, 2025, 3}, kZone);
  EXPECT_EQ(q3.from, StartOfDay({2025, 7, 1}, kZone));
  EXPECT_EQ(q3.to, EndOfDay({2025, 9, 30}, kZone));
  EXPECT_EQ(q3.opens_at, StartOfDay({2025, 9, 1}, kZone));

  catalog::ReportingRule early_yearly;  // due 20 November, before the year ends
  early_yearly.period = PeriodKind::kYear;
  early_yearly.due_month_day = std::pair{11, 20};
  EXPECT_EQ(ReportWindowOf(early_yearly, {PeriodKind::kYear, 2025, 1}, kZone).opens_at,
            StartOfDay({2025, 11, 1}, kZone));
}

TEST(ValueAllowances, PreferRulesOfTheIndicatorsPeriod) {
  catalog::Catalog catalog;
  for (auto [code, period] :
       {std::pair{"monthly_rate", PeriodKind::kMonth}, {"quarterly_rate", PeriodKind::kQuarter}}) {
    catalog::Indicator& indicator = catalog.indicators.emplace_back();
    indicator.code = code;
    indicator.period = period;
  }
  catalog.BuildIndex();
  catalog::Plan plan;
  plan.targets.emplace_back().indicator = "monthly_rate";
  plan.targets.emplace_back().indicator = "quarterly_rate";
  catalog::ReportingRule monthly = MonthlyRule(5, 2);
  catalog::ReportingRule yearly = MonthlyRule(30, 0);
  yearly.period = PeriodKind::kYear;
  catalog::ReportingRule narrative = MonthlyRule(60, 0);
  narrative.indicators = std::vector<std::string>{};
  plan.reporting = {monthly, yearly, narrative};
  const catalog::Plan* plans[] = {&plan};

  const ValueAllowances allowances(catalog, plans);
  EXPECT_EQ(allowances.DaysFor(*catalog.FindIndicator("monthly_rate")), 7);
  // No quarterly rule: the most lenient rule that carries it.
  EXPECT_EQ(allowances.DaysFor(*catalog.FindIndicator("quarterly_rate")), 30);
  catalog::Indicator elsewhere;
  elsewhere.code = "not_in_plan";
  EXPECT_EQ(allowances.DaysFor(elsewhere), 0);
  EXPECT_FALSE(Carries(narrative, plan, "monthly_rate"));
  EXPECT_TRUE(Carries(monthly, plan, "monthly_rate"));
}

}  // namespace
}  // namespace chiso::rules
