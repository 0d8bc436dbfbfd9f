#include "rules/alert_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rules/catalog_loader.h"
#include "rules/test_catalog.h"

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
  auto catalog = testing::GiaLocTestCatalog();
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
  auto catalog = testing::GiaLocTestCatalog();
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
  CatalogLoad catalog = LoadCatalog(YamlFiles(deploy / "catalog"), YamlFiles(deploy / "plans"));
  ASSERT_TRUE(catalog.problems.empty());
  const AlertRuleLoad load = LoadAlertRules(YamlFiles(deploy / "rules"), catalog.catalog.get());
  EXPECT_TRUE(load.problems.empty()) << Problems(load);
  EXPECT_GE(load.rules.size(), 6u);
}

}  // namespace
}  // namespace chiso::rules
