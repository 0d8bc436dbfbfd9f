#include "rules/alerting/alert_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace chiso::rules {

std::string VietnameseNumber(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) return "chưa có";
  char buf[48];
  if (std::fabs(*value - std::round(*value)) < 1e-9) {
    std::snprintf(buf, sizeof buf, "%.0f", *value);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, *value);
  }
  std::string out = buf;
  std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

std::string VietnameseShortNumber(double value, int max_decimals) {
  std::string out = VietnameseNumber(value, max_decimals);
  if (out.find(',') == std::string::npos) return out;
  while (out.back() == '0') out.pop_back();
  if (out.back() == ',') out.pop_back();
  return out;
}

std::string VietnameseDate(TimestampMs instant, const TimeZone& zone) {
  return VietnameseDate(LocalDate(instant, zone));
}

std::string VietnameseDate(const CivilDate& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", date.day, date.month, date.year);
  return buf;
}

std::string VietnamesePeriod(const Period& period) {
  const std::string year = std::to_string(period.year);
  switch (period.kind) {
    case PeriodKind::kMonth:
      return "tháng " + std::to_string(period.index) + "/" + year;
    case PeriodKind::kQuarter: {
      constexpr const char* kRoman[] = {"I", "II", "III", "IV"};
      return std::string("quý ") + kRoman[std::clamp(period.index, 1, 4) - 1] + "/" + year;
    }
    case PeriodKind::kHalf:
      return (period.index == 1 ? "6 tháng đầu năm " : "6 tháng cuối năm ") + year;
    case PeriodKind::kNineMonths:
      return "9 tháng năm " + year;
    case PeriodKind::kYear:
      return "năm " + year;
    case PeriodKind::kDay:
      return VietnameseDate(period.LastDay());
  }
  return period.ToString();
}

std::string VietnameseDateTime(TimestampMs instant, const TimeZone& zone) {
  constexpr TimestampMs kMinute = 60'000;
  const TimestampMs since_midnight = instant - StartOfDay(LocalDate(instant, zone), zone);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(since_midnight / (60 * kMinute)),
                static_cast<int>(since_midnight / kMinute % 60));
  return VietnameseDate(instant, zone) + " " + buf;
}

std::string VietnameseDuration(std::chrono::milliseconds duration) {
  using std::chrono::duration_cast;
  const auto days = duration_cast<std::chrono::days>(duration).count();
  if (days > 0) return std::to_string(days) + " ngày";
  const auto hours = duration_cast<std::chrono::hours>(duration).count();
  if (hours > 0) return std::to_string(hours) + " giờ";
  const auto minutes = duration_cast<std::chrono::minutes>(duration).count();
  if (minutes > 0) return std::to_string(minutes) + " phút";
  return std::to_string(duration_cast<std::chrono::seconds>(duration).count()) + " giây";
}

}  // namespace chiso::rules
