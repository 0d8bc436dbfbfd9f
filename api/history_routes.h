// The history endpoints of SPEC §4, answered from the store:
//
//   GET /api/v1/readings?unit=&indicator=&metric=&from=&to=   samples with revision counts
//   GET /api/v1/audit?unit=&indicator=&metric=&from=&to=      every change: old, new, who, when
//
// Without `metric` they select indicator readings (chiso_indicator_reading); with it, the raw
// series of that metric name. `unit` and `indicator` narrow by label. `from` and `to` are RFC
// 3339 or epoch milliseconds (default: all time). Reads honour the token's scopes
// (api/read_scope.h): an unscoped token sees every series; a token scoped to units sees only
// series whose `unit` label is one of its units or a unit under them (never a series without a
// `unit` label), and one scoped to indicators only the indicator readings of its indicators. A
// `unit` or `indicator` parameter outside the scope is refused with 403. Answers are bounded: past
// max_series or max_samples the request gets 422 and a hint to narrow it, never a truncated list.
#pragma once

#include <cstddef>

#include "api/router.h"

namespace chiso {
class Store;
}

namespace chiso::api {

struct HistoryLimits {
  std::size_t max_series = 10'000;      // Default: 10,000
  std::size_t max_samples = 1'000'000;  // Default: 1,000,000
};

// `store` must outlive `router`. Both routes need the read role.
void AddHistoryRoutes(Router& router, const Store& store, HistoryLimits limits = {});

}  // namespace chiso::api
