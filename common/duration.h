// Durations written the way Prometheus writes them: "500ms", "30s", "5m", "1h30m", "7d", "2w".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace chiso {

// Units ms, s, m, h, d (24 h), w (7 d), y (365 d), largest first, each at most once.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace chiso
