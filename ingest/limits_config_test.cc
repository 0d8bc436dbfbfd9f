#include "ingest/limits_config.h"

#include <gtest/gtest.h>

namespace chiso::ingest {
namespace {

TEST(IngestLimitsConfigTest, ReadsWhatIsSetAndKeepsTheDefaults) {
  IngestLimits limits;
  Diagnostics problems;
  ReadIngestLimits(YAML::Load("max_items_per_request: 5000\nrate_samples_per_second: 2500.5\n"
                              "max_future_skew: 30s\n"),
                   "chiso.yaml", &limits, &problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(limits.max_items_per_request, 5000u);
  EXPECT_EQ(limits.rate_samples_per_second, 2500.5);
  EXPECT_EQ(limits.max_future_skew, std::chrono::seconds(30));
  EXPECT_EQ(limits.max_labels_per_series, IngestLimits{}.max_labels_per_series);
}

TEST(IngestLimitsConfigTest, NamesEachBadKeyWithItsLine) {
  IngestLimits limits;
  Diagnostics problems;
  ReadIngestLimits(YAML::Load("max_items_per_request: 0\nmax_future_skew: soon\nrate_limit: 5\n"),
                   "chiso.yaml", &limits, &problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].ToString(), "chiso.yaml:1: ingest: max_items_per_request must be positive");
  EXPECT_EQ(problems[1].line, 2);
  EXPECT_NE(problems[2].message.find("rate_limit"), std::string::npos);
  EXPECT_EQ(limits.max_items_per_request, IngestLimits{}.max_items_per_request);
}

}  // namespace
}  // namespace chiso::ingest
