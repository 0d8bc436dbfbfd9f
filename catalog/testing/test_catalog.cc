#include "catalog/testing/test_catalog.h"

#include <cstdlib>
#include <iostream>

#include "catalog/catalog_loader.h"

namespace chiso::catalog::testing {

const char kTestCatalogYaml[] = R"(units:
  - id: hai_phong
    name: Thành phố Hải Phòng
    level: province
  - id: gia_loc
    name: Xã Gia Lộc
    level: commune
    parent: hai_phong
offices:
  - code: phong_vhxh
    name: Phòng Văn hóa - Xã hội
  - code: trung_tam_phvhc
    name: Trung tâm Phục vụ hành chính công xã
indicators:
  - code: dvc_online_dossier_rate
    name: Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến
    measure: percent
    direction: up
    period: month
    office: trung_tam_phvhc
    kind: derived
    formula:
      numerator: {metric: dvc_dossiers_received_total, match: {channel: online}}
      denominator: {metric: dvc_dossiers_received_total}
      scale: 100
  - code: paper_dossier_share
    name: Tỷ lệ hồ sơ nộp giấy
    measure: percent
    direction: down
    period: month
    office: phong_vhxh
    kind: reported
  - code: public_initiatives_recognized
    name: Số sáng kiến công được công nhận trong năm
    measure: count
    direction: up
    period: quarter
    office: phong_vhxh
    kind: reported
    accumulate: year
)";

namespace {

const char kPlan[] = R"(plan:
  unit: gia_loc
  title: Kế hoạch thực hiện Nghị quyết 57
  source: seeds/000
targets:
  - indicator: dvc_online_dossier_rate
    baseline: not_stated
    milestones:
      - {date: 2025-12-31, op: ">=", target: 70, source: "000"}
  - indicator: paper_dossier_share
    baseline: {date: 2024-12-31, value: 60, source: "báo cáo 2024"}
    milestones:
      - {date: 2025-12-31, target: 30, source: "000"}
  - indicator: public_initiatives_recognized
    baseline: not_stated
    milestones:
      - {date: 2025-12-31, target: 2, source: "000"}
tasks:
  - id: t1
    title: Xây dựng hệ thống an ninh mạng cơ bản
    lead: phong_vhxh
    deadline_text: "2025"
    due: 2025-10-31
    source: "000"
reporting:
  - id: monthly
    office: phong_vhxh
    period: month
    due: {days_after_period_end: 5}
    grace_days: 3
    source: "001"
  - id: narrative
    office: trung_tam_phvhc
    period: month
    due: {days_after_period_end: 10}
    indicators: []
    source: "001"
)";

}  // namespace

std::shared_ptr<const catalog::Catalog> GiaLocTestCatalog() {
  catalog::CatalogLoad load =
      catalog::LoadCatalog({{"catalog.yaml", kTestCatalogYaml}}, {{"plans/gia_loc.yaml", kPlan}});
  if (!load.problems.empty()) {
    std::cerr << "test catalog: " << load.problems.front().ToString() << "\n";
    std::abort();
  }
  return load.catalog;
}

}  // namespace chiso::catalog::testing
