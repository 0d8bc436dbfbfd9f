#include "forward/ack_window.h"

#include <gtest/gtest.h>

namespace chiso::forward {
namespace {

TEST(AckWindowTest, PositionPassesOnlyAContiguousAnsweredPrefix) {
  AckWindow window(10);
  EXPECT_EQ(window.Dispatched(12, 2), std::nullopt);  // entries 10, 11 in two requests
  EXPECT_EQ(window.Dispatched(15, 1), std::nullopt);  // entries 12..14
  EXPECT_EQ(window.Dispatched(16, 3), std::nullopt);  // entry 15
  // The later chunks answer first: the position waits for the first one.
  EXPECT_EQ(window.Answered(15), std::nullopt);
  EXPECT_EQ(window.Answered(16), std::nullopt);
  EXPECT_EQ(window.Answered(16), std::nullopt);
  EXPECT_EQ(window.Answered(12), std::nullopt);  // one of its two requests
  EXPECT_EQ(window.position(), 10u);             // a kill -9 now resends from entry 10
  EXPECT_EQ(window.Answered(12), 15u);           // 10..14 settled; 15 still has one request out
  EXPECT_EQ(window.Answered(16), 16u);
  EXPECT_EQ(window.position(), 16u);
}

TEST(AckWindowTest, AChunkWithoutRequestsSettlesWhenEverythingBeforeItDid) {
  AckWindow window(1);
  EXPECT_EQ(window.Dispatched(3, 0), 3u);
  EXPECT_EQ(window.Dispatched(5, 1), std::nullopt);
  EXPECT_EQ(window.Dispatched(6, 0), std::nullopt);
  EXPECT_EQ(window.Answered(5), 6u);
}

TEST(AckWindowTest, NeverMovesBackwards) {
  AckWindow window(20);
  // Chunks below the position (the queue's bound moved it past them) settle without effect.
  EXPECT_EQ(window.Dispatched(12, 1), std::nullopt);
  EXPECT_EQ(window.Answered(12), std::nullopt);
  EXPECT_EQ(window.position(), 20u);
}

}  // namespace
}  // namespace chiso::forward
