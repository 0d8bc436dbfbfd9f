#include "rules/assess/reading_source.h"

#include <gtest/gtest.h>

namespace chiso::rules {
namespace {

TEST(KeepLatestPerInstant, SortsAndKeepsTheLatestArrivalPerInstant) {
  std::vector<Reading> readings = {{30, 3, 1}, {10, 1, 5}, {10, 9, 7}, {20, 2, 1}, {10, 4, 6}};
  KeepLatestPerInstant(&readings);
  // Instant 10 was first sent at 5.
  EXPECT_EQ(readings, (std::vector<Reading>{{10, 9, 7, 5}, {20, 2, 1}, {30, 3, 1}}));
  std::vector<Reading> sorted = {{1, 1, 1}, {2, 2, 2}};
  KeepLatestPerInstant(&sorted);
  EXPECT_EQ(sorted.size(), 2u);
}

TEST(KeepLatestPerInstant, KeepsTheEarliestFirstArrivalOfAnInstant) {
  // Instant 10: sent at 3 in one series, corrected at 8; another series sent it at 5.
  std::vector<Reading> readings = {{10, 2, 8, 3}, {10, 1, 5}, {20, 4, 9, 9}};
  KeepLatestPerInstant(&readings);
  EXPECT_EQ(readings, (std::vector<Reading>{{10, 2, 8, 3}, {20, 4, 9, 9}}));
  std::vector<Reading> resent = {{10, 1, 5}, {10, 2, 8}};  // a second series sent it later
  KeepLatestPerInstant(&resent);
  EXPECT_EQ(resent, (std::vector<Reading>{{10, 2, 8, 5}}));
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
  EXPECT_EQ(grouped->at("a"), (std::vector<Reading>{{10, 1, 10}, {20, 3, 30, 20}}));
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
