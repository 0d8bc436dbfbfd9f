// GET /api/v1/catalog?unit=  (role read): units, offices, indicators and plans as loaded, from
// the request's snapshot. With `unit`, only that unit's plans are listed (the catalog lists stay
// whole). Dates are YYYY-MM-DD, as in the plan files. An unscoped token sees every plan; a token
// scoped to units sees only the plans of its units and the units under them, and `unit` outside
// that scope is refused with 403 (api/read_scope.h). The unit, office and indicator lists stay
// whole for every token.
#pragma once

#include "api/router.h"

namespace chiso::api {

void AddCatalogRoutes(Router& router);

}  // namespace chiso::api
