#include "common/duration.h"

#include <gtest/gtest.h>

namespace chiso {
namespace {

using std::chrono::milliseconds;

TEST(DurationTest, ParsesPrometheusStyle) {
  EXPECT_EQ(ParseDuration("500ms").value(), milliseconds(500));
  EXPECT_EQ(ParseDuration("30s").value(), milliseconds(30'000));
  EXPECT_EQ(ParseDuration("1h30m").value(), milliseconds(5'400'000));
  EXPECT_EQ(ParseDuration("1m30s500ms").value(), milliseconds(90'500));
  EXPECT_EQ(ParseDuration("2w").value(), milliseconds(14LL * 86'400'000));
}

TEST(DurationTest, RejectsWithAReason) {
  EXPECT_NE(ParseDuration("30").status().message().find("has unit ''"), std::string::npos);
  EXPECT_EQ(ParseDuration("30sec").status().message(),
            "duration '30sec' has unit 'sec'; use ms, s, m, h, d, w or y");
  EXPECT_NE(ParseDuration("s").status().message().find("needs a number"), std::string::npos);
  EXPECT_NE(ParseDuration("30m1h").status().message().find("largest to smallest"),
            std::string::npos);
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("-5s").ok());
}

TEST(DurationTest, FormatsRoundTrip) {
  for (const char* text : {"500ms", "30s", "1h30m", "1d2h", "2w"}) {
    EXPECT_EQ(FormatDuration(ParseDuration(text).value()), text);
  }
}

}  // namespace
}  // namespace chiso
