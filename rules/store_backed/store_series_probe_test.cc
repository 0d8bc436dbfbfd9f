#include "rules/store_backed/store_series_probe.h"

#include <gtest/gtest.h>

#include "store/testing/test_util.h"

namespace chiso::rules {
namespace {

using chiso::testing::MakeSample;
using chiso::testing::OpenOrDie;
using chiso::testing::OptionsFor;
using chiso::testing::TempDir;

TEST(StoreSeriesProbe, GivesTheLatestSampleOfEverySelectedSeriesWithItsLabels) {
  TempDir dir;
  auto store = OpenOrDie(OptionsFor(dir.path()));
  ASSERT_NE(store, nullptr);
  const Labels online = chiso::testing::SeriesLabels("dvc_dossiers_received_total",
                                                     {{"channel", "online"}, {"unit", "gia_loc"}});
  const Labels offline = chiso::testing::SeriesLabels(
      "dvc_dossiers_received_total", {{"channel", "offline"}, {"unit", "gia_loc"}});
  const Labels other = chiso::testing::SeriesLabels("weather_rain_mm", {{"unit", "gia_loc"}});
  ASSERT_TRUE(store
                  ->Write({MakeSample(online, 2000, 5, "portal", 2100),
                           MakeSample(online, 1000, 9, "portal", 3000),  // backdated
                           MakeSample(offline, 1500, 3, "portal", 1600),
                           MakeSample(other, 4000, 1, "weather", 4100)})
                  .ok());
  StoreSeriesProbe probe(store.get());
  auto matchers = ParseSeriesSelector("dvc_dossiers_received_total{channel=~\"on.*\"}");
  ASSERT_TRUE(matchers.ok());
  auto latest = probe.Latest(*matchers);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(latest->at(0).labels, (Labels{{"__name__", "dvc_dossiers_received_total"},
                                          {"channel", "online"},
                                          {"unit", "gia_loc"}}));
  EXPECT_EQ(latest->at(0).latest, (Reading{2000, 5, 2100}));

  auto none = probe.Latest(ParseSeriesSelector("{unit=\"kim_thanh\"}").value());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace chiso::rules
