// WritePipeline: everything that happens to one write request between the HTTP layer and the
// store, for every write protocol (JSON, CSV and .xlsx readings, Influx line protocol, Prometheus
// remote write). It knows no HTTP: api/ingest_routes hands it the body, the Content-Encoding value,
// the principal, the catalog snapshot and the protocol's parameters, and turns the WriteResult into
// an answer.
//
// The steps, in order; the first that fails ends the request with the outcome in brackets:
//   1. the Content-Encoding must be one the protocol accepts           [kUnsupportedCoding]
//      and, for remote write, the Content-Type must name remote write 1.0
//      (CheckRemoteWriteContentType)                                   [kUnsupportedMediaType]
//   2. the body's bytes must fit in IngestLimits::max_in_flight_bytes  [kOverloaded]
//   3. a gzip or deflate body is decompressed within max_decompressed_bytes, and its content
//      must fit in the in-flight budget too           [kTooLarge, kMalformed, kOverloaded];
//      a remote-write body's snappy-decompressed size (from its header), and an .xlsx
//      archive's unpacked size (from its directory), must fit there too
//      before it is decoded                                            [kOverloaded]
//   4. the body is decoded and each item validated (readings against the catalog snapshot, raw
//      series against the principal's metric prefixes; every series against its unit and
//      indicator scopes, Principal::MayWriteSeries); a body that cannot be
//      read at all, or holds more than max_items_per_request items   [kMalformed, kTooLarge]
//   5. the principal's token must be within its rate of samples/s     [kRateLimited]
//   6. the valid samples are written in one atomic Store::Write (not on a dry run), together
//      with their entry in the SampleJournal when there is one            [kStoreFailure]
//   7. the request ends as kStored (every item valid) or kPartlyRefused (some or all items
//      refused; the valid ones were written).
//
// Outcomes:
//   kStored            every item valid; all were written (dry run: none was).
//   kPartlyRefused     `refused` lists the refused items; the `accepted` valid samples were
//                      written (dry run: none was). Every item may have been refused.
//   kUnsupportedCoding the Content-Encoding is unknown or not for this protocol; see
//                      `accepted_codings`. Nothing was decoded or stored.
//   kUnsupportedMediaType  remote write only: the Content-Type names another message than
//                      remote write 1.0's (e.g. Remote-Write 2.0); `message` names the supported
//                      proto. Nothing was decoded or stored.
//   kOverloaded        too many bytes are being processed by other requests; retry after
//                      `retry_after_seconds`. Nothing was stored.
//   kTooLarge          the body decompresses past max_decompressed_bytes or holds more items than
//                      max_items_per_request; resending it unchanged will fail again. Nothing was
//                      stored.
//   kMalformed         the body (or a protocol parameter, e.g. the Influx precision) cannot be
//                      read; `message` names the problem. Nothing was stored.
//   kRateLimited       the token is over its rate; retry after `retry_after_seconds`. Nothing
//                      was stored.
//   kStoreFailure      Store::Write failed with `status`; nothing was stored. When the
//                      store is unavailable or out of a resource, `retry_after_seconds` says when
//                      to retry; otherwise it is 0.
//
// Durability: kStored and kPartlyRefused (not on a dry run) mean Store::Write returned ok, i.e.
// the samples are fsynced and survive a crash of the process or the machine. Every other outcome
// stored nothing, so a sender may resend the whole request; identical rewrites change nothing.
//
// Metrics: chiso_ingest_samples_total and chiso_ingest_rejected_total (IngestProbe) are counted
// here: one `Refused` per request ended by steps 1–6 (unsupported_encoding, overloaded,
// too_large, malformed, rate_limited with the batch's sample count, store_error), the stored
// samples of step 6, and one `Rejected` per refused item; kUnsupportedMediaType counts as
// unsupported_media_type.
//
// Thread-safety: Write() may be called from many threads at once. The rate limiter's buckets and
// the in-flight budget are shared by all calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "common/status.h"
#include "ingest/auth.h"
#include "ingest/in_flight.h"
#include "ingest/ingest_probe.h"
#include "ingest/limits.h"
#include "ingest/rate_limiter.h"
#include "ingest/reading.h"
#include "ingest/rejection.h"
#include "ingest/sample_journal.h"
#include "store/store.h"

namespace chiso::ingest {

enum class WriteProtocol {
  kJsonReadings,  // indicator readings as JSON, refused items named by index
  kCsvReadings,   // indicator readings as CSV, refused rows named by line
  kXlsxReadings,  // indicator readings on an .xlsx sheet, refused rows named by sheet, row, column
  kInflux,        // InfluxDB line protocol, refused lines named by line
  kRemoteWrite,   // Prometheus remote write 1.0 (snappy by definition), series named by index
};

// The `protocol` label of the ingest metrics: "json", "csv", "xlsx", "influx", "remote_write".
std::string_view WriteProtocolName(WriteProtocol protocol);

struct WriteRequest {
  WriteProtocol protocol = WriteProtocol::kJsonReadings;
  std::string_view body;                      // as received, possibly compressed
  std::string_view content_encoding;          // the Content-Encoding value as sent; "" when absent
  std::string_view content_type;              // the Content-Type value as sent; "" when absent
  const Principal* principal = nullptr;       // the authenticated writer; required
  const catalog::Catalog* catalog = nullptr;  // the snapshot readings are checked against and
                                              // unit scopes judged with; required
  bool dry_run = false;                       // readings only: validate, store nothing
  std::string_view influx_precision;  // Influx only: "ns" (also ""), "us", "ms", "s", "m", "h"
  std::string_view xlsx_sheet;        // .xlsx only: the sheet to read; "" for the first
  std::string_view endpoint;          // the path it was sent to, named by kUnsupportedCoding
  // Readings on a dry run only: WriteResult::preview lists every decoded row (the preview of an
  // upload before it is stored).
  bool preview = false;
};

// A decoded reading of a dry run with preview, and why it would be refused (nullopt: valid).
struct PreviewRow {
  std::size_t position = 0;  // as WriteResult::position_name says
  RawReading reading;
  std::optional<Rejection> refusal;
};

enum class WriteOutcome {
  kStored,
  kPartlyRefused,
  kUnsupportedCoding,
  kUnsupportedMediaType,
  kOverloaded,
  kTooLarge,
  kMalformed,
  kRateLimited,
  kStoreFailure,
};

struct WriteResult {
  WriteOutcome outcome = WriteOutcome::kStored;
  bool dry_run = false;             // the request was validated only
  std::size_t accepted = 0;         // valid samples of the request
  std::size_t stored = 0;           // samples written: `accepted`, or 0 on a dry run
  WriteSummary summary;             // what the write changed (inserted, changed, unchanged)
  std::vector<ItemError> refused;   // every refused item, in request order
  std::vector<PreviewRow> preview;  // WriteRequest::preview: every decoded row, in order
  // How the positions of `refused` are named: "index" (JSON readings, remote-write series),
  // "line" (CSV rows, Influx lines) or "row" (.xlsx rows).
  std::string_view position_name;
  // For the sender, answered as it is: kStored: empty; kPartlyRefused: how many items were
  // refused and what was stored; otherwise why nothing was stored.
  std::string message;
  // kPartlyRefused: one line per refused item, "readings[3]: …", "line 3: …" or
  // "sheet 'Số liệu', row 7, column D: …" (the .xlsx messages name their place), at most
  // IngestLimits::max_listed_errors of them, then one line counting the rest.
  std::vector<std::string> details;
  std::size_t listed_refusals = 0;       // how many of `refused` `details` lists one by one
  std::int64_t retry_after_seconds = 0;  // kOverloaded, kRateLimited, some kStoreFailure
  std::string_view accepted_codings;     // kUnsupportedCoding: "gzip, deflate" or "snappy"
  // kTooLarge, kMalformed: why the body could not be decompressed or decoded (ResourceExhausted,
  // InvalidArgument); kStoreFailure: what Store::Write returned.
  Status status;
};

class WritePipeline {
 public:
  // `store`, `clock`, `probe` and `journal` (nullable: no journal) must outlive the pipeline.
  WritePipeline(Store& store, const Clock& clock, const IngestLimits& limits, IngestProbe& probe,
                SampleJournal* journal = nullptr);

  // Runs the steps of the file comment on one request; the strings of `request` need only live
  // for the call.
  WriteResult Write(const WriteRequest& request);

 private:
  Store& store_;
  const Clock& clock_;
  const IngestLimits limits_;
  IngestProbe& probe_;
  SampleJournal* journal_;
  RateLimiter rate_limiter_;
  InFlightGate in_flight_;
};

}  // namespace chiso::ingest
