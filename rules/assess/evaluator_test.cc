#include "rules/assess/evaluator.h"

#include <gtest/gtest.h>

#include "catalog/testing/test_catalog.h"

namespace chiso::rules {
namespace {

const TimeZone kZone;  // UTC+7
constexpr TimestampMs kHour = 3'600'000;

TimestampMs Noon(CivilDate date) { return StartOfDay(date, kZone) + 12 * kHour; }
TimestampMs End(CivilDate date) { return EndOfDay(date, kZone); }

// Dossiers of one day, by channel.
void AddDossiers(MemoryReadingSource* source, CivilDate day, double online, double offline,
                 TimestampMs arrived_at) {
  for (const auto& [channel, count] : {std::pair{"online", online}, {"offline", offline}}) {
    source->Add(
        {{"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}, {"channel", channel}},
        {{Noon(day), count, arrived_at}});
  }
}

const IndicatorRow& RowOf(const Evaluation& evaluation, const std::string& indicator) {
  for (const IndicatorRow& row : evaluation.indicators) {
    if (row.indicator->code == indicator) return row;
  }
  ADD_FAILURE() << "no row for " << indicator;
  static const IndicatorRow kNone;
  return kNone;
}

class EvaluatorTest : public ::testing::Test {
 protected:
  std::shared_ptr<const catalog::Catalog> catalog_ = catalog::testing::GiaLocTestCatalog();
  MemoryReadingSource source_;
};

TEST_F(EvaluatorTest, AssessesEveryTargetIncludingDerivedIndicators) {
  // September and October: 60% then 65% of dossiers online (no baseline: starts at 60).
  AddDossiers(&source_, {2025, 9, 10}, 60, 40, Noon({2025, 10, 1}));
  AddDossiers(&source_, {2025, 10, 10}, 65, 35, Noon({2025, 11, 1}));
  source_.AddIndicatorReadings("gia_loc", "paper_dossier_share",
                               {{End({2025, 10, 31}), 38, Noon({2025, 11, 3})}});

  const Evaluation evaluation = Evaluate(catalog_, source_, {}, Noon({2025, 11, 6}));
  ASSERT_TRUE(evaluation.problems.empty());
  ASSERT_EQ(evaluation.indicators.size(), 3u);

  const IndicatorRow& dvc = RowOf(evaluation, "dvc_online_dossier_rate");
  EXPECT_EQ(dvc.office, "trung_tam_phvhc");
  ASSERT_TRUE(dvc.assessment.latest.has_value());
  EXPECT_DOUBLE_EQ(dvc.assessment.latest->value, 65);
  EXPECT_EQ(dvc.assessment.latest->at, End({2025, 10, 31}));
  // Expected at 31 Oct: 60 + 10 × 31/92 ≈ 63.4; 65 is ahead.
  EXPECT_EQ(dvc.assessment.status, IndicatorStatus::kOnTrack);

  // Paper share: expected at 31 Oct = 60 − 30 × 304/365 ≈ 35.0, band 1.5: 38 is behind, one
  // reading, no forecast.
  EXPECT_EQ(RowOf(evaluation, "paper_dossier_share").assessment.status, IndicatorStatus::kAtRisk);
  EXPECT_EQ(RowOf(evaluation, "public_initiatives_recognized").assessment.status,
            IndicatorStatus::kNoData);
}

TEST_F(EvaluatorTest, JudgesTheMostRecentlyDueReportOfEachRule) {
  // October's monthly report is due 5 November (grace 3); the narrative report 10 November.
  source_.AddIndicatorReadings("gia_loc", "paper_dossier_share",
                               {{End({2025, 10, 31}), 38, Noon({2025, 11, 7})}});
  const Evaluation at_nov_9 = Evaluate(catalog_, source_, {}, Noon({2025, 11, 9}));
  ASSERT_EQ(at_nov_9.reports.size(), 2u);
  EXPECT_EQ(at_nov_9.reports[0].assessment.rule->id, "monthly");
  EXPECT_EQ(at_nov_9.reports[0].assessment.period.ToString(), "2025-10");
  EXPECT_EQ(at_nov_9.reports[0].assessment.state, ReportState::kLate);
  // The narrative report for October is not due yet: the latest due one is September's, which
  // nothing marked as submitted.
  EXPECT_EQ(at_nov_9.reports[1].assessment.period.ToString(), "2025-09");
  EXPECT_EQ(at_nov_9.reports[1].assessment.state, ReportState::kMissing);

  source_.Add(
      {{"__name__", "chiso_report_submission"}, {"unit", "gia_loc"}, {"report", "narrative"}},
      {{End({2025, 10, 31}), 1, Noon({2025, 11, 10})}});
  const Evaluation at_nov_12 = Evaluate(catalog_, source_, {}, Noon({2025, 11, 12}));
  EXPECT_EQ(at_nov_12.reports[1].assessment.period.ToString(), "2025-10");
  EXPECT_EQ(at_nov_12.reports[1].assessment.state, ReportState::kOnTime);
}

TEST_F(EvaluatorTest, ReportsOverAPeriodRange) {
  source_.AddIndicatorReadings("gia_loc", "paper_dossier_share",
                               {{End({2025, 8, 31}), 45, Noon({2025, 9, 2})},
                                {End({2025, 10, 31}), 38, Noon({2025, 11, 20})}});
  // The province covers its commune Gia Lộc.
  const UnitPredicate hai_phong = [&](std::string_view unit) {
    return catalog_->WithinUnits(unit, {"hai_phong"});
  };
  auto rows = AssessReports(*catalog_, source_, hai_phong, {2025, 7, 1}, {2025, 10, 31},
                            Noon({2025, 12, 1}));
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> monthly;
  for (const ReportRow& row : *rows) {
    if (row.assessment.rule->id == "monthly") {
      monthly.push_back(row.assessment.period.ToString() + " " +
                        std::string(ReportStateName(row.assessment.state)));
    }
  }
  EXPECT_EQ(monthly, (std::vector<std::string>{"2025-07 missing", "2025-08 on_time",
                                               "2025-09 missing", "2025-10 late"}));
  const UnitPredicate kim_thanh = [](std::string_view unit) { return unit == "kim_thanh"; };
  auto none = AssessReports(*catalog_, source_, kim_thanh, {2025, 7, 1}, {2025, 10, 31},
                            Noon({2025, 12, 1}));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(EvaluatorTest, TasksUseRecordedProgress) {
  const Evaluation before = Evaluate(catalog_, source_, {}, Noon({2025, 11, 2}));
  ASSERT_EQ(before.tasks.size(), 1u);
  EXPECT_TRUE(before.tasks[0].assessment.overdue);

  const std::vector<TaskProgress> done = {
      {"gia_loc", "t1", "", TaskState::kDone, "", "t", Noon({2025, 11, 1})}};
  const Evaluation after = Evaluate(catalog_, source_, done, Noon({2025, 11, 2}));
  EXPECT_FALSE(after.tasks[0].assessment.overdue);
  EXPECT_EQ(after.tasks[0].assessment.state, TaskState::kDone);
}

class FailingLog final : public TaskProgressLog {
 public:
  Result<std::vector<TaskProgress>> Load() const override {
    return Status::Unavailable("store busy");
  }
  Status Record(const TaskProgress&) override { return Status::Unavailable("store busy"); }
};

TEST_F(EvaluatorTest, PublishesTheLatestEvaluation) {
  FakeClock clock(Noon({2025, 11, 2}));
  FailingLog log;
  Evaluator evaluator(&source_, &log, &clock);
  EXPECT_EQ(evaluator.Latest(), nullptr);
  auto first = evaluator.Run(catalog_);
  EXPECT_EQ(evaluator.Latest(), first);
  EXPECT_EQ(first->evaluated_at, clock.Now());
  ASSERT_EQ(first->problems.size(), 1u);
  EXPECT_EQ(first->problems[0], "task progress: store busy");
  EXPECT_TRUE(first->tasks[0].assessment.overdue);
}

}  // namespace
}  // namespace chiso::rules
