#include "remote_read/query_executor.h"

#include <gtest/gtest.h>

#include "catalog/testing/test_catalog.h"
#include "store/testing/test_util.h"

namespace chiso::remote_read {
namespace {

using chiso::testing::MakeSample;
using chiso::testing::SeriesLabels;

const TimeZone kVietnam;

TimestampMs EndOf(int year, int month, int day) {
  return EndOfDay(CivilDate{year, month, day}, kVietnam);
}

Labels Reading(const std::string& unit, const std::string& indicator) {
  return SeriesLabels("chiso_indicator_reading", {{"indicator", indicator}, {"unit", unit}});
}

class QueryExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(chiso::testing::OptionsFor(dir_.path())).value());
    // Gia Lộc's paper share for 2025-01..03, March first reported wrong and corrected later;
    // Kim Thành's; and a raw series that already carries a `store` label of its own.
    ASSERT_TRUE(
        store_
            ->Write(
                {MakeSample(Reading("gia_loc", "paper_dossier_share"), EndOf(2025, 1, 31), 58),
                 MakeSample(Reading("gia_loc", "paper_dossier_share"), EndOf(2025, 2, 28), 55),
                 MakeSample(Reading("gia_loc", "paper_dossier_share"), EndOf(2025, 3, 31), 90),
                 MakeSample(Reading("kim_thanh", "paper_dossier_share"), EndOf(2025, 1, 31), 70),
                 MakeSample(SeriesLabels("portal_up", {{"store", "portal"}, {"unit", "gia_loc"}}),
                            EndOf(2025, 1, 31), 1)})
            .ok());
    ASSERT_TRUE(
        store_
            ->Write({MakeSample(Reading("gia_loc", "paper_dossier_share"), EndOf(2025, 3, 31), 52)})
            .ok());
  }

  Result<std::vector<ReadSeries>> Execute(
      std::vector<LabelMatcher> matchers, QueryBounds bounds = {},
      SeriesFilter visible = [](const Labels&) { return true; }) {
    Query query{EndOf(2024, 12, 1), EndOf(2025, 12, 31), std::move(matchers)};
    return ExecuteQuery(*store_, catalog_.get(), query, visible, bounds);
  }

  chiso::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const catalog::Catalog> catalog_ = catalog::testing::GiaLocTestCatalog();
};

TEST_F(QueryExecutorTest, StoredReadingsCarryTheStoreLabelAndTheirLatestRevision) {
  auto series =
      Execute({LabelMatcher::Equal("__name__", "chiso_indicator_reading"),
               LabelMatcher::Equal("store", "chiso"), LabelMatcher::Equal("unit", "gia_loc")});
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ(LabelsToString((*series)[0].labels),
            "chiso_indicator_reading{indicator=\"paper_dossier_share\",store=\"chiso\","
            "unit=\"gia_loc\"}");
  EXPECT_EQ((*series)[0].points,
            (std::vector<Point>{
                {EndOf(2025, 1, 31), 58}, {EndOf(2025, 2, 28), 55}, {EndOf(2025, 3, 31), 52}}));
}

TEST_F(QueryExecutorTest, StoredAndPlanSeriesTogetherSortedByLabels) {
  auto series = Execute({LabelMatcher::Equal("unit", "gia_loc"),
                         LabelMatcher::Equal("indicator", "paper_dossier_share")});
  ASSERT_TRUE(series.ok());
  std::vector<std::string> names;
  for (const ReadSeries& one : *series) names.push_back(LabelsToString(one.labels));
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "chiso_indicator_reading{indicator=\"paper_dossier_share\",store=\"chiso\","
                "unit=\"gia_loc\"}",
                "chiso_plan_expected{indicator=\"paper_dossier_share\",office=\"phong_vhxh\","
                "store=\"chiso\",unit=\"gia_loc\"}",
                "chiso_plan_target{indicator=\"paper_dossier_share\",milestone=\"2025-12-31\","
                "office=\"phong_vhxh\",store=\"chiso\",unit=\"gia_loc\"}"}));
}

TEST_F(QueryExecutorTest, TheStoreLabelIsChisoWhateverTheSeriesSaid) {
  auto portal = Execute({LabelMatcher::Equal("__name__", "portal_up")});
  ASSERT_TRUE(portal.ok());
  ASSERT_EQ(portal->size(), 1u);
  EXPECT_EQ(LabelValue((*portal)[0].labels, "store"), "chiso");
  auto other =
      Execute({LabelMatcher::Equal("store", "other"), LabelMatcher::Equal("unit", "gia_loc")});
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty()) << "store=\"other\" selects nothing here";
  auto nothing = Execute({LabelMatcher::Equal("__name__", "no_such_metric")});
  ASSERT_TRUE(nothing.ok()) << "a query that matches nothing is an empty answer";
  EXPECT_TRUE(nothing->empty());
}

TEST_F(QueryExecutorTest, LimitsCountOnlyVisibleSeriesAndSayHowToNarrow) {
  const std::vector<LabelMatcher> readings{
      LabelMatcher::Equal("__name__", "chiso_indicator_reading")};
  auto too_many = Execute(readings, {.max_series = 1, .max_samples = 100});
  EXPECT_EQ(too_many.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(too_many.status().message().find("narrow the query"), std::string::npos)
      << too_many.status().message();
  auto scoped = Execute(readings, {.max_series = 1, .max_samples = 100}, [](const Labels& labels) {
    return LabelValue(labels, "unit") == "kim_thanh";
  });
  ASSERT_TRUE(scoped.ok()) << scoped.status().ToString();
  ASSERT_EQ(scoped->size(), 1u);
  auto samples =
      Execute({LabelMatcher::Equal("unit", "gia_loc")}, {.max_series = 100, .max_samples = 10});
  EXPECT_EQ(samples.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(samples.status().message().find("more than 10 samples"), std::string::npos)
      << samples.status().message();
}

}  // namespace
}  // namespace chiso::remote_read
