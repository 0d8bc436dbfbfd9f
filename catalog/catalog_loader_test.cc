#include "catalog/catalog_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "catalog/testing/test_catalog.h"

namespace chiso::catalog {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kCatalog = testing::kTestCatalogYaml;

const char kPlan[] = R"(plan:
  unit: gia_loc
  title: Kế hoạch thực hiện Nghị quyết 57
  source: seeds/000
targets:
  - indicator: dvc_online_dossier_rate
    baseline: not_stated
    milestones:
      - {date: 2025-12-31, op: ">=", target: 70, source: "000 §III.2.1.e"}
      - {date: 2030-12-31, target: 85, source: "000 §III.2.2.e"}
  - indicator: paper_dossier_share
    office: phong_vhxh
    baseline: {date: 2024-12-31, value: 60, source: "báo cáo 2024"}
    milestones:
      - {date: 2030-12-31, target: 10, source: "000 §III.2.2.e"}
tasks:
  - id: t1
    title: Xây dựng hệ thống an ninh mạng cơ bản
    lead: phong_vhxh
    coordinating: [trung_tam_phvhc]
    deadline_text: "2025"
    due: 2025-12-31
    source: "000 §III.2.1.a"
  - id: t2
    title: Báo cáo sơ kết
    lead: phong_vhxh
    deadline_text: Cả năm
    recurrence: {every: year, month_day: "11-20", from: 2025}
    source: "003 Phụ lục"
  - id: t3
    title: Tuyên truyền
    lead: phong_vhxh
    deadline_text: Thường xuyên
    continuous: {review: quarter}
    source: "003 Phụ lục"
  - id: t4
    title: Triển khai khi có hướng dẫn
    lead: phong_vhxh
    deadline_text: Khi tỉnh ban hành hướng dẫn
    trigger: Khi tỉnh ban hành hướng dẫn
    source: "003 Phụ lục"
reporting:
  - id: monthly
    office: phong_vhxh
    period: month
    due: {days_after_period_end: 5}
    source: "001 §IV"
  - id: yearly
    office: phong_vhxh
    period: year
    due: {month_day: "11-20"}
    indicators: [dvc_online_dossier_rate]
    source: "001 §IV"
)";

CatalogLoad Load(const std::string& catalog, const std::string& plan) {
  return LoadCatalog({{"catalog.yaml", catalog}}, {{"plans/gia_loc.yaml", plan}});
}

std::vector<std::string> Messages(const Diagnostics& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.ToString());
  return out;
}

TEST(CatalogLoaderTest, LoadsAGoodCatalogAndPlan) {
  CatalogLoad load = Load(kCatalog, kPlan);
  ASSERT_THAT(Messages(load.problems), IsEmpty());
  const Catalog& c = *load.catalog;
  ASSERT_NE(c.FindUnit("gia_loc"), nullptr);
  EXPECT_EQ(c.FindUnit("gia_loc")->name, "Xã Gia Lộc");
  EXPECT_EQ(c.FindUnit("gia_loc")->zone.offset_minutes, 420);
  const Indicator* rate = c.FindIndicator("dvc_online_dossier_rate");
  ASSERT_NE(rate, nullptr);
  ASSERT_TRUE(rate->formula.has_value());
  EXPECT_EQ(rate->formula->numerator.match,
            (std::vector<std::pair<std::string, std::string>>{{"channel", "online"}}));
  EXPECT_EQ(rate->formula->scale, 100);
  EXPECT_EQ(c.FindIndicator("public_initiatives_recognized")->accumulate,
            Indicator::Accumulate::kYear);

  ASSERT_EQ(c.plans.size(), 1u);
  const Plan& plan = c.plans[0];
  ASSERT_EQ(plan.targets.size(), 2u);
  EXPECT_EQ(plan.targets[0].office, "trung_tam_phvhc") << "inherits the indicator's office";
  EXPECT_FALSE(plan.targets[0].baseline.has_value());
  EXPECT_EQ(plan.targets[0].milestones[1].target, 85);
  EXPECT_EQ(plan.targets[0].milestones[1].op, Comparison::kGreaterEqual);
  EXPECT_EQ(plan.targets[1].milestones[0].op, Comparison::kLessEqual)
      << "down indicators default to <=";
  EXPECT_EQ(plan.targets[1].baseline->value, 60);
  ASSERT_EQ(plan.tasks.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<OneOffDeadline>(plan.tasks[0].schedule));
  EXPECT_EQ(std::get<YearlyRecurrence>(plan.tasks[1].schedule).month, 11);
  EXPECT_TRUE(std::holds_alternative<ContinuousDuty>(plan.tasks[2].schedule));
  EXPECT_EQ(std::get<EventTrigger>(plan.tasks[3].schedule).event, "Khi tỉnh ban hành hướng dẫn");
  ASSERT_EQ(plan.reporting.size(), 2u);
  EXPECT_EQ(plan.reporting[0].due_days_after_period_end, 5);
  EXPECT_EQ(plan.reporting[1].due_month_day, std::make_pair(11, 20));

  auto summary = SummarizePlans(c);
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0].targets, 2u);
  EXPECT_EQ(summary[0].milestones, 3u);
  EXPECT_EQ(summary[0].tasks, 4u);
  EXPECT_EQ(summary[0].reporting_rules, 2u);
  // Stated unless marked: the first target names no office, so it infers the catalog's.
  EXPECT_EQ(plan.targets[0].inferred.count("office"), 1u);
  EXPECT_EQ(plan.targets[1].inferred.count("office"), 0u);
  EXPECT_EQ(summary[0].offices.stated, 1u + 4u + 2u);  // target override, leads, senders
  EXPECT_EQ(summary[0].offices.inferred, 1u);
  EXPECT_EQ(summary[0].deadlines.stated, 3u + 3u);  // milestones; due, yearly, quarterly review
  EXPECT_EQ(summary[0].due_days.stated, 2u);
  EXPECT_EQ(plan.reporting[0].name, "Báo cáo tháng") << "an unnamed rule is called by its rhythm";
}

// Replaces the first occurrence of `from` in `text`.
std::string Edit(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(CatalogLoader, InferredFieldsAreCountedPerPlan) {
  std::string plan = Edit(kPlan, "    due: 2025-12-31\n",
                          "    due: 2025-12-31\n    inferred: {lead: chọn theo lĩnh vực, deadline: "
                          "văn bản ghi năm 2025}\n");
  plan = Edit(plan, "    period: month\n", "    period: month\n    inferred: {due: không nêu}\n");
  CatalogLoad load = Load(kCatalog, plan);
  ASSERT_THAT(Messages(load.problems), IsEmpty());
  const PlanSummary s = SummarizePlans(*load.catalog).front();
  EXPECT_EQ(s.offices.inferred, 2u);
  EXPECT_EQ(s.deadlines.inferred, 1u);
  EXPECT_EQ(s.due_days.inferred, 1u);
  EXPECT_EQ(s.due_days.stated, 1u);
  EXPECT_THAT(PlanSummaryTable({s}), HasSubstr("| 6 / 2 | 5 / 1 | 1 / 1 | 2 / 0 |"));
}

struct BrokenCase {
  const char* name;
  std::string catalog;
  std::string plan;
  std::vector<std::string> expected;  // exactly these diagnostics, in order
};

// gtest prints a parameter (`# GetParam() = …` in ctest listings) as its name, not its bytes.
void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class BrokenFileTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenFileTest, NamesTheLineAndTheReason) {
  const BrokenCase& c = GetParam();
  CatalogLoad load = Load(c.catalog, c.plan);
  EXPECT_EQ(Messages(load.problems), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Catalog, BrokenFileTest,
    ::testing::Values(
        BrokenCase{"unknown_office",
                   Edit(kCatalog, "office: phong_vhxh\n    kind: reported",
                        "office: phong_tu_phap\n    kind: reported"),
                   kPlan,
                   {"catalog.yaml:26: indicator 'paper_dossier_share': office 'phong_tu_phap' is "
                    "not in the catalog"}},
        BrokenCase{"duplicate_code",
                   Edit(kCatalog, "code: paper_dossier_share", "code: dvc_online_dossier_rate"),
                   Edit(kPlan, "indicator: paper_dossier_share",
                        "indicator: public_initiatives_recognized"),
                   {"catalog.yaml:26: indicator 'dvc_online_dossier_rate' is defined twice; first "
                    "at catalog.yaml:15"}},
        BrokenCase{"bad_measure",
                   Edit(kCatalog, "measure: count", "measure: percentage"),
                   kPlan,
                   {"catalog.yaml:35: indicator 'public_initiatives_recognized': measure "
                    "'percentage' is not one of: percent, ratio, count, number"}},
        BrokenCase{
            "typo_field",
            Edit(kCatalog, "direction: down", "direktion: down"),
            kPlan,
            {"catalog.yaml:26: indicator 'paper_dossier_share': missing required field 'direction'",
             {"catalog.yaml:29: indicator 'paper_dossier_share': unknown field 'direktion'"}}},
        BrokenCase{"missing_formula",
                   Edit(kCatalog, R"(    formula:
      numerator: {metric: dvc_dossiers_received_total, match: {channel: online}}
      denominator: {metric: dvc_dossiers_received_total}
      scale: 100
)",
                        ""),
                   kPlan,
                   {"catalog.yaml:15: indicator 'dvc_online_dossier_rate': a derived indicator "
                    "needs a formula (numerator and denominator)"}},
        BrokenCase{"commune_without_parent",
                   Edit(kCatalog, "    parent: hai_phong\n", ""),
                   kPlan,
                   {"catalog.yaml:5: unit 'gia_loc': a commune needs a parent province"}},
        BrokenCase{"yaml_syntax",
                   Edit(kCatalog, "name: Xã Gia Lộc", "name: [Xã Gia Lộc"),
                   kPlan,
                   {"catalog.yaml:7: YAML syntax error: end of sequence flow not found"}}),
    [](const auto& info) { return std::string(info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Plan, BrokenFileTest,
    ::testing::Values(
        BrokenCase{"percent_above_100",
                   kCatalog,
                   Edit(kPlan, "target: 85", "target: 850"),
                   {"plans/gia_loc.yaml:6: target 'dvc_online_dossier_rate': milestone 2030-12-31 "
                    "target 850 is outside the domain of a percent (0..100)"}},
        BrokenCase{
            "milestones_out_of_order",
            kCatalog,
            Edit(kPlan, "date: 2030-12-31, target: 85", "date: 2025-06-30, target: 85"),
            {"plans/gia_loc.yaml:6: target 'dvc_online_dossier_rate': milestone 2025-06-30 is not "
             "after the previous date 2025-12-31; dates must strictly increase from the baseline"}},
        BrokenCase{"unknown_indicator",
                   kCatalog,
                   Edit(kPlan, "indicator: paper_dossier_share", "indicator: paper_share"),
                   {"plans/gia_loc.yaml:11: target 'paper_share': indicator 'paper_share' is not "
                    "in the catalog"}},
        BrokenCase{"unknown_office_in_task",
                   kCatalog,
                   Edit(kPlan, "coordinating: [trung_tam_phvhc]", "coordinating: [cong_an]"),
                   {"plans/gia_loc.yaml:17: task 't1' coordinating: office 'cong_an' is not in the "
                    "catalog"}},
        BrokenCase{
            "two_schedules",
            kCatalog,
            Edit(kPlan, "    due: 2025-12-31\n", "    due: 2025-12-31\n    trigger: khi có\n"),
            {"plans/gia_loc.yaml:17: task 't1': needs exactly one of due, recurrence, continuous, "
             "trigger (found 2)"}},
        BrokenCase{"bad_date",
                   kCatalog,
                   Edit(kPlan, "due: 2025-12-31", "due: 2025-02-30"),
                   {"plans/gia_loc.yaml:22: task 't1': due: date '2025-02-30' has day 30, but that "
                    "month has 28 days"}},
        BrokenCase{"number_with_percent_sign",
                   kCatalog,
                   Edit(kPlan, "target: 70,", "target: 70%,"),
                   {"plans/gia_loc.yaml:9: target 'dvc_online_dossier_rate' milestone: target must "
                    "be a finite number, got '70%'"}},
        BrokenCase{"unknown_field",
                   kCatalog,
                   Edit(kPlan, "    office: phong_vhxh\n    baseline",
                        "    ofice: phong_vhxh\n    baseline"),
                   {"plans/gia_loc.yaml:12: target 'paper_dossier_share': unknown field 'ofice'"}},
        BrokenCase{
            "baseline_after_milestone",
            kCatalog,
            Edit(kPlan, "date: 2024-12-31, value: 60", "date: 2031-12-31, value: 60"),
            {"plans/gia_loc.yaml:11: target 'paper_dossier_share': milestone 2030-12-31 is not "
             "after the previous date 2031-12-31; dates must strictly increase from the baseline"}},
        BrokenCase{
            "duplicate_target",
            kCatalog,
            Edit(kPlan, "indicator: paper_dossier_share", "indicator: dvc_online_dossier_rate"),
            {"plans/gia_loc.yaml:11: target for indicator 'dvc_online_dossier_rate' is defined "
             "twice; first at plans/gia_loc.yaml:6"}},
        BrokenCase{"unknown_unit",
                   kCatalog,
                   Edit(kPlan, "unit: gia_loc", "unit: gia_loc_cu"),
                   {"plans/gia_loc.yaml:2: plan of 'gia_loc_cu': unit 'gia_loc_cu' is not in the "
                    "catalog"}},
        BrokenCase{"band_without_approximate",
                   kCatalog,
                   Edit(kPlan, "op: \">=\", target: 70,", "op: \">=\", target: 70, band: 2,"),
                   {"plans/gia_loc.yaml:9: target 'dvc_online_dossier_rate' milestone: band "
                    "applies only to an approximate target (op: \"~\")"}},
        BrokenCase{"phase_after_its_milestone",
                   kCatalog,
                   Edit(kPlan, "target: 70,", "target: 70, from: 2026,"),
                   {"plans/gia_loc.yaml:9: target 'dvc_online_dossier_rate' milestone: from 2026 "
                    "is after the milestone's year 2025"}},
        BrokenCase{"overlapping_phases",
                   kCatalog,
                   Edit(kPlan, "date: 2030-12-31, target: 85,",
                        "date: 2030-12-31, target: 85, "
                        "from: 2025,"),
                   {"plans/gia_loc.yaml:6: target 'dvc_online_dossier_rate': milestone 2030-12-31 "
                    "phase from 2025 overlaps the previous milestone's year 2025"}},
        BrokenCase{"yearly_count",
                   kCatalog,
                   Edit(kPlan, "indicator: paper_dossier_share\n",
                        "indicator: public_initiatives_recognized\n    yearly: true\n"),
                   {"plans/gia_loc.yaml:11: target 'public_initiatives_recognized': yearly: true "
                    "is for indicators that do not accumulate; a per-year count is already judged "
                    "every year"}},
        BrokenCase{"inferred_unknown_field",
                   kCatalog,
                   Edit(kPlan, "    due: 2025-12-31\n",
                        "    due: 2025-12-31\n    inferred: {office: đoán}\n"),
                   {"plans/gia_loc.yaml:23: task 't1': inferred names 'office', which is not one "
                    "of lead, main_office, deadline"}},
        BrokenCase{"day_of_last_month_out_of_range",
                   kCatalog,
                   Edit(kPlan, "due: {days_after_period_end: 5}", "due: {day_of_last_month: 31}"),
                   {"plans/gia_loc.yaml:46: reporting rule 'monthly' due: day_of_last_month must "
                    "be 1..28"}},
        BrokenCase{"bad_month_day",
                   kCatalog,
                   Edit(kPlan, "month_day: \"11-20\"}\n    indicators",
                        "month_day: \"11-31\"}\n    indicators"),
                   {"plans/gia_loc.yaml:51: reporting rule 'yearly' due: month_day '11-31' is not "
                    "a valid MM-DD"}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace chiso::catalog
