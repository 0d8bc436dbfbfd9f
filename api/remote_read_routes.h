// Prometheus remote read, POST /api/v1/read (SPEC §4): Prometheus, and Grafana through it, query
// chiso's stored history and its plans as series (remote_read/README.md). The body is a
// snappy-compressed protobuf ReadRequest; the answer is a SAMPLES ReadResponse, or a
// STREAMED_XOR_CHUNKS stream when the client lists that type first (remote_read/read_response.h).
//
// Needs the read role. The token's read scope (api/read_scope.h) applies to every series: a token
// scoped to units gets only series whose `unit` label is within its units, one scoped to
// indicators only the readings and plan series of its indicators; other series are left out,
// silently, as a query over many units must still answer with the ones the token may read.
//
// Errors are plain text, which Prometheus shows in its query error ("remote server … returned
// HTTP status 400 Bad Request: <text>"): 400 for a body that is not snappy or not a ReadRequest
// (naming the byte or field), 413 for a body past max_body_bytes, one that decompresses past
// request.max_decompressed_bytes or holds more than request.max_queries queries, 422 for a query
// whose answer would pass query.max_series or query.max_samples (saying how to narrow it).
#pragma once

#include <cstddef>

#include "api/router.h"
#include "remote_read/query_executor.h"
#include "remote_read/read_request.h"

namespace chiso {
class Store;
}

namespace chiso::api {

struct RemoteReadLimits {
  std::size_t max_body_bytes = std::size_t{1} << 20;  // compressed. Default: 1 MiB
  remote_read::RequestLimits request;
  remote_read::QueryBounds query;
};

// `store` must outlive `router`.
void AddRemoteReadRoutes(Router& router, const Store& store, RemoteReadLimits limits = {});

}  // namespace chiso::api
