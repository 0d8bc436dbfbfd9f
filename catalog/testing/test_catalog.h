// A small catalog for tests of the rules module and its endpoints: Xã Gia Lộc with a derived
// monthly rate (dvc_online_dossier_rate, 70% by 2025-12-31, no baseline), a down monthly share
// (paper_dossier_share, 60 at 2024-12-31 to 30 by 2025-12-31), a per-year count
// (public_initiatives_recognized, 2 in 2025), task t1 due 2025-10-31 (lead phong_vhxh), a monthly
// report (phong_vhxh, due 5 days after the month, grace 3) and a narrative monthly report
// (trung_tam_phvhc, due 10 days after, no indicators).
#pragma once

#include <memory>

#include "catalog/catalog.h"

namespace chiso::catalog::testing {

// The units, offices and indicators of that catalog, as the YAML file `catalog.yaml` a loader
// reads; tests of the loader pair it with plans of their own.
extern const char kTestCatalogYaml[];

std::shared_ptr<const catalog::Catalog> GiaLocTestCatalog();

}  // namespace chiso::catalog::testing
