#include "forward/gauge_refresh.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace chiso::forward {
namespace {

using Gauges = GaugeRefresh::Gauges;

const Labels kStatus = {{"__name__", "chiso_indicator_status"}, {"status", "on_track"}};
const Labels kLate = {{"__name__", "chiso_indicator_status"}, {"status", "off_track"}};
const Labels kExpected = {{"__name__", "chiso_plan_expected"}};

class GaugeRefreshTest : public ::testing::Test {
 protected:
  GaugeRefresh refresh_{std::chrono::minutes(1), [this](const SampleBatch& batch) {
                          sends_.push_back(batch);
                          return Status::Ok();
                        }};
  std::vector<SampleBatch> sends_;
  // A path rising by 1 per second from `origin`, and the status.
  double origin_ = 0;
  Labels status_ = kStatus;
  GaugeRefresh::GaugesAt gauges_ = [this](TimestampMs at) -> Result<Gauges> {
    return Gauges{{status_, 1}, {kExpected, origin_ + static_cast<double>(at) / 1000}};
  };
};

TEST_F(GaugeRefreshTest, SendsEveryGaugeFirstThenOnlyWhenDueOrChanged) {
  ASSERT_TRUE(refresh_.Update(gauges_, 10'000).ok());
  ASSERT_EQ(sends_.size(), 1u);
  ASSERT_EQ(sends_[0].size(), 2u);
  for (const Sample& s : sends_[0]) EXPECT_EQ(s.timestamp, 10'000);
  EXPECT_EQ(sends_[0][1].labels, kExpected);
  EXPECT_EQ(sends_[0][1].value, 10);

  // The path moved with time only: nothing is due before the refresh.
  ASSERT_TRUE(refresh_.Update(gauges_, 40'000).ok());
  EXPECT_EQ(sends_.size(), 1u);
  ASSERT_TRUE(refresh_.Update(gauges_, 70'000).ok());
  ASSERT_EQ(sends_.size(), 2u);
  EXPECT_EQ(sends_[1][1].value, 70);

  // The path itself changed: sent at once.
  origin_ = 5;
  ASSERT_TRUE(refresh_.Update(gauges_, 71'000).ok());
  ASSERT_EQ(sends_.size(), 3u);
  EXPECT_EQ(sends_[2][1].value, 76);
}

TEST_F(GaugeRefreshTest, AGaugeThatLeavesGetsOneStalenessMarker) {
  ASSERT_TRUE(refresh_.Update(gauges_, 10'000).ok());
  status_ = kLate;
  ASSERT_TRUE(refresh_.Update(gauges_, 11'000).ok());
  ASSERT_EQ(sends_.size(), 2u);
  ASSERT_EQ(sends_[1].size(), 3u);
  const Sample& marker = sends_[1].back();
  EXPECT_EQ(marker.labels, kStatus);
  EXPECT_EQ(marker.timestamp, 11'000);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(marker.value), 0x7ff0000000000002u);
  ASSERT_TRUE(refresh_.Update(gauges_, 80'000).ok());
  ASSERT_EQ(sends_.size(), 3u);
  EXPECT_EQ(sends_[2].size(), 2u);
}

TEST_F(GaugeRefreshTest, WhatFailedToSendIsDueAgain) {
  GaugeRefresh failing(std::chrono::minutes(1), [this](const SampleBatch& batch) {
    sends_.push_back(batch);
    return sends_.size() == 1 ? Status::Unavailable("disk") : Status::Ok();
  });
  EXPECT_FALSE(failing.Update(gauges_, 10'000).ok());
  ASSERT_TRUE(failing.Update(gauges_, 11'000).ok());
  ASSERT_EQ(sends_.size(), 2u);
  EXPECT_EQ(sends_[1][0].timestamp, 11'000);
}

}  // namespace
}  // namespace chiso::forward
