#include "store/internal/label_set_table.h"

#include <gtest/gtest.h>

#include <string>

namespace chiso::store_internal {
namespace {

std::optional<SeriesId> Find(const LabelSetTable& table, std::string_view label_set) {
  return table.Find(label_set, LabelSetTable::Hash(label_set));
}

TEST(LabelSetTableTest, FindsEveryLabelSetAcrossGrowth) {
  LabelSetTable table;
  constexpr SeriesId kCount = 50'000;  // the table starts with 1,024 slots and doubles
  for (SeriesId id = 0; id < kCount; ++id) table.Add("unit=xa_" + std::to_string(id), id);
  EXPECT_EQ(table.size(), kCount);
  for (SeriesId id = 0; id < kCount; ++id) {
    ASSERT_EQ(Find(table, "unit=xa_" + std::to_string(id)), id);
  }
  EXPECT_EQ(Find(table, "unit=xa_" + std::to_string(kCount)), std::nullopt);
  EXPECT_EQ(Find(table, "unit=xa_"), std::nullopt);  // a prefix of every key
  EXPECT_EQ(Find(table, ""), std::nullopt);
}

TEST(LabelSetTableTest, EqualHashesStillCompareTheBytes) {
  LabelSetTable table;
  table.Add("a", 0);
  table.Add(std::string("a\0b", 3), 1);  // embedded NUL: lengths, not C strings
  // A lookup given the hash of another key probes that key's slots and must not match it.
  EXPECT_EQ(table.Find("b", LabelSetTable::Hash("a")), std::nullopt);
  EXPECT_EQ(Find(table, std::string("a\0b", 3)), SeriesId{1});
  EXPECT_EQ(Find(table, "a"), SeriesId{0});
}

}  // namespace
}  // namespace chiso::store_internal
