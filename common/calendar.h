// Calendar arithmetic for plans and readings: civil dates, the unit's time zone, and reporting
// periods ("2025", "2025-9M", "2025-H1", "2025-Q3", "2025-10", "2025-10-31").
//
// Time zones are fixed UTC offsets. Vietnam has kept UTC+7 without daylight saving since 1975,
// which is all chiso needs; the named zones it knows are listed in ParseTimeZone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Ordered from coarse to fine. kNineMonths is the "9 tháng" review period, January to September
// of a year; unlike the others, nine-month periods do not cover the whole year.
enum class PeriodKind { kYear, kNineMonths, kHalf, kQuarter, kMonth, kDay };

// "year", "nine_months", "half", "quarter", "month", "day".
std::string_view PeriodKindName(PeriodKind kind);
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

// One calendar period. `index` is the half (1..2), quarter (1..4) or month (1..12); for kDay the
// date is year/month/day; for kYear and kNineMonths index is unused.
struct Period {
  PeriodKind kind = PeriodKind::kYear;
  int year = 1970;
  int index = 1;
  int day = 1;  // kDay only

  friend bool operator==(const Period&, const Period&) = default;

  CivilDate FirstDay() const;
  CivilDate LastDay() const;
  // Canonical spelling: 2025, 2025-9M, 2025-H1, 2025-Q3, 2025-10, 2025-10-31.
  std::string ToString() const;
  // The period of the same kind that follows this one.
  Period Next() const;
};

// Parses the spellings above except the nine-month one (no reading or query names a nine-month
// period); the message says which part is wrong.
Result<Period> ParsePeriod(std::string_view text);
// The period of `kind` that contains local date `date`; for kNineMonths, the one of the date's
// year (already over from October on).
Period PeriodContaining(PeriodKind kind, const CivilDate& date);
// The periods of `kind` whose last day lies in [first, last], in order.
std::vector<Period> PeriodsEndingWithin(PeriodKind kind, const CivilDate& first,
                                        const CivilDate& last);

}  // namespace chiso
