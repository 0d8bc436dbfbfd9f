#include "store/internal/sample_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

namespace chiso::store_internal {
namespace {

constexpr TimestampMs kInstant = 1'761'929'999'999;  // 2025-10-31T16:59:59.999Z

SampleRecord RoundTrip(const SampleRecord& record, std::size_t* encoded_size = nullptr) {
  std::string encoded;
  EncodeSampleRecord(record, kInstant, encoded);
  if (encoded_size != nullptr) *encoded_size = encoded.size();
  std::string_view input = encoded;
  SampleRecord decoded;
  EXPECT_TRUE(DecodeSampleRecord(input, kInstant, decoded));
  EXPECT_TRUE(input.empty());
  return decoded;
}

std::uint64_t Bits(double value) { return std::bit_cast<std::uint64_t>(value); }

TEST(SampleCodecTest, ValuesRoundTripBitExactly) {
  const double values[] = {57.3,
                           0.0,
                           -0.0,
                           100,
                           -12.75,
                           0.1 + 0.2,
                           1234567,
                           1e22,
                           1e23,
                           5e-324,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN(),
                           std::bit_cast<double>(std::uint64_t{0x7ff0000000000002})};  // stale
  for (double value : values) {
    SampleRecord record{value, 3, kInstant + 5000, 0, std::nullopt};
    EXPECT_EQ(Bits(RoundTrip(record).value), Bits(value)) << value;
  }
}

TEST(SampleCodecTest, RandomBitPatternsRoundTrip) {
  std::mt19937_64 random(42);
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t bits = random();
    SampleRecord record{std::bit_cast<double>(bits), 0, kInstant, 0, std::nullopt};
    ASSERT_EQ(Bits(RoundTrip(record).value), bits);
  }
  std::uniform_int_distribution<int> tenths(0, 1000);
  for (int i = 0; i < 20000; ++i) {
    const double value = tenths(random) / 10.0;
    SampleRecord record{value, 0, kInstant, 0, std::nullopt};
    ASSERT_EQ(Bits(RoundTrip(record).value), Bits(value));
  }
}

TEST(SampleCodecTest, ShortDecimalsAreCompact) {
  std::size_t size = 0;
  RoundTrip({57.3, 1, kInstant + 100, 0, std::nullopt}, &size);
  EXPECT_EQ(size, 1u + 2u + 1u + 2u);  // tag, mantissa 573, writer, arrival delta
  RoundTrip({1.0 / 3.0, 1, kInstant, 0, std::nullopt}, &size);
  EXPECT_EQ(size, 1u + 8u + 1u + 1u);  // raw double
}

TEST(SampleCodecTest, ProvenanceRevisionAndCommentRoundTrip) {
  const SampleRecord record{70.5,
                            7,
                            kInstant - 86'400'000,
                            3,
                            "số liệu hiệu chỉnh theo báo cáo",
                            kInstant - 2 * 86'400'000};
  const SampleRecord decoded = RoundTrip(record);
  EXPECT_EQ(decoded.writer, 7u);
  EXPECT_EQ(decoded.arrived_at, kInstant - 86'400'000);  // arrival before the instant is allowed
  EXPECT_EQ(decoded.revision, 3u);
  EXPECT_EQ(decoded.comment, record.comment);
  EXPECT_EQ(decoded.first_arrived_at, kInstant - 2 * 86'400'000);
}

TEST(SampleCodecTest, FirstArrivalIsTheArrivalUntilARevisionKeepsIt) {
  const SampleRecord first{55, 1, kInstant + 1000, 0, std::nullopt, 0};
  EXPECT_EQ(RoundTrip(first).first_arrived_at, kInstant + 1000);

  const SampleRecord corrected = Revise(RoundTrip(first), {56, 2, kInstant + 9000, 0, "sửa"});
  EXPECT_EQ(corrected.revision, 1u);
  EXPECT_EQ(corrected.arrived_at, kInstant + 9000);
  const SampleRecord decoded = RoundTrip(corrected);
  EXPECT_EQ(decoded.first_arrived_at, kInstant + 1000);
  EXPECT_EQ(Revise(decoded, {57, 3, kInstant + 20000, 0, std::nullopt}).first_arrived_at,
            kInstant + 1000);
}

TEST(SampleCodecTest, TruncatedRecordsAreRejected) {
  std::string encoded;
  EncodeSampleRecord({1.0 / 3.0, 300, kInstant, 2, "comment"}, kInstant, encoded);
  for (std::size_t length = 0; length < encoded.size(); ++length) {
    std::string_view input(encoded.data(), length);
    SampleRecord record;
    EXPECT_FALSE(DecodeSampleRecord(input, kInstant, record)) << length;
  }
}

TEST(SampleCodecTest, SameReadingComparesValueBitsAndComment) {
  const SampleRecord stored{1.5, 1, kInstant, 0, std::nullopt};
  EXPECT_TRUE(SameReading(stored, {1.5, 2, kInstant + 9, 0, std::nullopt}));
  EXPECT_FALSE(SameReading(stored, {1.5, 1, kInstant, 0, "note"}));
  EXPECT_FALSE(SameReading({0.0, 1, 0, 0, {}}, {-0.0, 1, 0, 0, {}}));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(SameReading({nan, 1, 0, 0, {}}, {nan, 1, 0, 0, {}}));
}

TEST(SampleCodecTest, AuditRecordsRoundTrip) {
  const SampleRecord old_record{10, 1, kInstant + 1, 0, std::nullopt};
  const SampleRecord new_record{11, 2, kInstant + 2, 1, "fix"};
  TimestampMs changed_at = 0;
  SampleRecord old_decoded;
  SampleRecord new_decoded;
  ASSERT_TRUE(DecodeAuditRecord(EncodeAuditRecord(kInstant + 7, old_record, new_record, kInstant),
                                kInstant, changed_at, old_decoded, new_decoded));
  EXPECT_EQ(changed_at, kInstant + 7);
  EXPECT_EQ(old_decoded.value, 10);
  EXPECT_EQ(new_decoded.value, 11);
  EXPECT_EQ(new_decoded.writer, 2u);
  EXPECT_EQ(new_decoded.comment, "fix");
}

TEST(SampleCodecTest, LabelsRoundTrip) {
  const Labels labels{{"__name__", "chiso_reading"}, {"indicator", "dvc"}, {"unit", "gia_lộc"}};
  Labels decoded;
  ASSERT_TRUE(DecodeLabels(EncodeLabels(labels), decoded));
  EXPECT_EQ(decoded, labels);
  EXPECT_FALSE(DecodeLabels(EncodeLabels(labels).substr(1), decoded));
}

}  // namespace
}  // namespace chiso::store_internal
