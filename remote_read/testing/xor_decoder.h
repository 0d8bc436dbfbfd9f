// A reader of Prometheus XOR chunks for tests, written from tsdb/chunkenc/xor.go's xorIterator
// (not from chiso's encoder), so the tests check chiso's chunks against the protocol.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "remote_read/series.h"

namespace chiso::remote_read::testing {

// The samples of `chunk`, or nullopt when it is truncated or malformed.
std::optional<std::vector<Point>> DecodeXorChunk(std::string_view chunk);

}  // namespace chiso::remote_read::testing
