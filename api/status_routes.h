// The status endpoints of SPEC §4, answered from the rules module:
//
//   GET  /api/v1/status?province=&unit=&indicator=&office=&status=   rows of the latest
//                                                           evaluation, with counts by status
//                                                           overall, by unit and by office
//   GET  /api/v1/reports?period=2025-10&province=&unit=&office=&state=   reporting timeliness per
//                                                           unit, office; without period: the
//                                                           most recently due report of every rule
//   GET  /api/v1/tasks?province=&unit=&office=&state=&overdue=&due_within_days=
//   GET  /api/v1/tasks/{id}?unit=                          the task(s) with that id
//   POST /api/v1/tasks/{id}   {"unit", "state", "note", "occurrence"?}   records progress and
//                                                           triggers a prompt re-evaluation
//   GET  /api/v1/alerts?province=&unit=&office=&indicator=&state=   pending, firing and
//                                                           recently resolved
//
// `unit` and `province` cover the units under them (api/unit_filter.h). The four GET lists
// answer in pages, `limit` and `cursor` (api/paging.h), ordered by unit and then indicator,
// report and period, task id, or alert labels; each answer carries `total` and `next_cursor`,
// and its counts and summary cover every matching row, not only the page.
//
// Reads honour the token's unit and indicator scopes (api/read_scope.h): an unscoped token sees
// everything; a token scoped to units sees the rows, reports, tasks and alerts of those units
// and of the units under them (an alert without a unit label, e.g. a silent source over all
// units, only unscoped tokens see); one scoped to indicators sees only their status rows and
// alerts. A `unit` or `indicator` parameter outside the scope is refused with 403.
//
// Status rows come from the latest evaluation (503 before the first one). Reports for a period
// and tasks are judged at request time, so a progress record shows at once. Times are RFC 3339
// in the unit's time zone; user-facing labels are Vietnamese.
#pragma once

#include <functional>

#include "api/router.h"
#include "common/clock.h"
#include "rules/alerting/alerts.h"
#include "rules/assess/evaluator.h"
#include "rules/assess/reading_source.h"
#include "rules/assess/tasks.h"

namespace chiso::api {

struct StatusRoutesDeps {
  const rules::Evaluator* evaluator = nullptr;
  const rules::ReadingSource* source = nullptr;
  rules::TaskProgressLog* progress = nullptr;
  const Clock* clock = nullptr;
  const rules::Alerting* alerting = nullptr;  // nullptr: GET /api/v1/alerts answers 503
  // Called after a progress record is stored, so task statuses and alerts are re-evaluated at
  // once (the service wakes its evaluation loop). Must be cheap and non-blocking.
  std::function<void()> progress_recorded;
};

// Registers the routes above; every pointer in `deps` must outlive `router`. POST needs a token
// with the write role whose unit scope covers the task's unit (a token limited to indicators
// cannot record task progress).
void AddStatusRoutes(Router& router, StatusRoutesDeps deps);

}  // namespace chiso::api
