#include "api/evaluation_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "catalog/testing/test_catalog.h"

namespace chiso::api {
namespace {

using namespace chiso::rules;

using ::testing::HasSubstr;
using ::testing::Not;

const TimeZone kZone;  // UTC+7

std::string Render(const MetricsExposition& exposition, const ScrapeScope& scope = {}) {
  std::string text;
  ExpositionWriter writer(&text);
  exposition.Render(scope, &writer);
  return text;
}

// The Gia Lộc test catalog plus Đà Nẵng, whose commune Tây Giang has Gia Lộc's plan.
std::shared_ptr<const catalog::Catalog> TwoProvinces() {
  auto catalog = std::make_shared<catalog::Catalog>(*catalog::testing::GiaLocTestCatalog());
  catalog->units.push_back({"da_nang", "Đà Nẵng", catalog::Unit::Level::kProvince, "", kZone, {}});
  catalog->units.push_back(
      {"tay_giang", "Tây Giang", catalog::Unit::Level::kCommune, "da_nang", kZone, {}});
  catalog::Plan plan = catalog->plans.front();
  plan.unit = "tay_giang";
  catalog->plans.push_back(plan);
  catalog->BuildIndex();
  return catalog;
}

class EvaluationMetricsTest : public ::testing::Test {
 protected:
  EvaluationMetricsTest() {
    for (const char* unit : {"gia_loc", "tay_giang"}) {
      source_.AddIndicatorReadings(
          unit, "paper_dossier_share",
          {{EndOfDay({2025, 10, 31}, kZone), 38, StartOfDay({2025, 11, 3}, kZone)}});
    }
  }

  MemoryReadingSource source_;
  MemoryTaskProgressLog log_;
  FakeClock clock_{StartOfDay({2025, 11, 6}, kZone)};
  Evaluator evaluator_{&source_, &log_, &clock_};
  EvaluationMetrics metrics_{&evaluator_};
};

TEST_F(EvaluationMetricsTest, ExportsTheLatestEvaluation) {
  EXPECT_EQ(Render(metrics_), "") << "nothing before the first evaluation";

  evaluator_.Run(catalog::testing::GiaLocTestCatalog());
  const std::string text = Render(metrics_);
  const std::string paper =
      R"(indicator="paper_dossier_share",office="phong_vhxh",province="hai_phong",unit="gia_loc")";
  EXPECT_THAT(text, HasSubstr("chiso_indicator_value{" + paper + "} 38\n"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_indicator_target{indicator="paper_dossier_share",milestone="2025-12-31",office="phong_vhxh",province="hai_phong",unit="gia_loc"} 30)"));
  EXPECT_THAT(text, Not(HasSubstr(R"(milestone="2024-12-31")")))
      << "only the milestone the value is judged against; the plan path is read remotely";
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_indicator_status{indicator="paper_dossier_share",office="phong_vhxh",province="hai_phong",status="at_risk",unit="gia_loc"} 2)"));
  EXPECT_THAT(text, Not(HasSubstr(R"(status="on_track")"))) << "one series per target";
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_indicator_status{indicator="dvc_online_dossier_rate",office="trung_tam_phvhc",province="hai_phong",status="no_data",unit="gia_loc"} 6)"));
  // No reading, no value: left out rather than NaN.
  EXPECT_THAT(text, Not(HasSubstr(R"(chiso_indicator_value{indicator="dvc_online_dossier_rate")")));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_report_on_time{office="phong_vhxh",period="2025-10",province="hai_phong",unit="gia_loc"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_report_expected{office="trung_tam_phvhc",period="2025-09",province="hai_phong",unit="gia_loc"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_report_received{office="trung_tam_phvhc",period="2025-09",province="hai_phong",unit="gia_loc"} 0)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(chiso_task_overdue{office="phong_vhxh",province="hai_phong",task="t1",unit="gia_loc"} 1)"));
  EXPECT_THAT(text, HasSubstr("# TYPE chiso_task_deadline_timestamp_seconds gauge\n"));
  EXPECT_THAT(text, HasSubstr("\nchiso_rule_evaluation_timestamp_seconds 1762362000\n"));
}

TEST(IndicatorStatusCode, FollowsTheDocumentedTable) {
  const std::pair<IndicatorStatus, int> table[] = {
      {IndicatorStatus::kAchieved, 0}, {IndicatorStatus::kOnTrack, 1},
      {IndicatorStatus::kAtRisk, 2},   {IndicatorStatus::kOffTrack, 3},
      {IndicatorStatus::kOverdue, 4},  {IndicatorStatus::kStale, 5},
      {IndicatorStatus::kNoData, 6},   {IndicatorStatus::kInsufficientData, 7}};
  ASSERT_EQ(std::size(table), kIndicatorStatuses.size()) << "every status has a code";
  for (const auto& [status, code] : table) {
    EXPECT_EQ(IndicatorStatusCode(status), code) << IndicatorStatusName(status);
  }
}

TEST_F(EvaluationMetricsTest, AProvinceScopeServesOnlyThatProvincesUnits) {
  auto catalog = TwoProvinces();
  evaluator_.Run(catalog);
  const std::string all = Render(metrics_, {"", false, catalog.get()});
  EXPECT_THAT(all, HasSubstr(R"(province="hai_phong",unit="gia_loc"} 38)"));
  EXPECT_THAT(all, HasSubstr(R"(province="da_nang",unit="tay_giang"} 38)"));

  const std::string da_nang = Render(metrics_, {"da_nang", false, catalog.get()});
  EXPECT_THAT(da_nang, HasSubstr(R"(province="da_nang",unit="tay_giang"} 38)"));
  std::set<std::string> families;
  std::size_t series = 0;
  for (std::size_t start = 0, end; start < da_nang.size(); start = end + 1) {
    end = da_nang.find('\n', start);
    const std::string line = da_nang.substr(start, end - start);
    if (line.starts_with("#")) continue;
    ++series;
    families.insert(line.substr(0, line.find('{')));
    EXPECT_THAT(line, HasSubstr(R"(,province="da_nang",)")) << "only Đà Nẵng's series";
  }
  EXPECT_EQ(series * 2, [&] {
    std::size_t lines = 0;
    for (std::size_t start = 0, end; start < all.size(); start = end + 1) {
      end = all.find('\n', start);
      if (all[start] != '#' && all.compare(start, 22, "chiso_rule_evaluation_") != 0) ++lines;
    }
    return lines;
  }()) << "the two communes have the same plan and readings";
  EXPECT_TRUE(families.contains("chiso_indicator_status"));
  EXPECT_TRUE(families.contains("chiso_report_expected"));
  EXPECT_TRUE(families.contains("chiso_task_overdue"));
  EXPECT_FALSE(families.contains("chiso_rule_evaluation_timestamp_seconds"))
      << "service series are not in a province's shard";

  const std::string service = Render(metrics_, {"", true, catalog.get()});
  EXPECT_THAT(service, Not(HasSubstr("chiso_indicator_")));
  EXPECT_THAT(service, HasSubstr("chiso_rule_evaluation_timestamp_seconds"));
}

TEST(AlertMetrics, OneSeriesPerPendingOrFiringAlertWithItsProvince) {
  MemoryReadingSource source;
  source.AddIndicatorReadings(
      "gia_loc", "paper_dossier_share",
      {{EndOfDay({2025, 10, 31}, kZone), 38, StartOfDay({2025, 11, 3}, kZone)}});
  const auto catalog = catalog::testing::GiaLocTestCatalog();
  const Evaluation evaluation = Evaluate(catalog, source, {}, StartOfDay({2025, 11, 6}, kZone));
  MemoryAlertLog log;
  Alerting alerting(&log);
  AlertRule rule;
  rule.name = "ChiTieuCoNguyCoCham";
  rule.statuses = {IndicatorStatus::kAtRisk};
  rule.summary = "s";
  alerting.SetRules({rule});
  ASSERT_TRUE(alerting.Update(evaluation, 0).ok());
  const AlertMetrics metrics(&alerting);
  const std::string firing =
      R"(chiso_alerts{alertname="ChiTieuCoNguyCoCham",alertstate="firing",indicator="paper_dossier_share",office="phong_vhxh",province="hai_phong",severity="warning",unit="gia_loc"} 1)";
  EXPECT_THAT(Render(metrics, {"", false, catalog.get()}), HasSubstr(firing));
  EXPECT_THAT(Render(metrics, {"hai_phong", false, catalog.get()}), HasSubstr(firing));
  EXPECT_EQ(Render(metrics, {"da_nang", false, catalog.get()}), "");
  EXPECT_EQ(Render(metrics, {"", true, catalog.get()}), "");
}

}  // namespace
}  // namespace chiso::api
