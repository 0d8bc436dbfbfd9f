#include "api/evaluation_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "catalog/testing/test_catalog.h"

namespace chiso::api {
namespace {

using namespace chiso::rules;

using ::testing::HasSubstr;
using ::testing::Not;

const TimeZone kZone;  // UTC+7

TEST(EvaluationMetrics, ExportsTheLatestEvaluation) {
  MemoryReadingSource source;
  source.AddIndicatorReadings(
      "gia_loc", "paper_dossier_share",
      {{EndOfDay({2025, 10, 31}, kZone), 38, StartOfDay({2025, 11, 3}, kZone)}});
  MemoryTaskProgressLog log;
  FakeClock clock(StartOfDay({2025, 11, 6}, kZone));
  Evaluator evaluator(&source, &log, &clock);
  EvaluationMetrics metrics(&evaluator);
  EXPECT_TRUE(metrics.Collect().empty());

  evaluator.Run(catalog::testing::GiaLocTestCatalog());
  const std::string text = prometheus::TextSerializer().Serialize(metrics.Collect());
  const std::string paper = R"(indicator="paper_dossier_share",office="phong_vhxh",unit="gia_loc")";
  EXPECT_THAT(text, HasSubstr("chiso_indicator_value{" + paper + "} 38"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_indicator_target{indicator="paper_dossier_share",milestone="2025-12-31",office="phong_vhxh",unit="gia_loc"} 30)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_indicator_status{indicator="paper_dossier_share",office="phong_vhxh",unit="gia_loc",status="at_risk"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_indicator_status{indicator="paper_dossier_share",office="phong_vhxh",unit="gia_loc",status="on_track"} 0)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_indicator_status{indicator="dvc_online_dossier_rate",office="trung_tam_phvhc",unit="gia_loc",status="no_data"} 1)"));
  // No reading, no value: left out rather than NaN.
  EXPECT_THAT(text, Not(HasSubstr(R"(chiso_indicator_value{indicator="dvc_online_dossier_rate")")));
  EXPECT_THAT(
      text,
      HasSubstr(R"(chiso_report_on_time{office="phong_vhxh",period="2025-10",unit="gia_loc"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_report_expected{office="trung_tam_phvhc",period="2025-09",unit="gia_loc"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_report_received{office="trung_tam_phvhc",period="2025-09",unit="gia_loc"} 0)"));
  EXPECT_THAT(text,
              HasSubstr(R"(chiso_task_overdue{office="phong_vhxh",task="t1",unit="gia_loc"} 1)"));
  EXPECT_THAT(text, HasSubstr("# TYPE chiso_task_deadline_timestamp_seconds gauge"));
  EXPECT_THAT(text, HasSubstr("chiso_rule_evaluation_timestamp_seconds"));
}

TEST(AlertMetrics, OneSeriesPerPendingOrFiringAlert) {
  MemoryReadingSource source;
  source.AddIndicatorReadings(
      "gia_loc", "paper_dossier_share",
      {{EndOfDay({2025, 10, 31}, kZone), 38, StartOfDay({2025, 11, 3}, kZone)}});
  const Evaluation evaluation =
      Evaluate(catalog::testing::GiaLocTestCatalog(), source, {}, StartOfDay({2025, 11, 6}, kZone));
  MemoryAlertLog log;
  Alerting alerting(&log);
  AlertRule rule;
  rule.name = "ChiTieuCoNguyCoCham";
  rule.statuses = {IndicatorStatus::kAtRisk};
  rule.summary = "s";
  alerting.SetRules({rule});
  ASSERT_TRUE(alerting.Update(evaluation, 0).ok());
  const std::string text =
      prometheus::TextSerializer().Serialize(AlertMetrics(&alerting).Collect());
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_alerts{alertname="ChiTieuCoNguyCoCham",alertstate="firing",indicator="paper_dossier_share",office="phong_vhxh",severity="warning",unit="gia_loc"} 1)"));
}

}  // namespace
}  // namespace chiso::api
