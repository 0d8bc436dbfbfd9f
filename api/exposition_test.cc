#include "api/exposition.h"

#include <gtest/gtest.h>

#include <limits>

namespace chiso::api {
namespace {

TEST(ExpositionWriter, WritesTheTextFormat) {
  std::string text;
  ExpositionWriter writer(&text);
  writer.Gauge("chiso_empty", "A family without samples is left out.");
  writer.Gauge("chiso_x", "Help with a \\ and a\nnewline.");
  writer.Sample({{"a", R"(quote " back \ slash)"}, {"b", "dòng\nmới"}}, 0.1);
  writer.Sample({}, 38);
  writer.Sample({{"a", ""}}, std::numeric_limits<double>::quiet_NaN());
  writer.Gauge("chiso_y", "Infinities.");
  writer.Sample({}, std::numeric_limits<double>::infinity());
  writer.Sample({}, -std::numeric_limits<double>::infinity());
  writer.Sample({}, 1762362000.5);
  EXPECT_EQ(text,
            "# HELP chiso_x Help with a \\\\ and a\\nnewline.\n"
            "# TYPE chiso_x gauge\n"
            "chiso_x{a=\"quote \\\" back \\\\ slash\",b=\"dòng\\nmới\"} 0.1\n"
            "chiso_x 38\n"
            "chiso_x{a=\"\"} NaN\n"
            "# HELP chiso_y Infinities.\n"
            "# TYPE chiso_y gauge\n"
            "chiso_y +Inf\n"
            "chiso_y -Inf\n"
            "chiso_y 1762362000.5\n");
}

TEST(ScrapeScope, SelectsDomainAndServiceSeries) {
  const ScrapeScope all;
  EXPECT_TRUE(all.WantsDomain("hai_phong"));
  EXPECT_TRUE(all.WantsService());
  const ScrapeScope shard{"hai_phong", false, nullptr};
  EXPECT_TRUE(shard.WantsDomain("hai_phong"));
  EXPECT_FALSE(shard.WantsDomain("da_nang"));
  EXPECT_FALSE(shard.WantsService());
  const ScrapeScope service{"", true, nullptr};
  EXPECT_FALSE(service.WantsDomain("hai_phong"));
  EXPECT_TRUE(service.WantsService());
}

}  // namespace
}  // namespace chiso::api
