#include "rules/assess/trajectory.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chiso::rules {
namespace {

const TimeZone kZone;  // Asia/Ho_Chi_Minh
constexpr TimestampMs kHour = 3'600'000;

// Noon local time on `date`.
TimestampMs Noon(CivilDate date) { return StartOfDay(date, kZone) + 12 * kHour; }

struct Dated {
  CivilDate date;  // the reading describes this day (stored at its last millisecond)
  double value;
};

std::vector<Reading> ReadingsOf(const std::vector<Dated>& dated) {
  std::vector<Reading> out;
  for (const Dated& d : dated) out.push_back({EndOfDay(d.date, kZone), d.value, 0});
  return out;
}

catalog::Indicator MakeIndicator(catalog::Direction direction, PeriodKind period, bool per_year) {
  catalog::Indicator indicator;
  indicator.code = "test_indicator";
  indicator.measure = per_year ? catalog::Measure::kCount : catalog::Measure::kPercent;
  indicator.direction = direction;
  indicator.period = period;
  indicator.accumulate =
      per_year ? catalog::Indicator::Accumulate::kYear : catalog::Indicator::Accumulate::kNone;
  return indicator;
}

// dvc-like: baseline 40 at 2024-12-31, ≥ 70 by 2025-12-31, ≥ 85 by 2030-12-31, monthly.
catalog::Target UpTarget() {
  catalog::Target target;
  target.indicator = "test_indicator";
  target.baseline = catalog::Baseline{{2024, 12, 31}, 40, ""};
  target.milestones = {{{2025, 12, 31}, catalog::Comparison::kGreaterEqual, 70, "", ""},
                       {{2030, 12, 31}, catalog::Comparison::kGreaterEqual, 85, "", ""}};
  return target;
}

// paper share: baseline 60 at 2024-12-31, ≤ 30 by 2025-12-31, monthly.
catalog::Target DownTarget() {
  catalog::Target target;
  target.indicator = "test_indicator";
  target.baseline = catalog::Baseline{{2024, 12, 31}, 60, ""};
  target.milestones = {{{2025, 12, 31}, catalog::Comparison::kLessEqual, 30, "", ""}};
  return target;
}

// "≥ 2 per year" through 2025, "≥ 5 per year" through 2030; no baseline; quarterly.
catalog::Target PerYearTarget() {
  catalog::Target target;
  target.indicator = "test_indicator";
  target.milestones = {{{2025, 12, 31}, catalog::Comparison::kGreaterEqual, 2, "", ""},
                       {{2030, 12, 31}, catalog::Comparison::kGreaterEqual, 5, "", ""}};
  return target;
}

// "no serious incident in 2026": ≤ 0 per year; quarterly.
catalog::Target IncidentTarget() {
  catalog::Target target;
  target.indicator = "test_indicator";
  target.milestones = {{{2026, 12, 31}, catalog::Comparison::kLessEqual, 0, "", ""}};
  return target;
}

enum class Shape { kUp, kDown, kPerYear, kIncidents };

struct StatusCase {
  std::string name;
  Shape shape;
  std::vector<Dated> readings;
  CivilDate now;
  IndicatorStatus want;
};

// gtest prints a parameter (`# GetParam() = …` in ctest listings) as the status it should get:
// the test name already carries the case's (long) name.
void PrintTo(const StatusCase& c, std::ostream* os) {
  *os << "want " << IndicatorStatusName(c.want);
}

IndicatorAssessment AssessCase(Shape shape, const std::vector<Dated>& dated, CivilDate now) {
  static const catalog::Indicator kUp =
      MakeIndicator(catalog::Direction::kUp, PeriodKind::kMonth, false);
  static const catalog::Indicator kDown =
      MakeIndicator(catalog::Direction::kDown, PeriodKind::kMonth, false);
  static const catalog::Indicator kCount =
      MakeIndicator(catalog::Direction::kUp, PeriodKind::kQuarter, true);
  static const catalog::Indicator kIncidents =
      MakeIndicator(catalog::Direction::kDown, PeriodKind::kQuarter, true);
  static const catalog::Target kUpTarget = UpTarget();
  static const catalog::Target kDownTarget = DownTarget();
  static const catalog::Target kPerYear = PerYearTarget();
  static const catalog::Target kIncidentTarget = IncidentTarget();
  TrajectoryInputs inputs;
  switch (shape) {
    case Shape::kUp:
      inputs = {&kUp, &kUpTarget, kZone, 5};
      break;
    case Shape::kDown:
      inputs = {&kDown, &kDownTarget, kZone, 5};
      break;
    case Shape::kPerYear:
      inputs = {&kCount, &kPerYear, kZone, 7};
      break;
    case Shape::kIncidents:
      inputs = {&kIncidents, &kIncidentTarget, kZone, 7};
      break;
  }
  const std::vector<Reading> readings = ReadingsOf(dated);
  return Assess(inputs, readings, Noon(now));
}

class StatusTable : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusTable, GivesTheStatus) {
  const StatusCase& c = GetParam();
  const IndicatorAssessment got = AssessCase(c.shape, c.readings, c.now);
  EXPECT_EQ(IndicatorStatusName(got.status), IndicatorStatusName(c.want));
}

// Up: expected(2025-06-30) = 40 + 30 × 181/365 ≈ 54.9; band 5% × 30 = 1.5.
// Down: expected(2025-06-30) ≈ 60 − 30 × 181/365 ≈ 45.1; band 1.5.
// Per-year: expected(2025-06-30) ≈ 2 × 0.496 ≈ 0.99; band 0.1 (2026: 5 per year, band 0.25).
INSTANTIATE_TEST_SUITE_P(
    Trajectory, StatusTable,
    ::testing::Values(
        StatusCase{"up_no_data", Shape::kUp, {}, {2025, 7, 2}, IndicatorStatus::kNoData},
        StatusCase{"up_achieved",
                   Shape::kUp,
                   {{{2025, 6, 30}, 72}},
                   {2025, 7, 2},
                   IndicatorStatus::kAchieved},
        StatusCase{"up_on_track_ahead",
                   Shape::kUp,
                   {{{2025, 6, 30}, 56}},
                   {2025, 7, 2},
                   IndicatorStatus::kOnTrack},
        StatusCase{"up_on_track_within_band",
                   Shape::kUp,
                   {{{2025, 6, 30}, 53.6}},
                   {2025, 7, 2},
                   IndicatorStatus::kOnTrack},
        StatusCase{"up_at_risk_forecast_meets",
                   Shape::kUp,
                   {{{2025, 4, 30}, 42}, {{2025, 5, 31}, 46}, {{2025, 6, 30}, 50}},
                   {2025, 7, 2},
                   IndicatorStatus::kAtRisk},
        StatusCase{"up_at_risk_without_forecast",
                   Shape::kUp,
                   {{{2025, 6, 30}, 45}},
                   {2025, 7, 2},
                   IndicatorStatus::kAtRisk},
        StatusCase{"up_off_track",
                   Shape::kUp,
                   {{{2025, 4, 30}, 48}, {{2025, 5, 31}, 49}, {{2025, 6, 30}, 50}},
                   {2025, 7, 2},
                   IndicatorStatus::kOffTrack},
        StatusCase{"up_overdue",
                   Shape::kUp,
                   {{{2025, 11, 30}, 64}, {{2025, 12, 31}, 65}},
                   {2026, 1, 20},
                   IndicatorStatus::kOverdue},
        StatusCase{"up_overdue_cleared_when_met_late",
                   Shape::kUp,
                   {{{2025, 12, 31}, 65}, {{2026, 1, 31}, 71}},
                   {2026, 2, 3},
                   IndicatorStatus::kOnTrack},
        StatusCase{"up_milestone_not_judged_before_its_value_is_due",
                   Shape::kUp,
                   {{{2025, 11, 30}, 67.5}},
                   {2026, 1, 3},
                   IndicatorStatus::kOnTrack},
        StatusCase{"up_stale_after_next_period_and_allowance",
                   Shape::kUp,
                   {{{2025, 6, 30}, 56}},
                   {2025, 8, 6},
                   IndicatorStatus::kStale},
        StatusCase{"up_not_stale_within_allowance",
                   Shape::kUp,
                   {{{2025, 6, 30}, 56}},
                   {2025, 8, 5},
                   IndicatorStatus::kOnTrack},
        StatusCase{"up_overdue_outranks_stale_when_the_milestone_passed_unmet",
                   Shape::kUp,
                   {{{2025, 11, 30}, 64}},
                   {2026, 3, 1},
                   IndicatorStatus::kOverdue},
        StatusCase{"up_stale_when_the_passed_milestone_was_met",
                   Shape::kUp,
                   {{{2025, 12, 31}, 72}},
                   {2026, 3, 15},
                   IndicatorStatus::kStale},
        StatusCase{"up_every_milestone_met",
                   Shape::kUp,
                   {{{2030, 12, 31}, 90}},
                   {2031, 1, 20},
                   IndicatorStatus::kAchieved},

        StatusCase{"down_no_data", Shape::kDown, {}, {2025, 7, 2}, IndicatorStatus::kNoData},
        StatusCase{"down_achieved",
                   Shape::kDown,
                   {{{2025, 6, 30}, 29}},
                   {2025, 7, 2},
                   IndicatorStatus::kAchieved},
        StatusCase{"down_on_track",
                   Shape::kDown,
                   {{{2025, 6, 30}, 46.5}},
                   {2025, 7, 2},
                   IndicatorStatus::kOnTrack},
        StatusCase{"down_at_risk",
                   Shape::kDown,
                   {{{2025, 4, 30}, 58}, {{2025, 5, 31}, 54}, {{2025, 6, 30}, 50}},
                   {2025, 7, 2},
                   IndicatorStatus::kAtRisk},
        StatusCase{"down_off_track",
                   Shape::kDown,
                   {{{2025, 4, 30}, 52}, {{2025, 5, 31}, 51}, {{2025, 6, 30}, 50}},
                   {2025, 7, 2},
                   IndicatorStatus::kOffTrack},
        StatusCase{"down_overdue",
                   Shape::kDown,
                   {{{2025, 12, 31}, 35}},
                   {2026, 1, 10},
                   IndicatorStatus::kOverdue},
        StatusCase{"down_stale",
                   Shape::kDown,
                   {{{2025, 6, 30}, 40}},
                   {2025, 9, 1},
                   IndicatorStatus::kStale},

        StatusCase{"per_year_no_data", Shape::kPerYear, {}, {2025, 7, 2}, IndicatorStatus::kNoData},
        StatusCase{"per_year_on_track",
                   Shape::kPerYear,
                   {{{2025, 6, 30}, 1}},
                   {2025, 7, 2},
                   IndicatorStatus::kOnTrack},
        StatusCase{"per_year_achieved",
                   Shape::kPerYear,
                   {{{2025, 6, 30}, 1}, {{2025, 9, 30}, 2}},
                   {2025, 10, 2},
                   IndicatorStatus::kAchieved},
        StatusCase{"per_year_off_track",
                   Shape::kPerYear,
                   {{{2025, 3, 31}, 0}, {{2025, 6, 30}, 0}},
                   {2025, 7, 2},
                   IndicatorStatus::kOffTrack},
        StatusCase{"per_year_overdue_when_the_year_closed_short",
                   Shape::kPerYear,
                   {{{2025, 9, 30}, 1}, {{2025, 12, 31}, 1}},
                   {2026, 1, 10},
                   IndicatorStatus::kOverdue},
        StatusCase{"per_year_new_year_judged_afresh",
                   Shape::kPerYear,
                   {{{2025, 12, 31}, 1}, {{2026, 3, 31}, 1}},
                   {2026, 4, 2},
                   IndicatorStatus::kOnTrack},
        StatusCase{"per_year_last_year_met_awaiting_this_year",
                   Shape::kPerYear,
                   {{{2025, 12, 31}, 3}},
                   {2026, 2, 1},
                   IndicatorStatus::kAchieved},
        StatusCase{"per_year_stale",
                   Shape::kPerYear,
                   {{{2025, 6, 30}, 1}},
                   {2025, 10, 10},
                   IndicatorStatus::kStale},
        StatusCase{"per_year_overdue_outranks_stale_after_the_year_closed_short",
                   Shape::kPerYear,
                   {{{2025, 9, 30}, 1}},
                   {2026, 2, 15},
                   IndicatorStatus::kOverdue},
        StatusCase{"down_overdue_outranks_stale",
                   Shape::kDown,
                   {{{2025, 10, 31}, 41}},
                   {2026, 2, 1},
                   IndicatorStatus::kOverdue},
        StatusCase{"per_year_down_none_yet",
                   Shape::kIncidents,
                   {{{2026, 3, 31}, 0}},
                   {2026, 4, 2},
                   IndicatorStatus::kAchieved},
        StatusCase{"per_year_down_one_incident_cannot_be_undone",
                   Shape::kIncidents,
                   {{{2026, 3, 31}, 1}},
                   {2026, 4, 2},
                   IndicatorStatus::kOffTrack},
        StatusCase{"per_year_down_overdue",
                   Shape::kIncidents,
                   {{{2026, 12, 31}, 1}},
                   {2027, 1, 5},
                   IndicatorStatus::kOverdue}),
    [](const ::testing::TestParamInfo<StatusCase>& info) { return info.param.name; });

TEST(Trajectory, ExpectedIsPiecewiseLinearThroughMilestones) {
  const catalog::Indicator indicator =
      MakeIndicator(catalog::Direction::kUp, PeriodKind::kMonth, false);
  const catalog::Target target = UpTarget();
  auto path = Trajectory::Build(indicator, target, kZone, {});
  ASSERT_TRUE(path.has_value());
  EXPECT_DOUBLE_EQ(path->ExpectedAt(EndOfDay({2024, 12, 31}, kZone)), 40);
  EXPECT_DOUBLE_EQ(path->ExpectedAt(EndOfDay({2025, 12, 31}, kZone)), 70);
  EXPECT_NEAR(path->ExpectedAt(EndOfDay({2025, 7, 2}, kZone)), 40 + 30.0 * 183 / 365, 1e-9);
  const double mid_second =
      path->ExpectedAt((EndOfDay({2025, 12, 31}, kZone) + EndOfDay({2030, 12, 31}, kZone)) / 2);
  EXPECT_NEAR(mid_second, 77.5, 1e-9);
  EXPECT_DOUBLE_EQ(path->ExpectedAt(EndOfDay({2035, 1, 1}, kZone)), 85);  // flat after the last
  EXPECT_DOUBLE_EQ(path->ExpectedAt(EndOfDay({2020, 1, 1}, kZone)), 40);  // flat before the start
}

TEST(Trajectory, WithoutBaselineStartsAtTheFirstReading) {
  catalog::Target target = UpTarget();
  target.baseline.reset();
  const catalog::Indicator indicator =
      MakeIndicator(catalog::Direction::kUp, PeriodKind::kMonth, false);
  EXPECT_FALSE(Trajectory::Build(indicator, target, kZone, {}).has_value());

  const std::vector<Reading> readings = ReadingsOf({{{2025, 3, 31}, 30}, {{2025, 6, 30}, 31}});
  auto path = Trajectory::Build(indicator, target, kZone, readings);
  ASSERT_TRUE(path.has_value());
  EXPECT_DOUBLE_EQ(path->ExpectedAt(readings[0].at), 30);
  EXPECT_DOUBLE_EQ(path->ExpectedAt(EndOfDay({2025, 12, 31}, kZone)), 70);

  const TrajectoryInputs inputs{&indicator, &target, kZone, 5};
  // One reading is its own path's start: no pace yet, only the rate the milestone requires.
  const IndicatorAssessment first =
      Assess(inputs, std::span(readings).first(1), Noon({2025, 4, 2}));
  EXPECT_EQ(first.status, IndicatorStatus::kInsufficientData);
  EXPECT_EQ(IndicatorStatusLabel(first.status), "Chưa đủ số liệu để đánh giá");
  EXPECT_FALSE(first.pace.has_value());
  ASSERT_TRUE(first.required_per_year.has_value());
  EXPECT_NEAR(*first.required_per_year, 40.0 / (275.0 / 365.25), 0.01);  // 30 -> 70 in 275 days
  const IndicatorAssessment second = Assess(inputs, readings, Noon({2025, 7, 2}));
  EXPECT_EQ(second.status, IndicatorStatus::kOffTrack);
  EXPECT_NEAR(*second.expected, 30 + 40.0 * 91 / 275, 0.01);
}

TEST(Trajectory, OneReadingThatMeetsTheTargetOrHasABaselineIsJudged) {
  catalog::Target target = UpTarget();
  target.baseline.reset();
  const catalog::Indicator indicator =
      MakeIndicator(catalog::Direction::kUp, PeriodKind::kMonth, false);
  const TrajectoryInputs inputs{&indicator, &target, kZone, 5};
  const std::vector<Reading> met = ReadingsOf({{{2025, 3, 31}, 72}});
  EXPECT_EQ(Assess(inputs, met, Noon({2025, 4, 2})).status, IndicatorStatus::kAchieved);

  catalog::Target stated = UpTarget();  // a stated baseline gives one reading a pace
  const TrajectoryInputs with_baseline{&indicator, &stated, kZone, 5};
  const std::vector<Reading> one = ReadingsOf({{{2025, 3, 31}, 30}});
  EXPECT_NE(Assess(with_baseline, one, Noon({2025, 4, 2})).status,
            IndicatorStatus::kInsufficientData);
}

TEST(Trajectory, PerYearCountGrowsThroughEachYear) {
  const catalog::Indicator indicator =
      MakeIndicator(catalog::Direction::kUp, PeriodKind::kQuarter, true);
  const catalog::Target target = PerYearTarget();
  const std::vector<Reading> readings = ReadingsOf({{{2025, 3, 31}, 0}});
  auto path = Trajectory::Build(indicator, target, kZone, readings);
  ASSERT_TRUE(path.has_value());
  EXPECT_DOUBLE_EQ(path->ExpectedAt(StartOfDay({2025, 1, 1}, kZone)), 0);
  EXPECT_NEAR(path->ExpectedAt(StartOfDay({2025, 7, 2}, kZone)), 2.0 * 182 / 365, 1e-9);
  EXPECT_NEAR(path->ExpectedAt(EndOfDay({2025, 12, 31}, kZone)), 2, 1e-6);
  EXPECT_DOUBLE_EQ(path->ExpectedAt(StartOfDay({2026, 1, 1}, kZone)), 0);  // restarts
  EXPECT_NEAR(path->ExpectedAt(StartOfDay({2027, 7, 2}, kZone)), 5.0 * 182 / 365, 1e-9);
  EXPECT_NEAR(path->ExpectedAt(StartOfDay({2033, 7, 2}, kZone)), 5.0 * 182 / 365, 1e-9);

  const std::vector<Checkpoint> checkpoints = path->Checkpoints(2027);
  ASSERT_EQ(checkpoints.size(), 3u);
  EXPECT_EQ(checkpoints[0].date, (CivilDate{2025, 12, 31}));
  EXPECT_EQ(checkpoints[0].target, 2);
  EXPECT_EQ(checkpoints[1].target, 5);
  EXPECT_EQ(checkpoints[2].segment_start, StartOfDay({2027, 1, 1}, kZone));
}

TEST(Trajectory, ReportsExpectedTargetForecastAndPace) {
  const IndicatorAssessment got = AssessCase(
      Shape::kUp, {{{2025, 4, 30}, 42}, {{2025, 5, 31}, 46}, {{2025, 6, 30}, 50}}, {2025, 7, 2});
  ASSERT_TRUE(got.latest && got.expected && got.target && got.forecast && got.pace);
  EXPECT_EQ(got.latest->value, 50);
  EXPECT_NEAR(*got.expected, 40 + 30.0 * 181 / 365, 0.01);
  EXPECT_EQ(got.target->date, (CivilDate{2025, 12, 31}));
  EXPECT_EQ(got.target->target, 70);
  EXPECT_NEAR(*got.forecast, 74, 0.5);  // about 4 a month for six more months
  // Open SDG ratio: (50 − 40) / 181 days ÷ (70 − 40) / 365 days.
  EXPECT_NEAR(*got.pace, (10.0 / 181) / (30.0 / 365), 0.01);
  EXPECT_EQ(*got.stale_at, EndOfDay({2025, 7, 31}, kZone) + 5 * 86'400'000);
}

TEST(Trajectory, OverdueIsJudgedAgainstTheMissedMilestone) {
  const IndicatorAssessment got = AssessCase(Shape::kUp, {{{2025, 12, 31}, 65}}, {2026, 1, 20});
  ASSERT_TRUE(got.target.has_value());
  EXPECT_EQ(got.target->date, (CivilDate{2025, 12, 31}));
  EXPECT_FALSE(got.forecast.has_value());
}

TEST(Trajectory, NoDataStillNamesTheNextTarget) {
  const IndicatorAssessment got = AssessCase(Shape::kPerYear, {}, {2027, 3, 1});
  ASSERT_TRUE(got.target.has_value());
  EXPECT_EQ(got.target->date, (CivilDate{2027, 12, 31}));
  EXPECT_EQ(got.target->target, 5);
  EXPECT_FALSE(got.latest.has_value());
}

TEST(Trajectory, ForecastStaysWithinTheMeasure) {
  const IndicatorAssessment got = AssessCase(
      Shape::kUp, {{{2025, 4, 30}, 60}, {{2025, 5, 31}, 68}, {{2025, 6, 30}, 69.9}}, {2025, 7, 2});
  ASSERT_TRUE(got.forecast.has_value());
  EXPECT_EQ(*got.forecast, 100);
}

TEST(Trajectory, NoDataPerYearNamesThisYearsTarget) {
  catalog::Target target = PerYearTarget();
  target.milestones.erase(target.milestones.begin());  // only "≥ 5 a year by 2030"
  const catalog::Indicator indicator =
      MakeIndicator(catalog::Direction::kUp, PeriodKind::kQuarter, true);
  const TrajectoryInputs inputs{&indicator, &target, kZone, 7};
  const IndicatorAssessment got = Assess(inputs, {}, Noon({2026, 3, 1}));
  ASSERT_TRUE(got.target.has_value());
  EXPECT_EQ(got.target->date, (CivilDate{2026, 12, 31}));
  EXPECT_EQ(got.target->target, 5);
}

TEST(Trajectory, StatusNamesRoundTripAndHaveVietnameseLabels) {
  for (IndicatorStatus status : kIndicatorStatuses) {
    EXPECT_EQ(ParseIndicatorStatus(IndicatorStatusName(status)), status);
    EXPECT_FALSE(IndicatorStatusLabel(status).empty());
  }
  EXPECT_EQ(IndicatorStatusLabel(IndicatorStatus::kOffTrack), "Chậm tiến độ");
  EXPECT_FALSE(ParseIndicatorStatus("late").has_value());
}

TEST(LeastSquares, FitsALineAndNeedsTwoInstants) {
  const std::vector<Reading> line = {{0, 1, 0}, {86'400'000, 3, 0}, {2 * 86'400'000, 5, 0}};
  EXPECT_NEAR(*LeastSquaresAt(line, 10 * 86'400'000), 21, 1e-9);
  EXPECT_FALSE(LeastSquaresAt(std::span(line).first(1), 0).has_value());
  const std::vector<Reading> same_instant = {{5, 1, 0}, {5, 2, 0}};
  EXPECT_FALSE(LeastSquaresAt(same_instant, 10).has_value());
}

}  // namespace
}  // namespace chiso::rules
