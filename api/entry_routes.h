// What an office fills in for a unit and a period, for the web page's data-entry form and the
// spreadsheet template (SPEC §4 lists the endpoints):
//
//   GET /api/v1/entry?unit=U&period=P
//       {"unit", "unit_name", "period", "period_end", "due_kinds", "rows": [
//          {"indicator", "name", "measure", "direction", "period", "office", "office_name",
//           "stored":   {"value", "comment", "writer", "revisions"} | null,  (the reading of P)
//           "last":     {"value", "time"} | null,                             (the latest before P)
//           "expected": number | null,       (the plan path at P's end: chiso_plan_expected)
//           "target":   {"date", "op", "value"} | null}]}  (the first milestone on or after P)
//       The rows are the indicators due in P: those of the unit's plan targets, reported (not
//       derived), whose own period is P's kind, or which a reporting rule of P's kind carries.
//       `due_kinds` lists the period kinds for which the unit has due indicators; without
//       `period`, the answer holds only that and no rows.
//   GET /api/v1/import/template?unit=U&period=P&format=csv|xlsx
//       The same rows as a table for POST /api/v1/import/csv or /import/xlsx: columns indicator,
//       indicator_name, unit, period, value (empty), comment (empty). CSV is UTF-8 with a BOM (so
//       Excel reads the Vietnamese names), .xlsx one sheet named "Số liệu".
//   GET /api/v1/plan?unit=U&indicator=I
//       The plan series of one target as remote read gives them (chiso_plan_expected, and
//       chiso_plan_target per milestone): {"series": [{"labels", "points": [[ms, value], …]}]}.
//
// All need the read role and respect the token's read scope (api/read_scope.h): a unit or an
// indicator outside it is 403; rows for indicators outside it are left out.
#pragma once

#include "api/router.h"
#include "store/store.h"

namespace chiso::api {

void AddEntryRoutes(Router& router, const Store& store);

}  // namespace chiso::api
