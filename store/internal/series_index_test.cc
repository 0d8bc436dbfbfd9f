#include "store/internal/series_index.h"

#include <gtest/gtest.h>

#include "store/internal/sample_codec.h"

namespace chiso::store_internal {
namespace {

using Op = LabelMatcher::Op;

class SeriesIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Add({{"__name__", "reading"}, {"env", "prod"}, {"unit", "gia_loc"}});   // 0
    Add({{"__name__", "reading"}, {"unit", "nghia_dan"}});                  // 1
    Add({{"__name__", "dossiers"}, {"env", "test"}, {"unit", "gia_loc"}});  // 2
    Add({{"__name__", "dossiers"}, {"unit", "tay_giang"}});                 // 3
  }
  void Add(const Labels& labels) { index_.Add(labels, EncodeLabels(labels)); }
  std::vector<SeriesId> Match(std::vector<LabelMatcher> matchers) { return index_.Match(matchers); }
  static LabelMatcher M(Op op, std::string name, std::string value) {
    return LabelMatcher::Make(op, std::move(name), std::move(value)).value();
  }

  SeriesIndex index_;
};

TEST_F(SeriesIndexTest, FindsSeriesByCanonicalLabels) {
  const Labels labels{{"__name__", "reading"}, {"unit", "nghia_dan"}};
  EXPECT_EQ(index_.Find(EncodeLabels(labels)), SeriesId{1});
  EXPECT_EQ(index_.Find(EncodeLabels({{"__name__", "reading"}})), std::nullopt);
  EXPECT_EQ(index_.LabelsOf(1), labels);
  EXPECT_EQ(index_.MetricName(2), "dossiers");
}

TEST_F(SeriesIndexTest, EqualityMatchers) {
  EXPECT_EQ(Match({M(Op::kEqual, "__name__", "reading")}), (std::vector<SeriesId>{0, 1}));
  EXPECT_EQ(Match({M(Op::kEqual, "unit", "gia_loc"), M(Op::kEqual, "__name__", "dossiers")}),
            (std::vector<SeriesId>{2}));
  EXPECT_EQ(Match({M(Op::kEqual, "unit", "nowhere")}), (std::vector<SeriesId>{}));
  EXPECT_EQ(Match({M(Op::kNotEqual, "unit", "gia_loc")}), (std::vector<SeriesId>{1, 3}));
}

TEST_F(SeriesIndexTest, AbsentLabelCountsAsEmptyValue) {
  EXPECT_EQ(Match({M(Op::kEqual, "env", "")}), (std::vector<SeriesId>{1, 3}));
  EXPECT_EQ(Match({M(Op::kNotEqual, "env", "prod")}), (std::vector<SeriesId>{1, 2, 3}));
  EXPECT_EQ(Match({M(Op::kNotEqual, "env", "")}), (std::vector<SeriesId>{0, 2}));
  EXPECT_EQ(Match({M(Op::kRegexMatch, "env", ".*")}), (std::vector<SeriesId>{0, 1, 2, 3}));
  EXPECT_EQ(Match({M(Op::kRegexMatch, "env", ".+")}), (std::vector<SeriesId>{0, 2}));
  EXPECT_EQ(Match({M(Op::kEqual, "no_such_label", "")}), (std::vector<SeriesId>{0, 1, 2, 3}));
  EXPECT_EQ(Match({M(Op::kEqual, "no_such_label", "x")}), (std::vector<SeriesId>{}));
}

TEST_F(SeriesIndexTest, RegexMatchers) {
  EXPECT_EQ(Match({M(Op::kRegexMatch, "unit", "gia_.*|tay_.*")}), (std::vector<SeriesId>{0, 2, 3}));
  EXPECT_EQ(Match({M(Op::kRegexNoMatch, "unit", "gia_.*")}), (std::vector<SeriesId>{1, 3}));
  EXPECT_EQ(Match({M(Op::kRegexMatch, "unit", "gia_loc|nghia_dan"),
                   M(Op::kRegexNoMatch, "__name__", "dos.*")}),
            (std::vector<SeriesId>{0, 1}));
}

TEST_F(SeriesIndexTest, AValueUsedAsALabelNameSelectsLikeAnAbsentLabel) {
  // "gia_loc" is interned (as a value) but no series has a label named so.
  EXPECT_EQ(Match({M(Op::kEqual, "gia_loc", "x")}), (std::vector<SeriesId>{}));
  EXPECT_EQ(Match({M(Op::kNotEqual, "gia_loc", "x")}), (std::vector<SeriesId>{0, 1, 2, 3}));
  EXPECT_EQ(Match({M(Op::kRegexMatch, "prod", ".+")}), (std::vector<SeriesId>{}));
  EXPECT_TRUE(index_.LabelValues("gia_loc").empty());
}

TEST_F(SeriesIndexTest, ShortListsIntersectWithLongOnes) {
  // One metric over many units; a unit's few series are looked up in the metric's long list.
  for (int unit = 0; unit < 200; ++unit) {
    for (const char* metric : {"reading", "dossiers"}) {
      Add({{"__name__", metric}, {"unit", "u" + std::to_string(unit)}});
    }
  }
  const std::vector<SeriesId> one_unit =
      Match({M(Op::kEqual, "__name__", "dossiers"), M(Op::kEqual, "unit", "u7")});
  ASSERT_EQ(one_unit.size(), 1u);
  EXPECT_EQ(index_.LabelsOf(one_unit[0]), (Labels{{"__name__", "dossiers"}, {"unit", "u7"}}));
  EXPECT_EQ(Match({M(Op::kEqual, "unit", "u199"), M(Op::kRegexMatch, "__name__", "read.*")}),
            (std::vector<SeriesId>{4 + 2 * 199}));
  EXPECT_EQ(Match({M(Op::kEqual, "__name__", "reading"), M(Op::kEqual, "unit", "gia_loc"),
                   M(Op::kEqual, "env", "prod")}),
            (std::vector<SeriesId>{0}));
}

TEST_F(SeriesIndexTest, ChangeGenerations) {
  // Loaded series count as changed in the first generation.
  EXPECT_EQ(index_.generation(), 1u);
  EXPECT_TRUE(index_.ChangedSince(0, 0));
  EXPECT_FALSE(index_.ChangedSince(0, 1));
  const std::uint64_t next = index_.NextGeneration();
  EXPECT_EQ(next, 2u);
  index_.MarkChanged(2, next);
  EXPECT_TRUE(index_.ChangedSince(2, 1));
  EXPECT_FALSE(index_.ChangedSince(2, 2));
  EXPECT_FALSE(index_.ChangedSince(3, 1));
}

TEST_F(SeriesIndexTest, NoMatchersSelectsEverySeries) {
  EXPECT_EQ(Match({}), (std::vector<SeriesId>{0, 1, 2, 3}));
}

TEST_F(SeriesIndexTest, LabelNamesAndValues) {
  EXPECT_EQ(index_.LabelNames(), (std::vector<std::string>{"__name__", "env", "unit"}));
  EXPECT_EQ(index_.LabelValues("unit"),
            (std::vector<std::string>{"gia_loc", "nghia_dan", "tay_giang"}));
  EXPECT_TRUE(index_.LabelValues("nope").empty());
}

TEST_F(SeriesIndexTest, TracksLatestTimestamp) {
  EXPECT_EQ(index_.latest_timestamp(0), kNoSample);
  index_.set_latest_timestamp(0, 1234);
  EXPECT_EQ(index_.latest_timestamp(0), 1234);
}

}  // namespace
}  // namespace chiso::store_internal
