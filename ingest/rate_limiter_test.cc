#include "ingest/rate_limiter.h"

#include <gtest/gtest.h>

#include "ingest/in_flight.h"

namespace chiso::ingest {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiterTest, AdmitsTheBurstThenAsksToWaitUntilTheDebtIsPaid) {
  FakeClock clock(1'000'000);
  RateLimiter limiter(clock, 100, 2);  // 100 samples/s, burst 200
  EXPECT_EQ(limiter.Admit("a", 150), std::nullopt);
  EXPECT_EQ(limiter.Admit("a", 150), std::nullopt);  // in credit when admitted: now 100 in debt
  EXPECT_EQ(limiter.Admit("a", 1), milliseconds(1000));
  EXPECT_EQ(limiter.Admit("b", 10), std::nullopt);  // each token has its own bucket
  clock.Advance(400);
  EXPECT_EQ(limiter.Admit("a", 1), milliseconds(600));
  clock.Advance(600);
  EXPECT_EQ(limiter.Admit("a", 1), std::nullopt);
}

TEST(RateLimiterTest, ZeroRateAdmitsEverything) {
  FakeClock clock(0);
  RateLimiter limiter(clock, 0, 10);
  EXPECT_EQ(limiter.Admit("a", 1'000'000'000), std::nullopt);
}

TEST(InFlightGateTest, BoundsBytesInFlight) {
  InFlightGate gate(100);
  auto first = gate.TryEnter(60);
  ASSERT_TRUE(first);
  EXPECT_FALSE(gate.TryEnter(50));
  {
    auto second = gate.TryEnter(40);
    EXPECT_TRUE(second);
    EXPECT_EQ(gate.used(), 100u);
  }
  EXPECT_EQ(gate.used(), 60u);
  InFlightGate empty(10);
  EXPECT_TRUE(empty.TryEnter(1000));  // larger than the budget, alone: admitted
}

}  // namespace
}  // namespace chiso::ingest
