#include "api/paging.h"

#include <gtest/gtest.h>

namespace chiso::api {
namespace {

// The page request of a query with `limit` and `cursor` (either "" for absent).
Result<PageRequest> Parse(const std::string& limit, const std::string& cursor,
                          std::size_t key_size = 2) {
  HttpRequest request;
  if (!limit.empty()) request.query["limit"] = limit;
  if (!cursor.empty()) request.query["cursor"] = cursor;
  const ServiceSnapshot snapshot;
  const RequestContext context{request, snapshot, std::nullopt, "", std::nullopt};
  return ParsePageRequest(context, "alerts", key_size);
}

TEST(Paging, ACursorCarriesAnyBytesOfItsKey) {
  const SortKey key = {"", "alertname=A:1,unit=gia_loc", std::string("a\0b", 3), "12:x"};
  auto request = Parse("", EncodeCursor("alerts", key), key.size());
  ASSERT_TRUE(request.ok()) << request.status().message();
  EXPECT_EQ(request->after, key);
  EXPECT_EQ(request->limit, kDefaultPageLimit);
  EXPECT_FALSE(Parse("", EncodeCursor("alerts", key), key.size() - 1).ok()) << "wrong size";
  EXPECT_FALSE(Parse("", EncodeCursor("tasks", key), key.size()).ok()) << "another list's";
}

TEST(Paging, LimitIsAWholeNumberUpToTheMaximum) {
  EXPECT_EQ(Parse("1", "")->limit, 1u);
  EXPECT_EQ(Parse("10000", "")->limit, 10000u);
  for (const std::string bad : {"0", "+5", " 5", "5 ", "1e3", "10001"}) {
    const auto request = Parse(bad, "");
    ASSERT_FALSE(request.ok()) << bad;
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(Paging, PagesFollowTheKeysNotTheInputOrder) {
  const std::vector<SortKey> keys = {{"b", "1"}, {"a", "2"}, {"c", "0"}, {"a", "1"}};
  PageRequest request{"status", 3, std::nullopt};
  Page first = SelectPage(keys, request);
  EXPECT_EQ(first.rows, (std::vector<std::size_t>{3, 1, 0}));
  EXPECT_EQ(first.total, 4u);
  ASSERT_TRUE(first.next_cursor.is_string());
  EXPECT_EQ(first.next_cursor.as_string(), EncodeCursor("status", {"b", "1"}));

  request.after = SortKey{"a", "3"};  // a row that is gone: the page starts after where it was
  Page second = SelectPage(keys, request);
  EXPECT_EQ(second.rows, (std::vector<std::size_t>{0, 2}));
  EXPECT_TRUE(second.next_cursor.is_null());
  request.after = SortKey{"c", "0"};
  EXPECT_TRUE(SelectPage(keys, request).rows.empty());
}

}  // namespace
}  // namespace chiso::api
