#include "common/duration.h"

#include <array>
#include <utility>

namespace chiso {
namespace {

constexpr std::array<std::pair<std::string_view, std::int64_t>, 7> kUnits = {{
    {"y", 365LL * 24 * 3600 * 1000},
    {"w", 7LL * 24 * 3600 * 1000},
    {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},
    {"m", 60LL * 1000},
    {"s", 1000},
    {"ms", 1},
}};

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const std::string quoted = "duration '" + std::string(text) + "'";
  if (text.empty()) return Status::InvalidArgument("duration is empty; write e.g. 30s, 5m, 1h30m");
  std::int64_t total = 0;
  std::size_t next_unit = 0;  // units must come largest first, once each
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000'000'000LL) return Status::InvalidArgument(quoted + " is too large");
      ++i;
    }
    if (i == digits_start)
      return Status::InvalidArgument(quoted + " needs a number before each unit");
    const std::size_t unit_start = i;
    while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    std::size_t matched = kUnits.size();
    for (std::size_t u = 0; u < kUnits.size(); ++u) {
      if (kUnits[u].first == unit) matched = u;
    }
    if (matched == kUnits.size()) {
      return Status::InvalidArgument(quoted + " has unit '" + std::string(unit) +
                                     "'; use ms, s, m, h, d, w or y");
    }
    if (matched < next_unit)
      return Status::InvalidArgument(quoted +
                                     " must list units from largest to smallest, each once");
    next_unit = matched + 1;
    total += number * kUnits[matched].second;
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  std::int64_t left = duration.count();
  if (left == 0) return "0s";
  std::string out;
  for (const auto& [unit, size] : kUnits) {
    if (left >= size) {
      out += std::to_string(left / size) + std::string(unit);
      left %= size;
    }
  }
  return out;
}

}  // namespace chiso
