#include "common/calendar.h"

#include <charconv>
#include <cstdio>

namespace chiso {
namespace {

constexpr std::int64_t kMsPerMinute = 60'000;

// Parses exactly `width` decimal digits.
std::optional<int> ParseDigits(std::string_view text, std::size_t width) {
  if (text.size() != width) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

int LastMonthOf(PeriodKind kind, int index) {
  switch (kind) {
    case PeriodKind::kYear:
      return 12;
    case PeriodKind::kNineMonths:
      return 9;
    case PeriodKind::kHalf:
      return index * 6;
    case PeriodKind::kQuarter:
      return index * 3;
    case PeriodKind::kMonth:
    case PeriodKind::kDay:
      return index;
  }
  return 12;
}

}  // namespace

std::string CivilDate::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t DaysFromCivil(const CivilDate& d) {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Result<CivilDate> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return Status::InvalidArgument("date '" + std::string(text) +
                                   "' is not in the form YYYY-MM-DD");
  }
  auto year = ParseDigits(text.substr(0, 4), 4);
  auto month = ParseDigits(text.substr(5, 2), 2);
  auto day = ParseDigits(text.substr(8, 2), 2);
  if (!year || !month || !day) {
    return Status::InvalidArgument("date '" + std::string(text) +
                                   "' has a non-digit where a digit belongs");
  }
  if (*month < 1 || *month > 12) {
    return Status::InvalidArgument("date '" + std::string(text) + "' has month " +
                                   std::to_string(*month) + ", outside 1..12");
  }
  if (*day < 1 || *day > DaysInMonth(*year, *month)) {
    return Status::InvalidArgument("date '" + std::string(text) + "' has day " +
                                   std::to_string(*day) + ", but that month has " +
                                   std::to_string(DaysInMonth(*year, *month)) + " days");
  }
  return CivilDate{*year, *month, *day};
}

Result<TimeZone> ParseTimeZone(std::string_view text) {
  if (text == "UTC" || text == "Etc/UTC") return TimeZone{std::string(text), 0};
  if (text == "Asia/Ho_Chi_Minh" || text == "Asia/Saigon")
    return TimeZone{std::string(text), 7 * 60};
  if (text.size() == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':') {
    auto hours = ParseDigits(text.substr(1, 2), 2);
    auto minutes = ParseDigits(text.substr(4, 2), 2);
    if (hours && minutes && *hours <= 14 && *minutes < 60) {
      int offset = *hours * 60 + *minutes;
      return TimeZone{std::string(text), text[0] == '-' ? -offset : offset};
    }
  }
  return Status::InvalidArgument(
      "time zone '" + std::string(text) +
      "' is not known; use Asia/Ho_Chi_Minh, UTC or an offset like +07:00");
}

TimestampMs StartOfDay(const CivilDate& date, const TimeZone& zone) {
  return DaysFromCivil(date) * kMsPerDay - zone.offset_minutes * kMsPerMinute;
}

TimestampMs EndOfDay(const CivilDate& date, const TimeZone& zone) {
  return StartOfDay(date, zone) + kMsPerDay - 1;
}

CivilDate LocalDate(TimestampMs instant, const TimeZone& zone) {
  const TimestampMs local = instant + zone.offset_minutes * kMsPerMinute;
  std::int64_t days = local / kMsPerDay;
  if (local % kMsPerDay < 0) --days;
  return CivilFromDays(days);
}

std::string FormatInstant(TimestampMs instant, const TimeZone& zone) {
  const TimestampMs local = instant + zone.offset_minutes * kMsPerMinute;
  std::int64_t days = local / kMsPerDay;
  if (local % kMsPerDay < 0) --days;
  const TimestampMs in_day = local - days * kMsPerDay;
  char offset[16] = "Z";
  if (zone.offset_minutes != 0) {
    const int minutes = zone.offset_minutes < 0 ? -zone.offset_minutes : zone.offset_minutes;
    std::snprintf(offset, sizeof offset, "%c%02d:%02d", zone.offset_minutes < 0 ? '-' : '+',
                  minutes / 60, minutes % 60);
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03d%s", CivilFromDays(days).ToString().c_str(),
                static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
                static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000), offset);
  return buf;
}

std::string_view PeriodKindName(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kYear:
      return "year";
    case PeriodKind::kNineMonths:
      return "nine_months";
    case PeriodKind::kHalf:
      return "half";
    case PeriodKind::kQuarter:
      return "quarter";
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kDay:
      return "day";
  }
  return "year";
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  for (PeriodKind kind : {PeriodKind::kYear, PeriodKind::kNineMonths, PeriodKind::kHalf,
                          PeriodKind::kQuarter, PeriodKind::kMonth, PeriodKind::kDay}) {
    if (PeriodKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

CivilDate Period::FirstDay() const {
  switch (kind) {
    case PeriodKind::kYear:
    case PeriodKind::kNineMonths:
      return {year, 1, 1};
    case PeriodKind::kHalf:
      return {year, (index - 1) * 6 + 1, 1};
    case PeriodKind::kQuarter:
      return {year, (index - 1) * 3 + 1, 1};
    case PeriodKind::kMonth:
      return {year, index, 1};
    case PeriodKind::kDay:
      return {year, index, day};
  }
  return {year, 1, 1};
}

CivilDate Period::LastDay() const {
  if (kind == PeriodKind::kDay) return {year, index, day};
  const int month = LastMonthOf(kind, index);
  return {year, month, DaysInMonth(year, month)};
}

std::string Period::ToString() const {
  char buf[16];
  switch (kind) {
    case PeriodKind::kYear:
      std::snprintf(buf, sizeof buf, "%04d", year);
      break;
    case PeriodKind::kNineMonths:
      std::snprintf(buf, sizeof buf, "%04d-9M", year);
      break;
    case PeriodKind::kHalf:
      std::snprintf(buf, sizeof buf, "%04d-H%d", year, index);
      break;
    case PeriodKind::kQuarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index);
      break;
    case PeriodKind::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
      break;
    case PeriodKind::kDay:
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, index, day);
      break;
  }
  return buf;
}

Period Period::Next() const {
  if (kind == PeriodKind::kDay) {
    CivilDate next = CivilFromDays(DaysFromCivil({year, index, day}) + 1);
    return {PeriodKind::kDay, next.year, next.month, next.day};
  }
  const int count = kind == PeriodKind::kYear || kind == PeriodKind::kNineMonths ? 1
                    : kind == PeriodKind::kHalf                                  ? 2
                    : kind == PeriodKind::kQuarter                               ? 4
                                                                                 : 12;
  if (count == 1 || index == count) return {kind, year + 1, 1, 1};
  return {kind, year, index + 1, 1};
}

Result<Period> ParsePeriod(std::string_view text) {
  const std::string quoted = "period '" + std::string(text) + "'";
  auto year = text.size() >= 4 ? ParseDigits(text.substr(0, 4), 4) : std::nullopt;
  if (!year) return Status::InvalidArgument(quoted + " must start with a four-digit year");
  if (text.size() == 4) return Period{PeriodKind::kYear, *year, 1, 1};
  if (text[4] != '-') return Status::InvalidArgument(quoted + " needs '-' after the year");
  std::string_view rest = text.substr(5);
  if (rest.size() == 2 && (rest[0] == 'H' || rest[0] == 'Q')) {
    auto n = ParseDigits(rest.substr(1), 1);
    const int count = rest[0] == 'H' ? 2 : 4;
    if (!n || *n < 1 || *n > count) {
      return Status::InvalidArgument(quoted + (rest[0] == 'H' ? " has a half other than H1 or H2"
                                                              : " has a quarter outside Q1..Q4"));
    }
    return Period{rest[0] == 'H' ? PeriodKind::kHalf : PeriodKind::kQuarter, *year, *n, 1};
  }
  if (rest.size() == 2) {
    auto month = ParseDigits(rest, 2);
    if (!month || *month < 1 || *month > 12) {
      return Status::InvalidArgument(quoted + " has a month outside 01..12");
    }
    return Period{PeriodKind::kMonth, *year, *month, 1};
  }
  if (rest.size() == 5) {
    auto date = ParseIsoDate(text);
    if (!date.ok()) return date.status();
    return Period{PeriodKind::kDay, date->year, date->month, date->day};
  }
  return Status::InvalidArgument(quoted +
                                 " is not one of YYYY, YYYY-H1, YYYY-Q3, YYYY-MM, YYYY-MM-DD");
}

Period PeriodContaining(PeriodKind kind, const CivilDate& date) {
  switch (kind) {
    case PeriodKind::kYear:
    case PeriodKind::kNineMonths:
      return {kind, date.year, 1, 1};
    case PeriodKind::kHalf:
      return {kind, date.year, (date.month - 1) / 6 + 1, 1};
    case PeriodKind::kQuarter:
      return {kind, date.year, (date.month - 1) / 3 + 1, 1};
    case PeriodKind::kMonth:
      return {kind, date.year, date.month, 1};
    case PeriodKind::kDay:
      return {kind, date.year, date.month, date.day};
  }
  return {kind, date.year, 1, 1};
}

std::vector<Period> PeriodsEndingWithin(PeriodKind kind, const CivilDate& first,
                                        const CivilDate& last) {
  std::vector<Period> out;
  Period p = PeriodContaining(kind, first);
  if (p.LastDay() < first) p = p.Next();  // a nine-month period over before `first`
  for (; p.LastDay() <= last; p = p.Next()) out.push_back(p);
  return out;
}

}  // namespace chiso
