#include "rules/store_backed/store_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "catalog/testing/test_catalog.h"
#include "rules/assess/evaluator.h"
#include "store/testing/test_util.h"

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
  // The later arrival wins, first sent at 200.
  EXPECT_EQ(readings[1], (Reading{End({2025, 10, 31}), 38, 300, 200}));
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

Labels IndicatorSeries(const char* unit, const char* indicator) {
  return SeriesLabels(std::string(kReadingMetric), {{"indicator", indicator}, {"unit", unit}});
}

// The readings of one indicator of one unit, as an evaluation reads them.
std::vector<Reading> ReadingsOf(const StoreReadingSource& source, const char* unit,
                                const char* indicator) {
  auto grouped = source.GroupedReadings(unit, kReadingMetric, kIndicatorLabel);
  EXPECT_TRUE(grouped.ok()) << grouped.status().ToString();
  if (!grouped.ok() || !grouped->contains(indicator)) return {};
  return grouped->at(indicator);
}

TEST(StoreReadingSource, CachedAnswersFollowWritesCorrectionsAndBackdatedReadings) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  const Labels paper = IndicatorSeries("gia_loc", "paper_dossier_share");
  const TimestampMs sep = End({2025, 9, 30}), oct = End({2025, 10, 31}), aug = End({2025, 8, 31});
  ASSERT_TRUE(store->Write({MakeSample(paper, sep, 45, "t", 100)}).ok());
  StoreReadingSource source(store.get());
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share"),
            (std::vector<Reading>{{sep, 45, 100}}));
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share"),
            (std::vector<Reading>{{sep, 45, 100}}));
  EXPECT_EQ(source.StoreReads(), 1u);  // the second answer came from the cache

  ASSERT_TRUE(store->Write({MakeSample(paper, oct, 40, "t", 200)}).ok());
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share"),
            (std::vector<Reading>{{sep, 45, 100}, {oct, 40, 200}}));

  // A correction keeps the first arrival; a backdated reading takes its place in time.
  ASSERT_TRUE(store->Write({MakeSample(paper, sep, 44, "t", 300)}).ok());
  ASSERT_TRUE(store->Write({MakeSample(paper, aug, 50, "t", 400)}).ok());
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share"),
            (std::vector<Reading>{{aug, 50, 400}, {sep, 44, 300, 100}, {oct, 40, 200}}));

  // A new series of the unit joins the answer: a later arrival for October from a sheet wins,
  // carrying the earliest first arrival of that instant.
  const Labels from_sheet = SeriesLabels(
      std::string(kReadingMetric),
      {{"indicator", "paper_dossier_share"}, {"unit", "gia_loc"}, {"source", "excel"}});
  ASSERT_TRUE(store->Write({MakeSample(from_sheet, oct, 38, "t", 500)}).ok());
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share"),
            (std::vector<Reading>{{aug, 50, 400}, {sep, 44, 300, 100}, {oct, 38, 500, 200}}));
  EXPECT_EQ(source.StoreReads(), 4u);
  // An identical rewrite changes nothing in the store, so nothing is read again.
  ASSERT_TRUE(store->Write({MakeSample(from_sheet, oct, 38, "t", 600)}).ok());
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share").back(),
            (Reading{oct, 38, 500, 200}));
  EXPECT_EQ(source.StoreReads(), 4u);
}

TEST(StoreReadingSource, AnotherUnitsWritesLeaveACachedAnswerAlone) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  const TimestampMs oct = End({2025, 10, 31});
  auto dossiers = [](const char* unit) {
    return SeriesLabels("dvc_dossiers_received_total", {{"unit", unit}, {"channel", "online"}});
  };
  ASSERT_TRUE(store
                  ->Write({MakeSample(IndicatorSeries("gia_loc", "paper_dossier_share"), oct, 40),
                           MakeSample(dossiers("gia_loc"), oct, 7)})
                  .ok());
  StoreReadingSource source(store.get());
  const catalog::SeriesSelector online{"dvc_dossiers_received_total", {{"channel", "online"}}};
  ASSERT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share").size(), 1u);
  ASSERT_EQ(source.SelectedReadings("gia_loc", online)->size(), 1u);
  ASSERT_EQ(ReadingsOf(source, "kim_thanh", "paper_dossier_share").size(), 0u);
  EXPECT_EQ(source.StoreReads(), 3u);

  ASSERT_TRUE(store
                  ->Write({MakeSample(IndicatorSeries("kim_thanh", "paper_dossier_share"), oct, 9),
                           MakeSample(dossiers("kim_thanh"), oct, 99)})
                  .ok());
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share"),
            (std::vector<Reading>{{oct, 40, oct}}));
  EXPECT_EQ(*source.SelectedReadings("gia_loc", online), (std::vector<Reading>{{oct, 7, oct}}));
  EXPECT_EQ(source.StoreReads(), 3u);
  // The unit that was written to, asked before while it had nothing, is read again.
  EXPECT_EQ(ReadingsOf(source, "kim_thanh", "paper_dossier_share"),
            (std::vector<Reading>{{oct, 9, oct}}));
  EXPECT_EQ(source.StoreReads(), 4u);
}

// After a reload drops a unit (or a derived indicator's selector), its answers are no longer asked
// for: the next DropUnasked forgets them, and keeps every answer asked for since the last one.
TEST(StoreReadingSource, ForgetsAnswersNoLongerAskedFor) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  const TimestampMs oct = End({2025, 10, 31});
  ASSERT_TRUE(store
                  ->Write({MakeSample(IndicatorSeries("gia_loc", "paper_dossier_share"), oct, 40),
                           MakeSample(IndicatorSeries("kim_thanh", "paper_dossier_share"), oct, 9)})
                  .ok());
  StoreReadingSource source(store.get());
  const catalog::SeriesSelector online{"dvc_dossiers_received_total", {{"channel", "online"}}};
  auto cycle = [&](std::initializer_list<const char*> units, bool derived) {
    for (const char* unit : units) {
      EXPECT_EQ(ReadingsOf(source, unit, "paper_dossier_share").size(), 1u);
      if (derived) {
        EXPECT_TRUE(source.SelectedReadings(unit, online).ok());
      }
    }
    source.DropUnasked();
  };
  cycle({"gia_loc", "kim_thanh"}, true);
  EXPECT_EQ(source.TEST_CachedAnswers(), 4u);
  EXPECT_EQ(source.StoreReads(), 4u);
  cycle({"gia_loc", "kim_thanh"}, true);  // the same questions: all kept, nothing read again
  EXPECT_EQ(source.TEST_CachedAnswers(), 4u);
  EXPECT_EQ(source.StoreReads(), 4u);

  cycle({"gia_loc"}, true);  // kim_thanh left the catalog
  EXPECT_EQ(source.TEST_CachedAnswers(), 2u);
  cycle({"gia_loc"}, false);  // the derived indicator left it too
  EXPECT_EQ(source.TEST_CachedAnswers(), 1u);
  EXPECT_EQ(source.StoreReads(), 4u);

  // A unit that comes back is read again.
  EXPECT_EQ(ReadingsOf(source, "kim_thanh", "paper_dossier_share"),
            (std::vector<Reading>{{oct, 9, oct}}));
  EXPECT_EQ(source.StoreReads(), 5u);
  EXPECT_EQ(source.TEST_CachedAnswers(), 2u);
}

TEST(StoreReadingSource, RetentionDeletesLeaveCachedAnswers) {
  TempDir dir;
  const TimestampMs now = End({2025, 11, 30});
  constexpr TimestampMs kDay = 86'400'000;
  auto clock = std::make_shared<FakeClock>(now);
  StoreOptions options = OptionsFor(dir.path());
  options.clock = clock;
  options.retention = {{std::string(kReadingMetric), std::chrono::days(365)}};
  options.retention_interval = std::chrono::milliseconds(0);
  auto store = OpenOrDie(options);
  const Labels paper = IndicatorSeries("gia_loc", "paper_dossier_share");
  const Labels online = IndicatorSeries("gia_loc", "online_payment_share");
  ASSERT_TRUE(
      store
          ->Write({MakeSample(paper, now - 400 * kDay, 60), MakeSample(paper, now - 30 * kDay, 45),
                   MakeSample(online, now - 500 * kDay, 10)})
          .ok());
  StoreReadingSource source(store.get());
  auto before = source.GroupedReadings("gia_loc", kReadingMetric, kIndicatorLabel);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 2u);
  ASSERT_EQ(before->at("paper_dossier_share").size(), 2u);

  auto enforced = store->EnforceRetention();
  ASSERT_TRUE(enforced.ok()) << enforced.status().ToString();
  ASSERT_EQ(enforced->series_emptied, 1u);
  auto after = source.GroupedReadings("gia_loc", kReadingMetric, kIndicatorLabel);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);  // online_payment_share has no reading left
  EXPECT_EQ(after->at("paper_dossier_share"),
            (std::vector<Reading>{{now - 30 * kDay, 45, now - 30 * kDay}}));
}

TEST(StoreReadingSource, ConcurrentCallsSeeEveryAcknowledgedWrite) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  const Labels paper = IndicatorSeries("gia_loc", "paper_dossier_share");
  StoreReadingSource source(store.get());
  constexpr int kWrites = 50;
  std::atomic<int> acknowledged = 0;
  auto reader = [&] {
    for (int i = 0; i < kWrites * 4; ++i) {
      const int written = acknowledged.load();
      const std::size_t seen = ReadingsOf(source, "gia_loc", "paper_dossier_share").size();
      EXPECT_GE(seen, static_cast<std::size_t>(written));
    }
  };
  std::thread first(reader), second(reader);
  for (int i = 1; i <= kWrites; ++i) {
    ASSERT_TRUE(store->Write({MakeSample(paper, i * 1000, i)}).ok());
    acknowledged = i;
  }
  first.join();
  second.join();
  EXPECT_EQ(ReadingsOf(source, "gia_loc", "paper_dossier_share").size(),
            static_cast<std::size_t>(kWrites));
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
  auto evaluation = evaluator.Run(catalog::testing::GiaLocTestCatalog());
  ASSERT_TRUE(evaluation->problems.empty());
  bool found = false;
  for (const IndicatorRow& row : evaluation->indicators) {
    if (row.indicator->code != "paper_dossier_share") continue;
    found = true;
    EXPECT_EQ(row.assessment.status, IndicatorStatus::kAchieved);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(evaluation->reports.at(0).assessment.state, ReportState::kOnTime);

  // What an evaluation cycle asks for stays cached from one cycle to the next.
  source.DropUnasked();
  const std::size_t cached = source.TEST_CachedAnswers();
  const std::uint64_t reads = source.StoreReads();
  EXPECT_GT(cached, 0u);
  evaluator.Run(catalog::testing::GiaLocTestCatalog());
  source.DropUnasked();
  EXPECT_EQ(source.TEST_CachedAnswers(), cached);
  EXPECT_EQ(source.StoreReads(), reads);
}

TEST(StoreReadingSource, AReportCorrectedAfterItsDueDayStaysOnTime) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  const Labels paper = IndicatorSeries("gia_loc", "paper_dossier_share");
  const TimestampMs sent = End({2025, 11, 2});  // October's monthly report is due 5 November
  ASSERT_TRUE(store->Write({MakeSample(paper, End({2025, 10, 31}), 29, "t", sent)}).ok());
  ASSERT_TRUE(
      store->Write({MakeSample(paper, End({2025, 10, 31}), 31, "t", End({2025, 11, 10}))}).ok());
  StoreReadingSource source(store.get());
  StoreTaskProgressLog log(store.get());
  FakeClock clock(End({2025, 11, 12}));
  Evaluator evaluator(&source, &log, &clock);
  auto evaluation = evaluator.Run(catalog::testing::GiaLocTestCatalog());
  ASSERT_TRUE(evaluation->problems.empty());
  const ReportAssessment& monthly = evaluation->reports.at(0).assessment;
  ASSERT_EQ(monthly.rule->id, "monthly");
  ASSERT_EQ(monthly.period.ToString(), "2025-10");
  EXPECT_EQ(monthly.state, ReportState::kOnTime);
  EXPECT_EQ(monthly.received_at, sent);
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
