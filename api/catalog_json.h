// JSON rendering of the loaded catalog for GET /api/v1/catalog.
#pragma once

#include <string>

#include "catalog/catalog.h"

namespace chiso::api {

// Units, offices, indicators and plans as loaded. With a non-empty `unit`, only that unit's
// plans are listed (the catalog lists stay whole). Dates are YYYY-MM-DD, as in the plan files.
std::string CatalogToJson(const catalog::Catalog& catalog, const std::string& unit = "");

}  // namespace chiso::api
