#include "rules/alerting/alert_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "catalog/catalog_loader.h"
#include "catalog/testing/test_catalog.h"

namespace chiso::rules {
namespace {

using ::testing::HasSubstr;

std::string Problems(const AlertRuleLoad& load) {
  std::string out;
  for (const Diagnostic& d : load.problems) out += d.ToString() + "\n";
  return out;
}

TEST(AlertRules, LoadsEveryKindOfRule) {
  const char kRules[] = R"(groups:
  - name: g
    rules:
      - alert: OffTrack
        indicator_status: [off_track, overdue]
        offices: [phong_vhxh]
        for: 1h
        keep_firing_for: 7d
        severity: critical
        labels: {team: bcd}
        annotations:
          summary: "{{unit_name}}: {{indicator_name}}"
          description: "Giá trị {{value}}, kỳ vọng {{expected}}, mục tiêu {{target}}"
      - alert: Missing
        report_state: [missing]
        annotations: {summary: "{{report}} {{period}}", description: "{{due_date}}"}
      - alert: DueSoon
        task: {due_within_days: 14}
        annotations: {summary: "{{task}}", description: "{{deadline}}"}
      - alert: Overdue
        task: overdue
        annotations: {summary: "{{task_title}}", description: ""}
)";
  auto catalog = catalog::testing::GiaLocTestCatalog();
  const AlertRuleLoad load = LoadAlertRules({{"r.yaml", kRules}}, catalog.get());
  ASSERT_TRUE(load.problems.empty()) << Problems(load);
  ASSERT_EQ(load.rules.size(), 4u);
  const AlertRule& off = load.rules[0];
  EXPECT_EQ(off.kind, AlertKind::kIndicatorStatus);
  EXPECT_EQ(off.statuses.size(), 2u);
  EXPECT_EQ(off.for_duration, std::chrono::hours(1));
  EXPECT_EQ(off.keep_firing_for, std::chrono::hours(24 * 7));
  EXPECT_EQ(off.severity, "critical");
  EXPECT_EQ(off.labels.at("team"), "bcd");
  EXPECT_EQ(off.defined_at.line, 4);
  EXPECT_EQ(load.rules[1].kind, AlertKind::kReportState);
  EXPECT_EQ(load.rules[2].task_due_within_days, 14);
  EXPECT_FALSE(load.rules[3].task_due_within_days.has_value());
}

TEST(AlertRules, ReportsEachProblemWithItsLine) {
  const char kRules[] = R"(groups:
  - name: g
    rules:
      - alert: Bad Name
        indicator_status: [slow]
        for: 5 minutes
        offices: [nowhere]
        labels: {unit: x}
        annotations: {summary: "{{valeu}}", description: "ok"}
      - alert: TwoKinds
        indicator_status: [off_track]
        task: overdue
        annotations: {summary: "s", description: "d"}
      - alert: Dup
        task: overdue
        annotations: {summary: "s", description: "d"}
      - alert: Dup
        task: overdue
        colour: red
        annotations: {summary: "s", description: "d"}
)";
  auto catalog = catalog::testing::GiaLocTestCatalog();
  const AlertRuleLoad load = LoadAlertRules({{"r.yaml", kRules}}, catalog.get());
  const std::string problems = Problems(load);
  EXPECT_THAT(problems, HasSubstr("r.yaml:4: alert rule: alert 'Bad Name' must be"));
  EXPECT_THAT(problems, HasSubstr("r.yaml:5: alert rule: indicator_status 'slow' is not one of"));
  EXPECT_THAT(problems, HasSubstr("r.yaml:6: alert rule: for:"));
  EXPECT_THAT(problems,
              HasSubstr("r.yaml:7: alert rule: offices: 'nowhere' is not in the catalog"));
  EXPECT_THAT(problems, HasSubstr("label 'unit' is reserved"));
  EXPECT_THAT(problems, HasSubstr("unknown template variable '{{valeu}}'"));
  EXPECT_THAT(problems, HasSubstr("r.yaml:10: alert rule: needs exactly one of"));
  EXPECT_THAT(problems, HasSubstr("colour"));
  ASSERT_EQ(load.rules.size(), 1u);  // the first Dup
  EXPECT_EQ(load.rules[0].name, "Dup");
}

TEST(AlertRules, LoadsSeriesRules) {
  const char kRules[] = R"(groups:
  - name: nguon
    rules:
      - alert: TaiKhoanVneidThap
        threshold:
          series: 'chiso_indicator_reading{indicator="paper_dossier_share", unit=~"gia_.*"}'
          op: ">="
          value: 45.5
        keep_firing_for: 1d
        annotations:
          summary: "{{unit_name}}: {{indicator_name}} {{value}} {{op}} {{threshold}}"
      - alert: CongDvcKhongGuiSoLieu
        silent_source: {series: dvc_dossiers_received_total, silent_for: 3d}
        for: 1h
        annotations:
          summary: "{{series}} im lặng {{days_silent}} ngày, lần cuối {{last_sent}}"
          description: "{{last_value}} / {{silent_for}} / {{office_name}}"
)";
  auto catalog = catalog::testing::GiaLocTestCatalog();
  const AlertRuleLoad load = LoadAlertRules({{"r.yaml", kRules}}, catalog.get());
  ASSERT_TRUE(load.problems.empty()) << Problems(load);
  ASSERT_EQ(load.rules.size(), 2u);
  const AlertRule& threshold = load.rules[0];
  EXPECT_EQ(threshold.kind, AlertKind::kThreshold);
  EXPECT_EQ(threshold.series.selector,
            "chiso_indicator_reading{indicator=\"paper_dossier_share\", unit=~\"gia_.*\"}");
  EXPECT_EQ(threshold.series.matchers.size(), 3u);
  EXPECT_EQ(threshold.series.op, catalog::Comparison::kGreaterEqual);
  EXPECT_EQ(threshold.series.threshold, 45.5);
  const AlertRule& silent = load.rules[1];
  EXPECT_EQ(silent.kind, AlertKind::kSilentSource);
  EXPECT_EQ(silent.series.silent_for, std::chrono::hours(72));
  EXPECT_EQ(silent.for_duration, std::chrono::hours(1));
}

struct BadSeriesRule {
  std::string name;
  std::string condition;  // YAML lines of the rule after `alert:`, indented 8
  std::string want;       // the problem, with its line
};

// gtest prints a parameter (`# GetParam() = …` in ctest listings) as its name, not its bytes.
void PrintTo(const BadSeriesRule& c, std::ostream* os) { *os << c.name; }

class BadSeriesRules : public ::testing::TestWithParam<BadSeriesRule> {};

TEST_P(BadSeriesRules, AreReportedWithTheirLine) {
  const BadSeriesRule& c = GetParam();
  const std::string rules = "groups:\n  - name: g\n    rules:\n      - alert: A\n" + c.condition +
                            "        annotations: {summary: s}\n";
  const AlertRuleLoad load = LoadAlertRules({{"r.yaml", rules}}, nullptr);
  EXPECT_THAT(Problems(load), HasSubstr(c.want));
  EXPECT_TRUE(load.rules.empty());
}

INSTANTIATE_TEST_SUITE_P(
    AlertRules, BadSeriesRules,
    ::testing::Values(
        BadSeriesRule{"unknown_comparison",
                      "        threshold:\n          series: m\n          op: '=>'\n"
                      "          value: 1\n",
                      "r.yaml:7: threshold condition: op '=>' is not one of: >, >=, <, <=, ==, !="},
        BadSeriesRule{"missing_threshold",
                      "        threshold:\n          series: m\n          op: '<'\n",
                      "r.yaml:6: threshold condition: missing required field 'value'"},
        BadSeriesRule{"threshold_not_a_number",
                      "        threshold: {series: m, op: '<', value: nhiều}\n",
                      "r.yaml:5: threshold condition: value must be a finite number"},
        BadSeriesRule{"unclosed_matcher",
                      "        threshold:\n          op: '<'\n          value: 1\n"
                      "          series: 'm{unit=\"gia_loc\"'\n",
                      "r.yaml:8: threshold condition: series: expected ',' or '}' at offset 16"},
        BadSeriesRule{"bad_regex",
                      "        threshold: {series: 'm{unit=~\"(gia\"}', op: '<', value: 1}\n",
                      "r.yaml:5: threshold condition: series: invalid regular expression for "
                      "label \"unit\""},
        BadSeriesRule{"selects_everything",
                      "        silent_source: {series: '{unit=~\".*\"}', silent_for: 3d}\n",
                      "r.yaml:5: silent_source condition: series: selector must have a matcher "
                      "that rejects the empty value"},
        BadSeriesRule{"missing_series", "        silent_source: {silent_for: 3d}\n",
                      "r.yaml:5: silent_source condition: missing required field 'series'"},
        BadSeriesRule{"missing_silent_for", "        silent_source:\n          series: m\n",
                      "r.yaml:6: silent_source condition: missing required field 'silent_for'"},
        BadSeriesRule{"bad_silent_for",
                      "        silent_source:\n          series: m\n          silent_for: 3 ngày\n",
                      "r.yaml:7: silent_source condition: silent_for:"},
        BadSeriesRule{
            "zero_silent_for",
            "        silent_source:\n          series: m\n          silent_for: 0s\n",
            "r.yaml:7: silent_source condition: silent_for must be a positive duration such as 6h"},
        BadSeriesRule{"unknown_key", "        threshold: {series: m, op: '<', value: 1, unit: x}\n",
                      "r.yaml:5: threshold condition: unknown field 'unit'"}),
    [](const ::testing::TestParamInfo<BadSeriesRule>& info) { return info.param.name; });

TEST(AlertRules, SeriesRuleTemplatesKnowOnlyTheirOwnVariables) {
  const char kRules[] = R"(groups:
  - name: g
    rules:
      - alert: A
        silent_source: {series: m, silent_for: 3d}
        annotations: {summary: "{{threshold}}"}
)";
  EXPECT_THAT(Problems(LoadAlertRules({{"r.yaml", kRules}}, nullptr)),
              HasSubstr("r.yaml:6: annotations of alert 'A': unknown template variable "
                        "'{{threshold}}'"));
}

TEST(AlertRules, DuplicateNamesAcrossFiles) {
  const char kRule[] = R"(groups:
  - name: g
    rules:
      - alert: Same
        task: overdue
        annotations: {summary: "s", description: "d"}
)";
  const AlertRuleLoad load = LoadAlertRules({{"a.yaml", kRule}, {"b.yaml", kRule}}, nullptr);
  EXPECT_THAT(Problems(load), HasSubstr("b.yaml:4: alert 'Same' is already defined at a.yaml:4"));
}

TEST(RenderTemplate, ReplacesKnownNamesAndDropsUnknownOnes) {
  EXPECT_EQ(RenderTemplate("Giá trị {{value}} / {{target}}{{x}}",
                           {{"value", "57,3"}, {"target", "≥ 70"}}),
            "Giá trị 57,3 / ≥ 70");
  EXPECT_EQ(RenderTemplate("no {{ end", {}), "no {{ end");
}

std::vector<SourceFile> YamlFiles(const std::filesystem::path& dir) {
  std::vector<SourceFile> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    out.push_back({entry.path().string(), text.str()});
  }
  return out;
}

TEST(AlertRules, TheShippedRuleSetLoadsAgainstTheSeedCatalog) {
  const char* source_dir = std::getenv("CHISO_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr);
  const std::filesystem::path deploy = std::filesystem::path(source_dir) / "deploy";
  catalog::CatalogLoad catalog =
      catalog::LoadCatalog(YamlFiles(deploy / "catalog"), YamlFiles(deploy / "plans"));
  ASSERT_TRUE(catalog.problems.empty());
  const AlertRuleLoad load = LoadAlertRules(YamlFiles(deploy / "rules"), catalog.catalog.get());
  EXPECT_TRUE(load.problems.empty()) << Problems(load);
  EXPECT_GE(load.rules.size(), 6u);
}

}  // namespace
}  // namespace chiso::rules
