#include "store/internal/sample_block.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace chiso::store_internal {
namespace {

constexpr TimestampMs kDayStart = 1'790'812'800'000;  // 2026-10-01T00:00:00Z

std::uint64_t Bits(double value) { return std::bit_cast<std::uint64_t>(value); }

void ExpectRoundTrip(const std::vector<BlockSample>& samples, std::size_t* encoded_size = nullptr) {
  const std::string encoded = EncodeSampleBlock(samples);
  if (encoded_size != nullptr) *encoded_size = encoded.size();
  std::vector<BlockSample> decoded;
  ASSERT_TRUE(DecodeSampleBlock(encoded, decoded));
  ASSERT_EQ(decoded.size(), samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(decoded[i].timestamp, samples[i].timestamp) << i;
    EXPECT_EQ(Bits(decoded[i].value), Bits(samples[i].value)) << i << " " << samples[i].value;
    EXPECT_EQ(decoded[i].writer, samples[i].writer) << i;
    EXPECT_EQ(decoded[i].arrived_at, samples[i].arrived_at) << i;
  }
}

// A day of one sample a minute: a counter and a two-decimal gauge take at most 4 and 5 bytes a
// sample before compression: a byte of timestamp (zero deltas of deltas, which compression then
// removes), one or two of value, two of arrival time.
TEST(SampleBlockTest, MinutelyDecimalsRoundTripCompactly) {
  std::vector<BlockSample> counter, gauge;
  double count = 0, level = 50;
  std::mt19937 random(7);
  for (int minute = 0; minute < 1440; ++minute) {
    const TimestampMs at = kDayStart + minute * 60'000LL;
    const TimestampMs arrival = at + static_cast<TimestampMs>(random() % 2000);
    count += random() % 21;
    level = std::round((level + (static_cast<int>(random() % 201) - 100) / 100.0) * 100) / 100;
    counter.push_back({at, count, 2, arrival});
    gauge.push_back({at, level, 2, arrival});
  }
  std::size_t counter_bytes = 0, gauge_bytes = 0;
  ExpectRoundTrip(counter, &counter_bytes);
  ExpectRoundTrip(gauge, &gauge_bytes);
  EXPECT_LT(counter_bytes, 1440 * 4);
  EXPECT_LT(gauge_bytes, 1440 * 5);
}

// Values that are no decimals with one shared exponent fall back to raw bits, kept exactly.
TEST(SampleBlockTest, ValuesWithoutCommonDecimalRoundTripBitExactly) {
  const double values[] = {57.3,
                           -0.0,
                           0.1 + 0.2,
                           1e22,
                           1e-22,
                           5e-324,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN(),
                           std::bit_cast<double>(std::uint64_t{0x7ff0000000000002})};  // stale
  std::vector<BlockSample> samples;
  for (double value : values) {
    samples.push_back(
        {kDayStart + static_cast<TimestampMs>(samples.size()) * 1000, value, 0, kDayStart});
  }
  ExpectRoundTrip(samples);
  // Decimals whose common exponent would overflow the mantissa: 1e15 and 0.001.
  ExpectRoundTrip({{kDayStart, 1e15, 0, kDayStart}, {kDayStart + 1, 0.001, 0, kDayStart}});
}

TEST(SampleBlockTest, IrregularTimesWritersAndArrivalsRoundTrip) {
  std::mt19937_64 random(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<BlockSample> samples;
    TimestampMs at = kDayStart + static_cast<TimestampMs>(random() % 1000);
    const int count = 1 + static_cast<int>(random() % 300);
    for (int i = 0; i < count; ++i) {
      const double value = random() % 4 == 0 ? std::bit_cast<double>(random())
                                             : static_cast<double>(random() % 100000) / 100;
      const auto writer = static_cast<WriterId>(random() % 3 == 0 ? random() % 5 : 1);
      const auto arrival = at - 5000 + static_cast<TimestampMs>(random() % 1'000'000'000);
      samples.push_back({at, value, writer, arrival});
      at += 1 + static_cast<TimestampMs>(random() % (random() % 2 == 0 ? 60'000 : 7));
    }
    ExpectRoundTrip(samples);
  }
}

TEST(SampleBlockTest, DamagedBlocksAreRefused) {
  std::vector<BlockSample> samples;
  for (int i = 0; i < 50; ++i) samples.push_back({kDayStart + i * 60'000, i * 1.5, 1, kDayStart});
  const std::string encoded = EncodeSampleBlock(samples);
  std::vector<BlockSample> decoded;
  for (std::size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_FALSE(DecodeSampleBlock(encoded.substr(0, size), decoded)) << size;
  }
  EXPECT_FALSE(DecodeSampleBlock(encoded + "x", decoded));
  // Random bytes never crash the decoder (ASan/UBSan builds check the arithmetic).
  std::mt19937_64 random(3);
  for (int i = 0; i < 5000; ++i) {
    std::string noise = encoded;
    noise[random() % noise.size()] = static_cast<char>(random());
    DecodeSampleBlock(noise, decoded);
  }
}

TEST(SampleBlockTest, OnlyPlainRecordsAreSealable) {
  EXPECT_TRUE(Sealable({1.5, 0, 0, 0, std::nullopt, 0}));
  EXPECT_FALSE(Sealable({1.5, 0, 0, 1, std::nullopt, 0}));
  EXPECT_FALSE(Sealable({1.5, 0, 0, 0, "checked", 0}));
}

}  // namespace
}  // namespace chiso::store_internal
