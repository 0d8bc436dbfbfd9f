#include "ingest/instant.h"

#include <charconv>
#include <string>

#include "common/calendar.h"
#include "ingest/text.h"

namespace chiso::ingest {
namespace {

// Reads exactly `width` digits at text[*at]; false when they are not all digits.
bool Digits(std::string_view text, std::size_t* at, std::size_t width, int* out) {
  if (*at + width > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *at += width;
  *out = value;
  return true;
}

bool Expect(std::string_view text, std::size_t* at, std::string_view one_of) {
  if (*at >= text.size() || one_of.find(text[*at]) == std::string_view::npos) return false;
  ++*at;
  return true;
}

Status Malformed(std::string_view text, std::string_view why) {
  return Status::InvalidArgument(
      "time " + Quote(text) + " " + std::string(why) +
      "; use RFC 3339 (2025-10-31T17:00:00+07:00) or epoch milliseconds");
}

Result<TimestampMs> ParseEpochMs(std::string_view text) {
  TimestampMs value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return Malformed(text, "is too large for epoch milliseconds");
  }
  return value;
}

Result<TimestampMs> ParseRfc3339(std::string_view text) {
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(text, &at, 4, &year) || !Expect(text, &at, "-") || !Digits(text, &at, 2, &month) ||
      !Expect(text, &at, "-") || !Digits(text, &at, 2, &day)) {
    return Malformed(text, "does not start with a date YYYY-MM-DD");
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return Malformed(text, "names a day that does not exist");
  }
  if (!Expect(text, &at, "Tt ") || !Digits(text, &at, 2, &hour) || !Expect(text, &at, ":") ||
      !Digits(text, &at, 2, &minute) || !Expect(text, &at, ":") || !Digits(text, &at, 2, &second)) {
    return Malformed(text, "has no time of day THH:MM:SS after the date");
  }
  if (hour > 23 || minute > 59 || second > 59)
    return Malformed(text, "has a time of day out of range");
  int millis = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    std::size_t digits = 0;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[at] - '0');
      ++digits;
      ++at;
    }
    if (digits == 0) return Malformed(text, "has a '.' without fraction digits");
    for (std::size_t d = digits; d < 3; ++d) millis *= 10;
  }
  int offset_minutes = 0;
  if (Expect(text, &at, "Zz")) {
    offset_minutes = 0;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int sign = text[at] == '-' ? -1 : 1;
    ++at;
    int offset_hours = 0, offset_mins = 0;
    if (!Digits(text, &at, 2, &offset_hours) || !Expect(text, &at, ":") ||
        !Digits(text, &at, 2, &offset_mins) || offset_hours > 23 || offset_mins > 59) {
      return Malformed(text, "has a malformed UTC offset (want +HH:MM)");
    }
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  } else {
    return Malformed(text, "has no UTC offset (end it with Z or +07:00)");
  }
  if (at != text.size()) return Malformed(text, "has extra characters after the UTC offset");
  const std::int64_t days = DaysFromCivil(CivilDate{year, month, day});
  const std::int64_t seconds =
      days * 86'400 + hour * 3'600 + minute * 60 + second - std::int64_t{offset_minutes} * 60;
  const TimestampMs instant = seconds * 1000 + millis;
  if (instant < 0) return Malformed(text, "is before 1970-01-01T00:00:00Z");
  return instant;
}

}  // namespace

Result<TimestampMs> ParseInstant(std::string_view text) {
  if (text.empty()) return Malformed(text, "is empty");
  if (text.find_first_not_of("0123456789") == std::string_view::npos) return ParseEpochMs(text);
  if (text[0] == '-' && text.size() > 1 &&
      text.find_first_not_of("0123456789", 1) == std::string_view::npos) {
    return Malformed(text, "is before 1970-01-01T00:00:00Z");
  }
  return ParseRfc3339(text);
}

}  // namespace chiso::ingest
