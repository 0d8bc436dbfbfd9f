// The target kinds and the reporting rhythm plans state (issue 17), each on a small plan loaded
// from YAML as `chiso` loads deploy/: approximate targets, yearly floors, per-year counts that
// start in a later phase, phase targets, and staleness judged on the plan's own schedule.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "catalog/catalog_loader.h"
#include "rules/assess/timeliness.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules {
namespace {

const TimeZone kZone;  // Asia/Ho_Chi_Minh

const char kCatalogYaml[] = R"(units:
  - {id: nghe_an, name: Tỉnh Nghệ An, level: province}
  - {id: xa_thu, name: Xã Thử, level: commune, parent: nghe_an}
offices:
  - {code: phong_vhxh, name: Phòng Văn hóa - Xã hội}
indicators:
  - {code: budget_share, name: Tỷ lệ chi ngân sách cho KHCN, measure: percent, direction: up,
     period: year, office: phong_vhxh, kind: reported}
  - {code: operating_cost, name: Chi phí vận hành, measure: percent, direction: up,
     period: year, office: phong_vhxh, kind: reported}
  - {code: city_initiatives, name: Sáng kiến cấp thành phố, measure: count, direction: up,
     period: year, office: phong_vhxh, kind: reported, accumulate: year}
  - {code: records_digitized, name: Tỷ lệ hồ sơ số hóa, measure: percent, direction: up,
     period: month, office: phong_vhxh, kind: reported}
)";

// Targets of each kind, and a twice-yearly reporting schedule (before 10/6 and 20/11).
const char kPlanYaml[] = R"(plan:
  unit: xa_thu
  title: Kế hoạch thử
  source: tests
targets:
  - indicator: operating_cost
    baseline: not_stated
    milestones:
      - {date: 2027-12-31, op: "~", target: 15, band: 1, from: 2025, source: "khoảng 15%"}
  - indicator: budget_share
    baseline: not_stated
    yearly: true
    milestones:
      - {date: 2030-12-31, op: ">=", target: 3, from: 2026, source: "ít nhất 3% hằng năm"}
  - indicator: city_initiatives
    baseline: not_stated
    milestones:
      - {date: 2035-12-31, op: ">=", target: 1, from: 2031, source: "01 sáng kiến mỗi năm"}
  - indicator: records_digitized
    baseline: not_stated
    milestones:
      - {date: 2030-12-31, op: ">=", target: 100, source: "100%",
         inferred: {date: "Văn bản không nêu năm; chọn cuối kỳ kế hoạch"}}
reporting:
  - {id: report_06_10, name: Báo cáo kết quả trước ngày 10/6, office: phong_vhxh, period: year,
     due: {month_day: "06-10"}, source: "§VI"}
  - {id: report_11_20, name: Báo cáo kết quả trước ngày 20/11, office: phong_vhxh, period: year,
     due: {month_day: "11-20"}, source: "§VI"}
)";

class PlanKinds : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog::CatalogLoad load =
        catalog::LoadCatalog({{"catalog.yaml", kCatalogYaml}}, {{"plans/xa_thu.yaml", kPlanYaml}});
    ASSERT_TRUE(load.problems.empty()) << load.problems.front().ToString();
    catalog_ = load.catalog;
  }

  const catalog::Target& TargetOf(const std::string& code) const {
    for (const catalog::Target& t : catalog_->plans.front().targets) {
      if (t.indicator == code) return t;
    }
    throw std::logic_error("no target " + code);
  }

  // `code` assessed at noon of `now` with values describing the end of each given day.
  IndicatorAssessment AssessAt(const std::string& code,
                               const std::vector<std::pair<CivilDate, double>>& values,
                               CivilDate now) const {
    std::vector<Reading> readings;
    for (const auto& [date, value] : values) readings.push_back({EndOfDay(date, kZone), value, 0});
    const TrajectoryInputs inputs{catalog_->FindIndicator(code), &TargetOf(code), kZone, 0};
    return Assess(inputs, readings, StartOfDay(now, kZone) + 12 * 3'600'000);
  }

  std::shared_ptr<const catalog::Catalog> catalog_;
};

TEST_F(PlanKinds, ApproximateTargetIsMetWithinItsBand) {
  const IndicatorAssessment inside =
      AssessAt("operating_cost", {{{2026, 12, 31}, 14}, {{2027, 12, 31}, 15.8}}, {2028, 1, 10});
  EXPECT_EQ(inside.status, IndicatorStatus::kAchieved);
  ASSERT_TRUE(inside.target && inside.target->band);
  EXPECT_EQ(*inside.target->band, 1);
  EXPECT_EQ(inside.target->from_year, 2025);  // "giai đoạn 2025 - 2027"

  const IndicatorAssessment below =
      AssessAt("operating_cost", {{{2026, 12, 31}, 14}, {{2027, 12, 31}, 13.9}}, {2028, 1, 10});
  EXPECT_EQ(below.status, IndicatorStatus::kOverdue);
  const IndicatorAssessment above =
      AssessAt("operating_cost", {{{2026, 12, 31}, 14}, {{2027, 12, 31}, 16.5}}, {2028, 1, 10});
  EXPECT_EQ(above.status, IndicatorStatus::kOverdue);

  // Overspending before the deadline is off the path, not on track.
  const IndicatorAssessment overshoot =
      AssessAt("operating_cost", {{{2026, 6, 30}, 14}, {{2026, 12, 31}, 22}}, {2027, 1, 5});
  EXPECT_NE(overshoot.status, IndicatorStatus::kOnTrack);
  EXPECT_NE(overshoot.status, IndicatorStatus::kAchieved);
}

TEST_F(PlanKinds, ApproximateTargetWithoutBandGetsTheDocumentedDefault) {
  const std::string plan =
      std::string(kPlanYaml).replace(std::string(kPlanYaml).find(", band: 1"), 9, "");
  catalog::CatalogLoad load =
      catalog::LoadCatalog({{"catalog.yaml", kCatalogYaml}}, {{"plans/xa_thu.yaml", plan}});
  ASSERT_TRUE(load.problems.empty());
  const catalog::Milestone& m = load.catalog->plans.front().targets.front().milestones.front();
  ASSERT_TRUE(m.band.has_value());
  EXPECT_DOUBLE_EQ(*m.band, 15 * catalog::kDefaultApproximateBandPct / 100);
  EXPECT_EQ(m.op, catalog::Comparison::kEqual);
}

TEST_F(PlanKinds, YearlyFloorIsJudgedOnEachYearsOwnValue) {
  // 2.0% in 2026 misses "ít nhất 3% hằng năm" at the end of 2026, not only in 2030.
  const IndicatorAssessment missed = AssessAt("budget_share", {{{2026, 12, 31}, 2}}, {2027, 1, 15});
  EXPECT_EQ(missed.status, IndicatorStatus::kOverdue);
  ASSERT_TRUE(missed.target.has_value());
  EXPECT_EQ(missed.target->date, (CivilDate{2026, 12, 31}));
  EXPECT_EQ(missed.target->target, 3);

  // Below the floor during the year: behind, never on track by a line from the first reading.
  const IndicatorAssessment behind = AssessAt("budget_share", {{{2026, 6, 30}, 1}}, {2026, 7, 15});
  EXPECT_NE(behind.status, IndicatorStatus::kOnTrack);
  EXPECT_NE(behind.status, IndicatorStatus::kInsufficientData);

  // 2027 meets it: the 2027 value is judged against 2027's floor.
  const IndicatorAssessment met =
      AssessAt("budget_share", {{{2026, 12, 31}, 2}, {{2027, 12, 31}, 3.2}}, {2028, 1, 15});
  EXPECT_EQ(met.status, IndicatorStatus::kAchieved);
  EXPECT_EQ(met.target->date, (CivilDate{2027, 12, 31}));
}

TEST_F(PlanKinds, PerYearCountStartsInThePhaseTheTextGives) {
  // No city-level initiative in 2026 is not overdue: the text asks for one from 2031.
  const IndicatorAssessment early =
      AssessAt("city_initiatives", {{{2026, 12, 31}, 0}}, {2027, 1, 15});
  EXPECT_NE(early.status, IndicatorStatus::kOverdue);
  ASSERT_TRUE(early.target.has_value());
  EXPECT_EQ(early.target->date, (CivilDate{2031, 12, 31}));
  EXPECT_EQ(AssessAt("city_initiatives", {}, {2027, 1, 15}).target->date,
            (CivilDate{2031, 12, 31}));

  const IndicatorAssessment missed =
      AssessAt("city_initiatives", {{{2031, 12, 31}, 0}}, {2032, 1, 15});
  EXPECT_EQ(missed.status, IndicatorStatus::kOverdue);
}

TEST_F(PlanKinds, TwiceYearlyReportingDecidesStaleness) {
  const catalog::Plan* plan = &catalog_->plans.front();
  const ValueAllowances allowances(*catalog_, std::span(&plan, 1));
  const catalog::Indicator& indicator = *catalog_->FindIndicator("records_digitized");
  TrajectoryInputs inputs{&indicator, &TargetOf("records_digitized"), kZone,
                          allowances.DaysFor(indicator)};
  inputs.stale_after = [&](TimestampMs next_value_at) {
    return allowances.StaleAfter(indicator, kZone, next_value_at);
  };
  // October's value sent with the report due before 20/11, May's with the one due before 10/6.
  const std::vector<Reading> readings = {
      {EndOfDay({2025, 10, 31}, kZone), 30, StartOfDay({2025, 11, 15}, kZone)},
      {EndOfDay({2026, 5, 31}, kZone), 40, StartOfDay({2026, 6, 5}, kZone)}};
  // A monthly indicator would be stale from August by its own period; the plan asks for the next
  // value only before 20/11.
  const IndicatorAssessment september = Assess(inputs, readings, StartOfDay({2026, 9, 15}, kZone));
  EXPECT_NE(september.status, IndicatorStatus::kStale);
  EXPECT_EQ(*september.stale_at, EndOfDay({2026, 11, 20}, kZone));
  const IndicatorAssessment december = Assess(inputs, readings, StartOfDay({2026, 12, 1}, kZone));
  EXPECT_EQ(december.status, IndicatorStatus::kStale);
}

TEST_F(PlanKinds, AnInferredMilestoneDateTravelsWithItsCheckpoint) {
  const IndicatorAssessment got =
      AssessAt("records_digitized", {{{2026, 5, 31}, 40}}, {2026, 6, 2});
  ASSERT_TRUE(got.target.has_value());
  EXPECT_EQ(got.target->date_inferred, "Văn bản không nêu năm; chọn cuối kỳ kế hoạch");
  EXPECT_FALSE(AssessAt("budget_share", {}, {2027, 1, 2}).target->date_inferred.has_value());
}

}  // namespace
}  // namespace chiso::rules
