#include "store/internal/intern_table.h"

#include <gtest/gtest.h>

#include <string>

namespace chiso::store_internal {
namespace {

TEST(InternTableTest, FindsEveryStringAcrossGrowth) {
  InternTable table;
  constexpr InternTable::Id kCount = 50'000;  // the table starts with 1,024 slots and doubles
  for (InternTable::Id id = 0; id < kCount; ++id) {
    ASSERT_EQ(table.Add("unit=xa_" + std::to_string(id)), id);
  }
  EXPECT_EQ(table.size(), kCount);
  for (InternTable::Id id = 0; id < kCount; ++id) {
    ASSERT_EQ(table.Find("unit=xa_" + std::to_string(id)), id);
    ASSERT_EQ(table.Text(id), "unit=xa_" + std::to_string(id));
  }
  EXPECT_EQ(table.Find("unit=xa_" + std::to_string(kCount)), std::nullopt);
  EXPECT_EQ(table.Find("unit=xa_"), std::nullopt);  // a prefix of every string
  EXPECT_EQ(table.Find(""), std::nullopt);
}

TEST(InternTableTest, TextsStayValidAndLargeStringsFit) {
  InternTable table;
  const std::string_view first = table.Text(table.Add("gia_loc"));
  const std::string large(200'000, 'x');  // larger than a storage block
  const InternTable::Id large_id = table.Add(large);
  for (int i = 0; i < 10'000; ++i) table.Add("v" + std::to_string(i));  // several blocks
  EXPECT_EQ(first, "gia_loc");  // the view taken before is still good
  EXPECT_EQ(table.Text(large_id), large);
  EXPECT_EQ(table.Find(large), large_id);
  EXPECT_EQ(table.Find("v9999"), InternTable::Id{10'001});
}

TEST(InternTableTest, EqualHashesStillCompareTheBytes) {
  InternTable table;
  table.Add("a");
  table.Add(std::string("a\0b", 3));  // embedded NUL: lengths, not C strings
  // A lookup given the hash of another string probes that string's slots and must not match it.
  EXPECT_EQ(table.Find("b", InternTable::Hash("a")), std::nullopt);
  EXPECT_EQ(table.Find(std::string("a\0b", 3)), InternTable::Id{1});
  EXPECT_EQ(table.Find("a"), InternTable::Id{0});
  EXPECT_EQ(table.Add(""), InternTable::Id{2});  // the empty string is a string like another
  EXPECT_EQ(table.Find(""), InternTable::Id{2});
}

}  // namespace
}  // namespace chiso::store_internal
