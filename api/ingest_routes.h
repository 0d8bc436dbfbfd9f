// The write endpoints of SPEC §4, registered on a Router:
//   POST /api/v1/readings      indicator readings as JSON (?dry_run=true validates only)
//   POST /api/v1/import/csv    indicator readings as CSV (?dry_run=true validates only)
//   POST /api/v1/import/xlsx   the same on a sheet of an Excel .xlsx workbook (?sheet=name, else
//                              the first sheet; ?dry_run=true validates only)
//   POST /write, /api/v2/write InfluxDB line protocol (?precision=ns|us|ms|s|m|h)
//   POST /api/v1/write         Prometheus remote write 1.0
//
// Every endpoint needs a token with role write; what it may write is narrowed by its scopes.
// The valid items of a request are stored in one atomic Store::Write; each refused item is
// listed by index (JSON), line (CSV, Influx), sheet row and column (.xlsx) or series index
// (remote write) with its reason, and
// the answer is 400 (403 when every refusal is a scope refusal). Retrying a request is
// idempotent: identical rewrites change nothing in the store. A readings dry run with
// ?preview=true also answers "rows": every decoded row (its line, row or index, indicator, unit,
// period, time, value, comment) with its refusal as "error" or null, the preview of an upload.
//
// Bodies may be compressed as senders do: `Content-Encoding: gzip` or `deflate` on every endpoint
// but remote write, whose body is snappy by definition (its Content-Encoding may only be absent or
// "snappy"). Another coding gets 415 with Accept-Encoding; a corrupt or truncated compressed body
// gets 400 naming the problem; one that decompresses past IngestLimits::max_decompressed_bytes
// gets 413, decompression stopping at the limit.
//
// Whole-request answers: 413 past IngestLimits::max_items_per_request (or the decompressed
// size), 429 with Retry-After when the token's rate is spent, 503 with Retry-After when
// IngestLimits::max_in_flight_bytes are already being processed (the decompressed size of
// gzip, deflate and remote write's snappy bodies counts too) or the store is unavailable
// (nothing stored: retry), 500 on an internal store failure.
//
// Remote write answers as Prometheus expects (its spec: 5xx and 429 may be retried, other 4xx
// are not): a token over its rate gets 503 with Retry-After instead of 429, because Prometheus
// drops a batch answered 429 unless `retry_on_http_429` is set, while it always retries 5xx.
// A Remote-Write 2.0 body (Content-Type
// application/x-protobuf;proto=io.prometheus.write.v2.Request) gets 415 naming the supported
// proto=prometheus.WriteRequest and is never decoded, so that a 2.0 sender learns to fall back
// instead of having its data read as an empty 1.0 request.
//
// Where the work is done: the write pipeline (coding, in-flight budget, decompression, decoding,
// validation, rate limit, the Store::Write, metrics) is ingest::WritePipeline
// (ingest/write_pipeline.h). The routes only read the request's query parameters and headers
// into a pipeline call and turns its WriteResult into the HTTP answer, with statuses from the
// Status→HTTP table of api/http_message.h and its named write exceptions.
#pragma once

#include <functional>

#include "api/router.h"
#include "common/clock.h"
#include "ingest/ingest_probe.h"
#include "ingest/limits.h"
#include "ingest/sample_journal.h"
#include "store/store.h"

namespace chiso::api {

// `store`, `clock` and `probe` must outlive `router`. The handlers are thread-safe.
// `samples_stored`, when set, is called after each request whose store write (not a dry run)
// stored at least one sample, so that statuses can be re-evaluated at once (the service wakes
// its evaluation loop). It is called on the request's thread: it must be cheap and non-blocking.
// `journal` (nullable; must outlive `router`) journals every stored batch (forward/).
void AddIngestRoutes(Router& router, Store& store, const Clock& clock,
                     const ingest::IngestLimits& limits, ingest::IngestProbe& probe,
                     std::function<void()> samples_stored = nullptr,
                     ingest::SampleJournal* journal = nullptr);

}  // namespace chiso::api
