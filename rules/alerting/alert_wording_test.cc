// The alert text an officer reads (issue 17): reports by their Vietnamese name and period, tasks
// by title, sent to the lead and the main office, and a deadline the encoder inferred said so.
// Rendered with the shipped rules (deploy/rules/default.yaml) on a small plan written here.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "catalog/catalog_loader.h"
#include "rules/alerting/alert_text.h"
#include "rules/alerting/alerts.h"

namespace chiso::rules {
namespace {

const TimeZone kZone;  // Asia/Ho_Chi_Minh

const char kCatalogYaml[] = R"(units:
  - {id: hai_phong, name: Thành phố Hải Phòng, level: province}
  - {id: xa_thu, name: Xã Thử, level: commune, parent: hai_phong}
offices:
  - {code: ubnd, name: Ủy ban nhân dân xã}
  - {code: phong_vhxh, name: Phòng Văn hóa - Xã hội}
  - {code: van_phong_dang_uy, name: Văn phòng Đảng ủy}
indicators: []
)";

const char kPlanYaml[] = R"(plan:
  unit: xa_thu
  title: Kế hoạch thử
  source: tests
tasks:
  - id: rd_05
    title: Xây dựng hệ thống an ninh mạng cơ bản
    lead: ubnd
    main_office: phong_vhxh
    deadline_text: "2026"
    due: 2026-10-31
    inferred: {deadline: "Văn bản ghi năm 2026; chọn ngày 31/10 để kịp tổng kết"}
    source: "§III"
  - id: rd_06
    title: Tuyên truyền thường xuyên
    lead: ubnd
    deadline_text: Thường xuyên
    continuous: {}
    source: "§III"
reporting:
  - {id: bcd_month, name: Báo cáo tháng của Ban Chỉ đạo, office: van_phong_dang_uy,
     period: month, due: {days_after_period_end: 5}, indicators: [], source: "§V"}
  - {id: bcd_quarter, name: Báo cáo quý của Ban Chỉ đạo, office: van_phong_dang_uy,
     recipient: Ban Thường vụ Đảng ủy, period: quarter, due: {days_after_period_end: 10}, indicators: [], source: "§V"}
  - {id: bcd_half, name: Báo cáo sơ kết 6 tháng của Ban Chỉ đạo, office: van_phong_dang_uy,
     period: half, due: {days_after_period_end: 15}, indicators: [], source: "§V",
     inferred: {due: "Văn bản không nêu ngày nộp; chọn 15 ngày sau kỳ"}}
  - {id: bcd_nine, name: Báo cáo 9 tháng của Ban Chỉ đạo, office: van_phong_dang_uy,
     period: nine_months, due: {days_after_period_end: 15}, indicators: [], source: "§V"}
)";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class AlertWording : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog::CatalogLoad load =
        catalog::LoadCatalog({{"catalog.yaml", kCatalogYaml}}, {{"plans/xa_thu.yaml", kPlanYaml}});
    ASSERT_TRUE(load.problems.empty()) << load.problems.front().ToString();
    const char* source_dir = std::getenv("CHISO_SOURCE_DIR");
    ASSERT_NE(source_dir, nullptr);
    const std::filesystem::path rules_file =
        std::filesystem::path(source_dir) / "deploy" / "rules" / "default.yaml";
    AlertRuleLoad rules =
        LoadAlertRules({{rules_file.string(), ReadFile(rules_file)}}, load.catalog.get());
    ASSERT_TRUE(rules.problems.empty()) << rules.problems.front().ToString();
    const MemoryReadingSource nothing;
    const Evaluation evaluation =
        Evaluate(load.catalog, nothing, {}, StartOfDay({2026, 11, 30}, kZone) + 9 * 3'600'000);
    alerts_ = MatchRules(rules.rules, evaluation, nullptr).alerts;
  }

  // The alerts named `name` about report or task `subject`.
  std::vector<Alert> About(const std::string& name, const std::string& subject) const {
    std::vector<Alert> out;
    for (const Alert& a : alerts_) {
      const bool same = (a.labels.contains("report") && a.labels.at("report") == subject) ||
                        (a.labels.contains("task") && a.labels.at("task") == subject);
      if (a.name() == name && same) out.push_back(a);
    }
    return out;
  }

  std::vector<Alert> alerts_;
};

TEST(VietnamesePeriod, ReadsTheWayDocumentsWriteIt) {
  EXPECT_EQ(VietnamesePeriod({PeriodKind::kMonth, 2026, 10}), "tháng 10/2026");
  EXPECT_EQ(VietnamesePeriod({PeriodKind::kQuarter, 2026, 3}), "quý III/2026");
  EXPECT_EQ(VietnamesePeriod({PeriodKind::kHalf, 2026, 1}), "6 tháng đầu năm 2026");
  EXPECT_EQ(VietnamesePeriod({PeriodKind::kHalf, 2026, 2}), "6 tháng cuối năm 2026");
  EXPECT_EQ(VietnamesePeriod({PeriodKind::kNineMonths, 2026, 1}), "9 tháng năm 2026");
  EXPECT_EQ(VietnamesePeriod({PeriodKind::kYear, 2026, 1}), "năm 2026");
}

TEST_F(AlertWording, ReportsAreNamedAndTheirPeriodsReadInVietnamese) {
  const std::vector<Alert> half = About("BaoCaoKhongDuocGui", "bcd_half");
  ASSERT_EQ(half.size(), 1u);
  EXPECT_EQ(half[0].annotations.at("summary"),
            "Xã Thử: chưa nhận được Báo cáo sơ kết 6 tháng của Ban Chỉ đạo kỳ 6 tháng đầu năm "
            "2026");
  // The due day is the encoder's: the text says so.
  EXPECT_NE(half[0]
                .annotations.at("description")
                .find("có hạn ngày 15/07/2026 (hạn nộp không do văn bản quy định mà do người lập "
                      "kế hoạch suy ra: Văn bản không nêu ngày nộp; chọn 15 ngày sau kỳ)"),
            std::string::npos)
      << half[0].annotations.at("description");

  ASSERT_EQ(About("BaoCaoKhongDuocGui", "bcd_month").size(), 1u);
  EXPECT_EQ(About("BaoCaoKhongDuocGui", "bcd_month")[0].annotations.at("summary"),
            "Xã Thử: chưa nhận được Báo cáo tháng của Ban Chỉ đạo kỳ tháng 10/2026");
  const std::string quarter =
      About("BaoCaoKhongDuocGui", "bcd_quarter")[0].annotations.at("description");
  EXPECT_EQ(quarter.find(
                "Báo cáo quý của Ban Chỉ đạo kỳ quý III/2026 gửi Ban Thường vụ Đảng ủy có hạn ngày "
                "10/10/2026,"),
            0u)
      << quarter;
  EXPECT_EQ(quarter.find("suy ra"), std::string::npos);  // stated due days say nothing more
  EXPECT_NE(About("BaoCaoKhongDuocGui", "bcd_nine")[0].annotations.at("summary").find(
                "kỳ 9 tháng năm 2026"),
            std::string::npos);
}

TEST_F(AlertWording, OverdueTaskReachesLeadAndMainOfficeByItsTitle) {
  const std::vector<Alert> overdue = About("NhiemVuQuaHan", "rd_05");
  ASSERT_EQ(overdue.size(), 2u);
  std::set<std::string> offices;
  for (const Alert& a : overdue) {
    offices.insert(a.labels.at("office"));
    EXPECT_EQ(a.annotations.at("summary"),
              "Xã Thử: nhiệm vụ «Xây dựng hệ thống an ninh mạng cơ bản» quá hạn");
    EXPECT_EQ(
        a.annotations.at("description"),
        "Thời hạn theo kế hoạch: 2026; hạn ngày 31/10/2026 (thời hạn không do văn bản quy "
        "định mà do người lập kế hoạch suy ra: Văn bản ghi năm 2026; chọn ngày 31/10 để kịp "
        "tổng kết); trạng thái: Chưa bắt đầu. Cơ quan chủ trì: Ủy ban nhân dân xã; phòng thực "
        "hiện chính: Phòng Văn hóa - Xã hội.");
  }
  EXPECT_EQ(offices, (std::set<std::string>{"ubnd", "phong_vhxh"}));
  // "Thường xuyên" with no rhythm never falls due.
  EXPECT_TRUE(About("NhiemVuQuaHan", "rd_06").empty());
}

}  // namespace
}  // namespace chiso::rules
