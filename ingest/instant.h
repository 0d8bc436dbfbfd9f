// Instants as senders write them: RFC 3339 ("2025-10-31T17:00:00+07:00", "2025-10-31T10:00:00Z",
// optional fraction of a second) or milliseconds since the Unix epoch ("1761930000000").
#pragma once

#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace chiso::ingest {

// InvalidArgument saying which part is wrong. Fractions finer than a millisecond are truncated.
// Instants before 1970 are refused (the store keeps none).
Result<TimestampMs> ParseInstant(std::string_view text);

}  // namespace chiso::ingest
