// How alert annotations write numbers, dates, periods and durations for Vietnamese readers: 57,3
// (decimal comma), 31/12/2025, quý III/2026, 31/12/2025 08:30, 3 ngày.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/calendar.h"
#include "common/clock.h"

namespace chiso::rules {

// `decimals` digits after the comma, none for whole numbers; "chưa có" for no value or NaN.
std::string VietnameseNumber(std::optional<double> value, int decimals = 1);
// At most `max_decimals` digits after the comma, trailing zeros dropped: 0,25; 57,3; 90.
std::string VietnameseShortNumber(double value, int max_decimals = 3);
// dd/mm/yyyy of the instant's local date in `zone`.
std::string VietnameseDate(TimestampMs instant, const TimeZone& zone);
std::string VietnameseDate(const CivilDate& date);
// A report period as Vietnamese documents write it: "tháng 10/2026", "quý III/2026", "6 tháng
// đầu năm 2026", "6 tháng cuối năm 2026", "9 tháng năm 2026", "năm 2026"; a day as dd/mm/yyyy.
std::string VietnamesePeriod(const Period& period);
// dd/mm/yyyy HH:MM in `zone`.
std::string VietnameseDateTime(TimestampMs instant, const TimeZone& zone);
// The largest whole unit: "3 ngày", "12 giờ", "30 phút", "45 giây" (rounded down).
std::string VietnameseDuration(std::chrono::milliseconds duration);

}  // namespace chiso::rules
