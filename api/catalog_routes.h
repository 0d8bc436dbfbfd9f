// GET /api/v1/catalog?unit=  (role read): units, offices, indicators and plans as loaded, from
// the request's snapshot. With `unit`, only that unit's plans are listed (the catalog lists stay
// whole). Dates are YYYY-MM-DD, as in the plan files.
#pragma once

#include "api/router.h"

namespace chiso::api {

void AddCatalogRoutes(Router& router);

}  // namespace chiso::api
