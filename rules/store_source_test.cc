#include "rules/store_source.h"

#include <gtest/gtest.h>

#include "rules/evaluator.h"
#include "rules/test_catalog.h"
#include "store/test_util.h"

namespace chiso::rules {
namespace {

using chiso::testing::MakeSample;
using chiso::testing::OpenOrDie;
using chiso::testing::OptionsFor;
using chiso::testing::SeriesLabels;
using chiso::testing::TempDir;

const TimeZone kZone;  // UTC+7

TimestampMs End(CivilDate date) { return EndOfDay(date, kZone); }

TEST(StoreReadingSource, GroupsIndicatorReadingsAndMergesExtraLabels) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  ASSERT_NE(store, nullptr);
  const Labels plain = SeriesLabels(std::string(kReadingMetric),
                                    {{"indicator", "paper_dossier_share"}, {"unit", "gia_loc"}});
  const Labels from_sheet = SeriesLabels(
      std::string(kReadingMetric),
      {{"indicator", "paper_dossier_share"}, {"unit", "gia_loc"}, {"source", "excel"}});
  const Labels other_unit = SeriesLabels(
      std::string(kReadingMetric), {{"indicator", "paper_dossier_share"}, {"unit", "kim_thanh"}});
  ASSERT_TRUE(store
                  ->Write({MakeSample(plain, End({2025, 9, 30}), 45, "t", 100),
                           MakeSample(plain, End({2025, 10, 31}), 40, "t", 200),
                           MakeSample(from_sheet, End({2025, 10, 31}), 38, "t", 300),
                           MakeSample(other_unit, End({2025, 10, 31}), 10, "t", 300)})
                  .ok());
  StoreReadingSource source(store.get());
  auto grouped = source.GroupedReadings("gia_loc", kReadingMetric, kIndicatorLabel);
  ASSERT_TRUE(grouped.ok()) << grouped.status().ToString();
  ASSERT_EQ(grouped->size(), 1u);
  const std::vector<Reading>& readings = grouped->at("paper_dossier_share");
  ASSERT_EQ(readings.size(), 2u);
  EXPECT_EQ(readings[0], (Reading{End({2025, 9, 30}), 45, 100}));
  EXPECT_EQ(readings[1], (Reading{End({2025, 10, 31}), 38, 300}));  // the later arrival wins
}

TEST(StoreReadingSource, SelectsRawSeriesOfTheUnit) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  auto dossiers = [](const char* unit, const char* channel) {
    return SeriesLabels("dvc_dossiers_received_total", {{"unit", unit}, {"channel", channel}});
  };
  ASSERT_TRUE(store
                  ->Write({MakeSample(dossiers("gia_loc", "online"), 2000, 7),
                           MakeSample(dossiers("gia_loc", "offline"), 1000, 3),
                           MakeSample(dossiers("kim_thanh", "online"), 1000, 99)})
                  .ok());
  StoreReadingSource source(store.get());
  auto all = source.SelectedReadings("gia_loc", {"dvc_dossiers_received_total", {}});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].value, 3);  // ascending by instant across series
  auto online =
      source.SelectedReadings("gia_loc", {"dvc_dossiers_received_total", {{"channel", "online"}}});
  ASSERT_TRUE(online.ok());
  ASSERT_EQ(online->size(), 1u);
  EXPECT_EQ(online->front().value, 7);
}

TEST(StoreTaskProgressLog, SurvivesAReopen) {
  TempDir dir;
  const TaskProgress record{"gia_loc",       "t1",   "",   TaskState::kInProgress,
                            "Đang khảo sát", "vhxh", 12345};
  {
    auto store = OpenOrDie(OptionsFor(dir.path()));
    StoreTaskProgressLog log(store.get());
    ASSERT_TRUE(log.Record(record).ok());
  }
  auto store = OpenOrDie(OptionsFor(dir.path()));
  StoreTaskProgressLog log(store.get());
  auto loaded = log.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), record);

  ASSERT_TRUE(store->PutState(kTaskStateSpace, "gia_loc/t2/", "garbage").ok());
  EXPECT_EQ(log.Load().status().code(), StatusCode::kCorruption);
}

TEST(StoreReadingSource, FeedsAnEvaluation) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  const Labels paper = SeriesLabels(std::string(kReadingMetric),
                                    {{"indicator", "paper_dossier_share"}, {"unit", "gia_loc"}});
  ASSERT_TRUE(
      store->Write({MakeSample(paper, End({2025, 10, 31}), 29, "t", End({2025, 11, 2}))}).ok());
  StoreReadingSource source(store.get());
  StoreTaskProgressLog log(store.get());
  FakeClock clock(End({2025, 11, 6}));
  Evaluator evaluator(&source, &log, &clock);
  auto evaluation = evaluator.Run(testing::GiaLocTestCatalog());
  ASSERT_TRUE(evaluation->problems.empty());
  bool found = false;
  for (const IndicatorRow& row : evaluation->indicators) {
    if (row.indicator->code != "paper_dossier_share") continue;
    found = true;
    EXPECT_EQ(row.assessment.status, IndicatorStatus::kAchieved);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(evaluation->reports.at(0).assessment.state, ReportState::kOnTime);
}

TEST(StoreAlertLog, KeepsAPendingAlertAcrossAReopen) {
  TempDir dir;
  Alert alert;
  alert.labels = {{"alertname", "ChiTieuChamTienDo"}, {"unit", "gia_loc"}};
  alert.annotations = {{"summary", "Xã Gia Lộc: chậm tiến độ"}};
  alert.active_at = 1000;
  alert.last_active_at = 2000;
  {
    auto store = OpenOrDie(OptionsFor(dir.path()));
    StoreAlertLog log(store.get());
    ASSERT_TRUE(log.Apply({{alert}, {}}).ok());
  }
  auto store = OpenOrDie(OptionsFor(dir.path()));
  StoreAlertLog log(store.get());
  auto loaded = log.Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), alert);
  ASSERT_TRUE(log.Apply({{}, {alert.Fingerprint()}}).ok());
  EXPECT_TRUE(log.Load()->empty());
}

}  // namespace
}  // namespace chiso::rules
