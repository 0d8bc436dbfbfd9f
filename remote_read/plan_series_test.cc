#include "remote_read/plan_series.h"

#include <gtest/gtest.h>

#include "catalog/testing/test_catalog.h"
#include "store/sample.h"

namespace chiso::remote_read {
namespace {

const TimeZone kVietnam;  // Asia/Ho_Chi_Minh, UTC+7

TimestampMs EndOf(int year, int month, int day) {
  return EndOfDay(CivilDate{year, month, day}, kVietnam);
}

// Gia Lộc's test plan (catalog/testing/test_catalog.h): paper_dossier_share from 60 at
// 2024-12-31 to 30 by 2025-12-31 (monthly); public_initiatives_recognized, 2 per year in 2025
// (quarterly, no baseline); dvc_online_dossier_rate, 70 by 2025-12-31 (no baseline).
class PlanSeriesTest : public ::testing::Test {
 protected:
  Result<std::vector<ReadSeries>> Plan(std::vector<LabelMatcher> matchers, TimestampMs from,
                                       TimestampMs to) {
    return PlanSeries(*catalog_, matchers, from, to,
                      [this](std::string_view unit,
                             std::string_view indicator) -> Result<std::optional<rules::Reading>> {
                        lookups_.push_back(std::string(unit) + "/" + std::string(indicator));
                        using Found = std::optional<rules::Reading>;
                        if (indicator != "public_initiatives_recognized") return Found();
                        return Found(rules::Reading(EndOf(2025, 3, 31), 1, EndOf(2025, 4, 2)));
                      });
  }

  std::shared_ptr<const catalog::Catalog> catalog_ = catalog::testing::GiaLocTestCatalog();
  std::vector<std::string> lookups_;
};

TEST_F(PlanSeriesTest, ExpectedPathHasAPointAtEveryMonthEndAndTheMilestone) {
  auto series = Plan({LabelMatcher::Equal("__name__", "chiso_plan_expected"),
                      LabelMatcher::Equal("indicator", "paper_dossier_share")},
                     kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->size(), 1u);
  const ReadSeries& path = (*series)[0];
  EXPECT_EQ(LabelsToString(path.labels),
            "chiso_plan_expected{indicator=\"paper_dossier_share\",office=\"phong_vhxh\","
            "store=\"chiso\",unit=\"gia_loc\"}");
  ASSERT_EQ(path.points.size(), 13u) << "the baseline, then every month end of 2025";
  EXPECT_EQ(path.points.front(), (Point{EndOf(2024, 12, 31), 60}));
  EXPECT_EQ(path.points[6].timestamp, EndOf(2025, 6, 30));
  EXPECT_NEAR(path.points[6].value, 60 - 30.0 * 181 / 365, 1e-9);
  EXPECT_EQ(path.points.back(), (Point{EndOf(2025, 12, 31), 30}));
  EXPECT_TRUE(lookups_.empty()) << "a target with a baseline reads no reading";
}

TEST_F(PlanSeriesTest, TargetLeadsFromThePathStartToItsMilestone) {
  auto series = Plan({LabelMatcher::Equal("__name__", "chiso_plan_target"),
                      LabelMatcher::Equal("milestone", "2025-12-31"),
                      LabelMatcher::Equal("indicator", "paper_dossier_share")},
                     EndOf(2025, 4, 1), EndOf(2025, 6, 30));
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ(LabelValue((*series)[0].labels, "milestone"), "2025-12-31");
  EXPECT_EQ((*series)[0].points,
            (std::vector<Point>{
                {EndOf(2025, 4, 30), 30}, {EndOf(2025, 5, 31), 30}, {EndOf(2025, 6, 30), 30}}))
      << "only the month ends within the query";
  auto after = Plan({LabelMatcher::Equal("__name__", "chiso_plan_target")}, EndOf(2026, 1, 1),
                    EndOf(2027, 1, 1));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty()) << "the plan series end at the last milestone";
}

TEST_F(PlanSeriesTest, PerYearCountsRestartEachYearAndStartInTheYearOfTheFirstReading) {
  auto series = Plan({LabelMatcher::Equal("indicator", "public_initiatives_recognized")},
                     kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ(lookups_, (std::vector<std::string>{"gia_loc/public_initiatives_recognized"}));
  const ReadSeries& path = (*series)[0];
  ASSERT_EQ(LabelValue(path.labels, "__name__"), "chiso_plan_expected");
  ASSERT_EQ(path.points.size(), 5u) << "1 January, then the end of each quarter";
  EXPECT_EQ(path.points[0], (Point{StartOfDay(CivilDate{2025, 1, 1}, kVietnam), 0}));
  EXPECT_EQ(path.points[2].timestamp, EndOf(2025, 6, 30));
  EXPECT_NEAR(path.points[2].value, 2 * (181 * 86'400'000.0 - 1) / (365 * 86'400'000.0 - 1), 1e-6);
  EXPECT_NEAR(path.points[4].value, 2, 1e-9);
  const ReadSeries& target = (*series)[1];
  EXPECT_EQ(LabelValue(target.labels, "milestone"), "2025-12-31");
  ASSERT_EQ(target.points.size(), 5u);
  EXPECT_EQ(target.points.back(), (Point{EndOf(2025, 12, 31), 2}));
}

TEST_F(PlanSeriesTest, NoBaselineAndNoReadingMeansNoSeries) {
  auto series = Plan({LabelMatcher::Equal("indicator", "dvc_online_dossier_rate")},
                     kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(series.ok());
  EXPECT_TRUE(series->empty());
  EXPECT_EQ(lookups_, (std::vector<std::string>{"gia_loc/dvc_online_dossier_rate"}));
}

TEST_F(PlanSeriesTest, MatchersThatSelectNoPlanSeriesReadNothing) {
  for (auto matchers : std::vector<std::vector<LabelMatcher>>{
           {LabelMatcher::Equal("__name__", "chiso_indicator_reading")},
           {LabelMatcher::Equal("unit", "kim_thanh")},
           {LabelMatcher::Equal("__name__", "chiso_plan_target"),
            LabelMatcher::Equal("milestone", "2030-12-31")}}) {
    auto series = Plan(matchers, kMinSampleTimestamp, kMaxSampleTimestamp);
    ASSERT_TRUE(series.ok());
    EXPECT_TRUE(series->empty()) << matchers[0].ToString();
  }
  EXPECT_EQ(lookups_.size(), 2u) << "only the targets without a baseline whose series may match";
}

}  // namespace
}  // namespace chiso::remote_read
