// Decoding of a Prometheus remote-read request (POST /api/v1/read): a snappy block-compressed
// protobuf ReadRequest (prometheus/prompb/remote.proto), and the choice of response type.
//
// ReadRequest { repeated Query queries = 1; repeated ResponseType accepted_response_types = 2; }
// Query { int64 start_timestamp_ms = 1; int64 end_timestamp_ms = 2;
//         repeated LabelMatcher matchers = 3; ReadHints hints = 4; }
// LabelMatcher { Type type = 1 (EQ, NEQ, RE, NRE); string name = 2; string value = 3; }
// Hints are ignored; unknown fields are skipped, as protobuf readers do.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/label_matcher.h"
#include "common/status.h"

namespace chiso::remote_read {

enum class ResponseType { kSamples = 0, kStreamedXorChunks = 1 };

struct Query {
  TimestampMs start_ms = 0;
  TimestampMs end_ms = 0;
  std::vector<LabelMatcher> matchers;
};

struct ReadRequest {
  std::vector<Query> queries;
  // As listed by the client, the ones chiso knows; in the client's order of preference.
  std::vector<ResponseType> accepted_response_types;
};

struct RequestLimits {
  std::size_t max_decompressed_bytes = std::size_t{4} << 20;  // Default: 4 MiB
  std::size_t max_queries = 64;                               // Default: 64
};

// InvalidArgument when `body` is not snappy (saying why), not a ReadRequest (naming the byte of
// the decompressed message), or names a field wrongly: a matcher type other than EQ, NEQ, RE, NRE,
// an empty label name or a regex that does not compile ("queries[0].matchers[1]: …"), or a list
// of accepted response types of which chiso answers none. ResourceExhausted when the body
// decompresses to more than limits.max_decompressed_bytes or holds more than limits.max_queries
// queries; the message says how to send less.
Result<ReadRequest> DecodeReadRequest(std::string_view body, const RequestLimits& limits);

// The first of the client's accepted types (as Prometheus' read handler negotiates); SAMPLES when
// it lists none.
ResponseType ChooseResponseType(const ReadRequest& request);

}  // namespace chiso::remote_read
