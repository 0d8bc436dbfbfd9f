#include "rules/reading_source.h"

#include <gtest/gtest.h>

namespace chiso::rules {
namespace {

TEST(KeepLatestPerInstant, SortsAndKeepsTheLatestArrivalPerInstant) {
  std::vector<Reading> readings = {{30, 3, 1}, {10, 1, 5}, {10, 9, 7}, {20, 2, 1}, {10, 4, 6}};
  KeepLatestPerInstant(&readings);
  EXPECT_EQ(readings, (std::vector<Reading>{{10, 9, 7}, {20, 2, 1}, {30, 3, 1}}));
  std::vector<Reading> sorted = {{1, 1, 1}, {2, 2, 2}};
  KeepLatestPerInstant(&sorted);
  EXPECT_EQ(sorted.size(), 2u);
}

TEST(MemoryReadingSource, GroupsByLabelAndSelectsByMatch) {
  MemoryReadingSource source;
  source.AddIndicatorReadings("gia_loc", "a", {{20, 2, 20}});
  source.Add({{"__name__", std::string(kReadingMetric)},
              {"indicator", "a"},
              {"unit", "gia_loc"},
              {"source", "excel"}},
             {{20, 3, 30}, {10, 1, 10}});
  source.AddIndicatorReadings("kim_thanh", "a", {{20, 9, 20}});
  source.Add({{"__name__", "raw_total"}, {"unit", "gia_loc"}, {"channel", "online"}}, {{5, 1, 5}});
  source.Add({{"__name__", "raw_total"}, {"unit", "gia_loc"}, {"channel", "paper"}}, {{4, 2, 4}});

  auto grouped = source.GroupedReadings("gia_loc", kReadingMetric, kIndicatorLabel);
  ASSERT_TRUE(grouped.ok());
  EXPECT_EQ(grouped->at("a"), (std::vector<Reading>{{10, 1, 10}, {20, 3, 30}}));
  auto online = source.SelectedReadings("gia_loc", {"raw_total", {{"channel", "online"}}});
  ASSERT_TRUE(online.ok());
  EXPECT_EQ(online->size(), 1u);
  auto all = source.SelectedReadings("gia_loc", {"raw_total", {}});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->front().value, 2);  // ascending by instant
  auto none = source.GroupedReadings("nowhere", kReadingMetric, kIndicatorLabel);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace chiso::rules
