// Decoder of POST /api/v1/readings bodies:
//   {"readings": [{"indicator": "…", "unit": "…", "value": 57.3, "period": "2025-10",
//                  "time": "2025-10-31T17:00:00+07:00" | 1761930000000,
//                  "labels": {"name": "value"}, "source": "…", "comment": "…"}, …]}
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/reading.h"

namespace chiso::ingest {

// One ReadingItem per element of "readings", positioned by 0-based index; an element of the
// wrong shape (not an object, a field of the wrong type, an unknown field) carries its error and
// does not stop the others. InvalidArgument for a body that is not JSON (naming the byte, line and
// column) or has no "readings" array; ResourceExhausted when it holds more than `max_items`.
Result<std::vector<ReadingItem>> DecodeJsonReadings(std::string_view body, std::size_t max_items);

}  // namespace chiso::ingest
