// Calendar arithmetic for plans and readings: civil dates, the unit's time zone, and reporting
// periods ("2025", "2025-H1", "2025-Q3", "2025-10", "2025-10-31").
//
// Time zones are fixed UTC offsets. Vietnam has kept UTC+7 without daylight saving since 1975,
// which is all chiso needs; the named zones it knows are listed in ParseTimeZone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace chiso {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
  std::string ToString() const;  // YYYY-MM-DD
};

// Days since 1970-01-01 (negative before). Valid for any proleptic Gregorian date.
std::int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(std::int64_t days);
int DaysInMonth(int year, int month);

// Strict YYYY-MM-DD; the message names what is wrong.
Result<CivilDate> ParseIsoDate(std::string_view text);

struct TimeZone {
  std::string name = "Asia/Ho_Chi_Minh";
  int offset_minutes = 7 * 60;  // local = UTC + offset
};

// Accepts "UTC", "Asia/Ho_Chi_Minh" (alias "Asia/Saigon") and "+HH:MM" / "-HH:MM".
Result<TimeZone> ParseTimeZone(std::string_view text);

// First millisecond of `date` in `zone`.
TimestampMs StartOfDay(const CivilDate& date, const TimeZone& zone);
// Last millisecond of `date` in `zone`: how chiso reads a deadline or milestone date.
TimestampMs EndOfDay(const CivilDate& date, const TimeZone& zone);
// The local civil date of an instant.
CivilDate LocalDate(TimestampMs instant, const TimeZone& zone);
// RFC 3339 in `zone` with milliseconds: "2025-10-31T23:59:59.999+07:00", or "…Z" in UTC.
std::string FormatInstant(TimestampMs instant, const TimeZone& zone = TimeZone{"UTC", 0});

enum class PeriodKind { kYear, kHalf, kQuarter, kMonth, kDay };

std::string_view PeriodKindName(PeriodKind kind);  // "year", "half", "quarter", "month", "day"
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

// One calendar period. `index` is the half (1..2), quarter (1..4) or month (1..12); for kDay the
// date is year/month/day; for kYear index is unused.
struct Period {
  PeriodKind kind = PeriodKind::kYear;
  int year = 1970;
  int index = 1;
  int day = 1;  // kDay only

  friend bool operator==(const Period&, const Period&) = default;

  CivilDate FirstDay() const;
  CivilDate LastDay() const;
  // Canonical spelling: 2025, 2025-H1, 2025-Q3, 2025-10, 2025-10-31.
  std::string ToString() const;
  // The period of the same kind that follows this one.
  Period Next() const;
};

// Parses the five spellings above; the message says which part is wrong.
Result<Period> ParsePeriod(std::string_view text);
// The period of `kind` that contains local date `date`.
Period PeriodContaining(PeriodKind kind, const CivilDate& date);

}  // namespace chiso
