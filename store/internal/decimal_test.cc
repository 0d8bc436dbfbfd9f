#include "store/internal/decimal.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <string>

namespace chiso::store_internal {
namespace {

// The decimal of to_chars' shortest text ("-1.25e+01" is -125e-1), or none where the store
// keeps the double: more than 2^53 in the mantissa, an exponent beyond ±22, -0.
std::optional<Decimal> FromShortestText(double value) {
  char text[32];
  const auto end =
      std::to_chars(text, text + sizeof text, value, std::chars_format::scientific).ptr;
  const std::string shortest(text, end);
  const std::size_t e = shortest.find('e');
  std::string digits;
  for (char c : shortest.substr(0, e)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  const std::uint64_t mantissa = std::stoull(digits);
  const int exponent = std::stoi(shortest.substr(e + 1)) - static_cast<int>(digits.size() - 1);
  if (std::signbit(value) && value == 0) return std::nullopt;
  if (mantissa >= std::uint64_t{1} << 53 || exponent < -22 || exponent > 22) return std::nullopt;
  const auto signed_mantissa = static_cast<std::int64_t>(mantissa);
  return Decimal{value < 0 ? -signed_mantissa : signed_mantissa, exponent};
}

::testing::AssertionResult ShortestAndExact(double value) {
  const auto decimal = ToDecimal(value);
  const auto expected = FromShortestText(value);
  if (decimal.has_value() != expected.has_value() ||
      (decimal &&
       (decimal->mantissa != expected->mantissa || decimal->exponent != expected->exponent))) {
    const auto show = [](const std::optional<Decimal>& d) {
      return d ? std::to_string(d->mantissa) + "e" + std::to_string(d->exponent) : "none";
    };
    return ::testing::AssertionFailure()
           << value << " became " << show(decimal) << ", not " << show(expected);
  }
  if (decimal && std::bit_cast<std::uint64_t>(FromDecimal(decimal->mantissa, decimal->exponent)) !=
                     std::bit_cast<std::uint64_t>(value)) {
    return ::testing::AssertionFailure() << value << " came back different";
  }
  return ::testing::AssertionSuccess();
}

TEST(DecimalTest, ReadingsBecomeTheirShortestDecimal) {
  EXPECT_TRUE(ShortestAndExact(0.0));
  EXPECT_TRUE(ShortestAndExact(1200));
  EXPECT_TRUE(ShortestAndExact(-57.3));
  EXPECT_TRUE(ShortestAndExact(0.05));
  EXPECT_TRUE(ShortestAndExact(0.1 + 0.2));           // 17 digits
  EXPECT_TRUE(ShortestAndExact(4503599627370497.0));  // beyond 2^52
  EXPECT_TRUE(ShortestAndExact(1e22));
  EXPECT_TRUE(ShortestAndExact(1.5e-20));
  const auto decimal = ToDecimal(1200);
  ASSERT_TRUE(decimal);
  EXPECT_EQ(decimal->mantissa, 12);
  EXPECT_EQ(decimal->exponent, 2);
}

TEST(DecimalTest, RandomDecimalsAndDoublesAreShortestAndExact) {
  std::mt19937_64 random(57);
  for (int i = 0; i < 200'000; ++i) {
    // A reading with 0 to 12 decimal places and up to 16 digits.
    const int places = static_cast<int>(random() % 13);
    const auto digits = static_cast<std::int64_t>(random() % 10'000'000'000'000'000LL);
    const double reading =
        static_cast<double>(random() % 2 ? digits : -digits) / std::pow(10.0, places);
    ASSERT_TRUE(ShortestAndExact(reading));
    const double scaled = reading * std::pow(10.0, static_cast<int>(random() % 9));
    ASSERT_TRUE(ShortestAndExact(scaled));
    const double any = std::bit_cast<double>(random());
    if (std::isfinite(any)) {
      ASSERT_TRUE(ShortestAndExact(any));
    }
  }
}

TEST(DecimalTest, NegativeZeroAndNonFiniteHaveNone) {
  EXPECT_FALSE(ToDecimal(-0.0));
  EXPECT_FALSE(ToDecimal(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(ToDecimal(std::numeric_limits<double>::quiet_NaN()));
}

}  // namespace
}  // namespace chiso::store_internal
