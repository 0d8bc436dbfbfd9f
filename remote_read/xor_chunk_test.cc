#include "remote_read/xor_chunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "remote_read/testing/xor_decoder.h"

namespace chiso::remote_read {
namespace {

void ExpectRoundTrip(const std::vector<Point>& points) {
  const std::string chunk = EncodeXorChunk(points);
  ASSERT_GE(chunk.size(), 2u);
  EXPECT_EQ((static_cast<unsigned char>(chunk[0]) << 8) | static_cast<unsigned char>(chunk[1]),
            static_cast<int>(points.size()));
  auto decoded = testing::DecodeXorChunk(chunk);
  ASSERT_TRUE(decoded.has_value());
  ASSERT_EQ(decoded->size(), points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ((*decoded)[i].timestamp, points[i].timestamp) << i;
    EXPECT_EQ(std::bit_cast<std::uint64_t>((*decoded)[i].value),
              std::bit_cast<std::uint64_t>(points[i].value))
        << i;
  }
}

TEST(XorChunkTest, OneSampleIsItsVarintTimestampAndRawValue) {
  // 2-byte count, ZigZag varint of 1 (0x02), then the 64 bits of 1.0.
  EXPECT_EQ(EncodeXorChunk(std::vector<Point>{{1, 1.0}}),
            std::string("\x00\x01\x02\x3f\xf0\x00\x00\x00\x00\x00\x00", 11));
  EXPECT_EQ(EncodeXorChunk({}), std::string("\x00\x00", 2));
}

TEST(XorChunkTest, MonthlyReadingsRoundTrip) {
  // Month ends in Vietnam time: irregular deltas (28..31 days), repeated and changing values.
  std::vector<Point> points;
  const TimestampMs day = 86'400'000;
  TimestampMs t = 1'735'664'399'999;  // 2024-12-31T23:59:59.999+07:00
  const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int i = 0; i < 12; ++i) {
    t += days[i] * day;
    points.push_back({t, i < 3 ? 52.0 : 52.0 + i * 0.7});
  }
  ExpectRoundTrip(points);
}

TEST(XorChunkTest, EveryDeltaOfDeltaWidthAndSpecialValuesRoundTrip) {
  // Deltas of deltas of 0, 14, 17, 20 and 64 bits, negative ones, and their boundaries.
  std::vector<Point> points{{-5000, 0}, {-4000, -0.0}, {-3000, 1}};
  TimestampMs t = -3000, delta = 1000;
  for (std::int64_t dod :
       {std::int64_t{8192}, std::int64_t{-8191}, std::int64_t{8193}, std::int64_t{65536},
        std::int64_t{-65535}, std::int64_t{65537}, std::int64_t{524288}, std::int64_t{-524287},
        std::int64_t{524289}, std::int64_t{1} << 40, std::int64_t{0}}) {
    delta += dod;
    t += delta;
    points.push_back({t, static_cast<double>(points.size())});
  }
  points.push_back({t + 1, std::numeric_limits<double>::quiet_NaN()});
  points.push_back({t + 2, std::numeric_limits<double>::infinity()});
  points.push_back({t + 3, std::numeric_limits<double>::denorm_min()});
  points.push_back({t + 4, -1e300});
  ExpectRoundTrip(points);
}

TEST(XorChunkTest, RandomSeriesRoundTrip) {
  std::mt19937_64 random(57);
  for (int round = 0; round < 50; ++round) {
    std::vector<Point> points;
    TimestampMs t = static_cast<TimestampMs>(random() % 2'000'000'000'000);
    for (std::size_t i = 0; i < kMaxSamplesPerChunk; ++i) {
      t += 1 + static_cast<TimestampMs>(random() % (round % 2 == 0 ? 60'000 : 4'000'000'000));
      const double value = round % 3 == 0 ? std::bit_cast<double>(random())
                                          : std::round(std::ldexp(double(random() % 1000), -2));
      points.push_back({t, value});
    }
    ExpectRoundTrip(points);
  }
}

}  // namespace
}  // namespace chiso::remote_read
