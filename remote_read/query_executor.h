// Answers one remote-read query: the stored series its matchers select (Store::Select over
// [start, end], the latest revision of each reading) plus the plan series they select
// (plan_series.h), every one carrying store="chiso" (series.h), sorted by labels as Prometheus
// sorts them (label by label, name then value).
//
// Matchers on `store` are judged against "chiso" alone: when one refuses it, the answer is empty;
// the others select stored and plan series alike. A query that selects nothing is an empty
// answer, not an error. Series the caller's `visible` filter refuses (a token's read scope) are
// left out before the series bound is counted; the samples bound also holds while the store is
// read, over every series the matchers select, so a query never holds more than that in memory.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "catalog/catalog.h"
#include "common/labels.h"
#include "common/status.h"
#include "remote_read/read_request.h"
#include "remote_read/series.h"
#include "store/store.h"

namespace chiso::remote_read {

struct QueryBounds {
  std::size_t max_series = 10'000;      // per query. Default: 10,000
  std::size_t max_samples = 1'000'000;  // per query, all series together. Default: 1,000,000
};

using SeriesFilter = std::function<bool(const Labels&)>;

// `catalog` may be null (no plan series). ResourceExhausted when the answer would pass `bounds`
// (the message names the bound and how to narrow the query); the store's errors otherwise.
Result<std::vector<ReadSeries>> ExecuteQuery(const Store& store, const catalog::Catalog* catalog,
                                             const Query& query, const SeriesFilter& visible,
                                             const QueryBounds& bounds);

}  // namespace chiso::remote_read
