#include "store/internal/decimal.h"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>

namespace chiso::store_internal {
namespace {

constexpr std::array<double, 23> kPowersOfTen = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool SameBits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace

double FromDecimal(std::int64_t mantissa, int exponent) {
  const auto m = static_cast<double>(mantissa);
  return exponent >= 0 ? m * kPowersOfTen[exponent] : m / kPowersOfTen[-exponent];
}

namespace {

// Most readings have few decimal places: for k = 0, 1, ... value * 10^k rounded is the mantissa
// once it gives `value` back. While |value| * 10^k < 2^52, the doubles that round to `value`
// span less than 10^-k, so that mantissa is the only one with k places, and the first k found
// gives the fewest digits: the decimal ShortestDigits finds, without printing the value.
std::optional<Decimal> FewPlaces(double value) {
  constexpr double kUniqueBelow = 4503599627370496.0;  // 2^52
  constexpr int kMostPlaces = 9;
  for (int places = 0; places <= kMostPlaces; ++places) {
    const double scaled = value * kPowersOfTen[places];
    if (!(std::fabs(scaled) < kUniqueBelow)) return std::nullopt;
    Decimal decimal{static_cast<std::int64_t>(std::nearbyint(scaled)), -places};
    if (!SameBits(FromDecimal(decimal.mantissa, decimal.exponent), value)) continue;
    while (places == 0 && decimal.mantissa != 0 && decimal.mantissa % 10 == 0) {
      decimal.mantissa /= 10;  // 1200 is 12e2
      ++decimal.exponent;
    }
    return decimal;
  }
  return std::nullopt;
}

// The decimal of the shortest text that reads back as `value`.
std::optional<Decimal> ShortestDigits(double value) {
  char text[32];
  const auto [end, error] =
      std::to_chars(text, text + sizeof text, value, std::chars_format::scientific);
  if (error != std::errc()) return std::nullopt;
  // Shape: [-]d[.ddd]e(+|-)dd
  const char* p = text;
  const bool negative = *p == '-';
  if (negative) ++p;
  std::int64_t mantissa = 0;
  int digits = 0;
  for (; p < end && *p != 'e'; ++p) {
    if (*p == '.') continue;
    if (++digits > 17) return std::nullopt;
    mantissa = mantissa * 10 + (*p - '0');
  }
  int exponent = 0;
  if (p == end || std::from_chars(p + (p[1] == '+' ? 2 : 1), end, exponent).ec != std::errc()) {
    return std::nullopt;
  }
  exponent -= digits - 1;
  if (mantissa >= kMaxExactMantissa || exponent < -kMaxDecimalExponent ||
      exponent > kMaxDecimalExponent) {
    return std::nullopt;
  }
  Decimal decimal{negative ? -mantissa : mantissa, exponent};
  if (!SameBits(FromDecimal(decimal.mantissa, decimal.exponent), value)) {
    return std::nullopt;  // -0.0
  }
  return decimal;
}

}  // namespace

std::optional<Decimal> ToDecimal(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  if (auto few = FewPlaces(value)) return few;
  return ShortestDigits(value);
}

std::optional<std::int64_t> MantissaAt(const Decimal& decimal, int exponent, double value) {
  if (exponent < -kMaxDecimalExponent || exponent > decimal.exponent) return std::nullopt;
  std::int64_t mantissa = decimal.mantissa;
  for (int e = decimal.exponent; e > exponent; --e) {
    if (mantissa >= kMaxExactMantissa / 10 || mantissa <= -kMaxExactMantissa / 10) {
      return std::nullopt;
    }
    mantissa *= 10;
  }
  if (!SameBits(FromDecimal(mantissa, exponent), value)) return std::nullopt;
  return mantissa;
}

}  // namespace chiso::store_internal
