// Doubles as decimals m * 10^e, when that reproduces them bit for bit: most readings are short
// decimals (57.3, 1200, 0.05) whose mantissa takes a few bytes where the double takes 8.
#pragma once

#include <cstdint>
#include <optional>

namespace chiso::store_internal {

// |exponent| of a Decimal never exceeds this: one IEEE multiplication or division by a power of
// ten up to 10^22 is exactly rounded.
inline constexpr int kMaxDecimalExponent = 22;
// |mantissa| stays below 2^53, the integers a double holds exactly.
inline constexpr std::int64_t kMaxExactMantissa = std::int64_t{1} << 53;

struct Decimal {
  std::int64_t mantissa = 0;
  int exponent = 0;
};

// mantissa * 10^exponent; exponent must lie within ±kMaxDecimalExponent.
double FromDecimal(std::int64_t mantissa, int exponent);

// The shortest decimal whose FromDecimal is `value` bit for bit; nullopt for NaN, infinities,
// -0 and values needing more digits or a wider exponent.
std::optional<Decimal> ToDecimal(double value);

// `decimal` with its exponent lowered to `exponent` (<= decimal.exponent), when the mantissa
// stays below kMaxExactMantissa and FromDecimal still gives `value` bit for bit.
std::optional<std::int64_t> MantissaAt(const Decimal& decimal, int exponent, double value);

}  // namespace chiso::store_internal
