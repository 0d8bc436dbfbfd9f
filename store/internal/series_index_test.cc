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
