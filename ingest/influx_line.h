// Decoder of InfluxDB line protocol (POST /write, /api/v2/write), mapped to series as
// VictoriaMetrics does:
//
//   cpu,host=a,region=hp usage_idle=92.5,usage_user=3i 1761930000000000000
//   → cpu_usage_idle{host="a",region="hp"} 92.5 and cpu_usage_user{host="a",region="hp"} 3
//
// Fields are floats, integers (3i), unsigned integers (3u) or booleans (t/true → 1, f/false → 0);
// string fields are skipped (a time series holds numbers). A line without a timestamp is stored
// at the request's arrival time. Blank lines and lines starting with '#' are ignored.
#pragma once

#include <optional>
#include <string_view>

#include "common/status.h"
#include "ingest/raw_series.h"

namespace chiso::ingest {

// Nanoseconds per unit of a timestamp: "ns"/"n" (default), "us"/"u", "ms", "s", "m", "h".
// InvalidArgument naming the accepted spellings.
Result<std::int64_t> ParseInfluxPrecision(std::string_view precision);

// Every well-formed line becomes one sample per numeric field; a malformed line (named by its
// 1-based number, with the byte where reading stopped) contributes nothing and the others are
// kept. ResourceExhausted when the body yields more than limits.max_items_per_request samples.
Result<DecodedSamples> DecodeInfluxLines(std::string_view body, std::int64_t ns_per_unit,
                                         const RawSeriesContext& context);

}  // namespace chiso::ingest
