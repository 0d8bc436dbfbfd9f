#include "common/labels.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace chiso {
namespace {

TEST(LabelsTest, SortLabelsOrdersByNameAndKeepsEqualNamesInOrder) {
  for (const int extra : {0, 20}) {  // a few labels (insertion sort) and many (std::stable_sort)
    Labels labels = {{"unit", "a"}, {"__name__", "m"}, {"unit", "b"}, {"dc", "x"}};
    for (int i = 0; i < extra; ++i) labels.push_back({"z" + std::to_string(100 + i), "v"});
    labels.push_back({"unit", "c"});
    SortLabels(labels);
    ASSERT_EQ(labels.size(), 5u + extra);
    EXPECT_EQ(labels[0].name, "__name__");
    EXPECT_EQ(labels[1].name, "dc");
    EXPECT_EQ(labels[2].value, "a");
    EXPECT_EQ(labels[3].value, "b");
    EXPECT_EQ(labels[4].value, "c");
    EXPECT_TRUE(std::is_sorted(labels.begin(), labels.end(),
                               [](const Label& a, const Label& b) { return a.name < b.name; }));
  }
}

TEST(LabelsTest, TextFormEscapesQuotesBackslashesAndNewlines) {
  const Labels labels = {
      {"__name__", "dvc_dossiers"}, {"note", "a \"b\" \\ c\nd"}, {"unit", "gia_loc"}};
  EXPECT_EQ(LabelsToString(labels), R"(dvc_dossiers{note="a \"b\" \\ c\nd",unit="gia_loc"})");
  EXPECT_EQ(LabelValue(labels, "unit"), "gia_loc");
  EXPECT_EQ(LabelValue(labels, "office"), "");
}

}  // namespace
}  // namespace chiso
