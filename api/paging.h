// Pages of the list endpoints (status, reports, tasks, alerts): `?limit=N` rows per answer
// (default 1000, at most 10000) and `?cursor=`, the `next_cursor` of the previous answer.
//
// Rows are ordered by a sort key of strings (e.g. unit, indicator) that identifies a row, and a
// cursor encodes the key of the last row returned, not an offset: like a Kubernetes `continue`
// token, the next page starts after that key in whatever the list holds at the time, so a new
// evaluation between two pages neither repeats nor skips a row that is in both. A cursor names
// its list, so one list's cursor is refused by another. Every answer carries `total`, the number
// of rows matching the filters, and `next_cursor`, null on the last page.
//
// The filters are not part of the cursor: a client sends the same filters with every page.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"
#include "common/status.h"

namespace chiso::api {

inline constexpr std::size_t kDefaultPageLimit = 1000;
inline constexpr std::size_t kMaxPageLimit = 10000;

// Identifies a row within its list; rows are returned in increasing order of their keys.
using SortKey = std::vector<std::string>;

struct PageRequest {
  std::string list;  // e.g. "status": the list the cursor belongs to
  std::size_t limit = kDefaultPageLimit;
  std::optional<SortKey> after;  // the key of the previous page's last row; nullopt: first page
};

// The `limit` and `cursor` parameters of `context` for list `list`, whose sort keys have
// `key_size` parts. InvalidArgument naming the parameter when limit is not a whole number from 1
// to kMaxPageLimit, or when cursor is not a cursor of this list.
Result<PageRequest> ParsePageRequest(const RequestContext& context, std::string_view list,
                                     std::size_t key_size);

// The opaque text of a cursor that continues `list` after the row with `key`.
std::string EncodeCursor(std::string_view list, const SortKey& key);

struct Page {
  std::vector<std::size_t> rows;   // indices into the keys given to SelectPage, in key order
  std::size_t total = 0;           // every key given
  boost::json::value next_cursor;  // a string while rows remain after the page; null on the last
};

// The page `request` asks for among rows with `keys`: the first `limit` rows, in key order, whose
// key is greater than `request.after`.
Page SelectPage(std::span<const SortKey> keys, const PageRequest& request);

// The page of `rows`: their keys given by `key_of`, the page's rows turned into JSON by `to_json`.
template <typename Row, typename KeyOf, typename ToJson>
std::pair<boost::json::array, Page> PageOf(std::span<const Row> rows, const PageRequest& request,
                                           KeyOf key_of, ToJson to_json) {
  std::vector<SortKey> keys;
  keys.reserve(rows.size());
  for (const Row& row : rows) keys.push_back(key_of(row));
  Page page = SelectPage(keys, request);
  boost::json::array out;
  out.reserve(page.rows.size());
  for (std::size_t index : page.rows) out.push_back(to_json(rows[index]));
  return {std::move(out), std::move(page)};
}

}  // namespace chiso::api
