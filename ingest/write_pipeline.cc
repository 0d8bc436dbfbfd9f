#include "ingest/write_pipeline.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "ingest/content_coding.h"
#include "ingest/csv_readings.h"
#include "ingest/influx_line.h"
#include "ingest/json_readings.h"
#include "ingest/reading.h"
#include "ingest/remote_write.h"
#include "ingest/text.h"
#include "ingest/xlsx_readings.h"

namespace chiso::ingest {
namespace {

// How one protocol is named in metrics, names its items and positions, and which codings its
// bodies may carry.
struct ProtocolTraits {
  std::string_view name;        // the `protocol` label of the ingest metrics
  std::string_view items;       // what its items are called: "readings", "lines", …
  std::string_view array_name;  // items positioned by index: "readings[3]"; empty: "line 3"
  // Snappy-compressed by definition, which its decoder undoes; Content-Encoding may only say
  // so. Otherwise the body may be sent with gzip or deflate, decompressed here.
  bool snappy_body = false;
  std::string_view position_name = "line";  // what WriteResult::position_name says
  // The refusal messages name their place themselves (sheet, row, column): no "line 3: ".
  bool placed_messages = false;

  bool Accepts(ContentCoding coding) const {
    if (snappy_body) return coding == ContentCoding::kIdentity || coding == ContentCoding::kSnappy;
    return coding != ContentCoding::kSnappy;
  }
};

ProtocolTraits TraitsOf(WriteProtocol protocol) {
  switch (protocol) {
    case WriteProtocol::kJsonReadings:
      return {"json", "readings", "readings", false, "index"};
    case WriteProtocol::kCsvReadings:
      return {"csv", "rows", ""};
    case WriteProtocol::kXlsxReadings:
      return {"xlsx", "rows", "", false, "row", true};
    case WriteProtocol::kInflux:
      return {"influx", "lines", ""};
    case WriteProtocol::kRemoteWrite:
      return {"remote_write", "series", "timeseries", true, "index"};
  }
  return {"unknown", "items", ""};
}

bool IsReadings(WriteProtocol protocol) {
  return protocol == WriteProtocol::kJsonReadings || protocol == WriteProtocol::kCsvReadings ||
         protocol == WriteProtocol::kXlsxReadings;
}

std::string Where(const ProtocolTraits& traits, std::size_t position) {
  if (traits.array_name.empty()) return "line " + std::to_string(position);
  return std::string(traits.array_name) + "[" + std::to_string(position) + "]";
}

// A detail line: the item's place, then the message (which names the place itself when
// `placed_messages`).
std::string Detail(const ProtocolTraits& traits, const ItemError& error) {
  if (traits.placed_messages) return error.rejection.message;
  return Where(traits, error.position) + ": " + error.rejection.message;
}

// Validates decoded readings against the catalog snapshot and the writer. `place`, when set,
// gives a validation refusal its place in the message (decoding refusals have it already).
Result<DecodedSamples> ValidateReadings(
    Result<std::vector<ReadingItem>> items, const catalog::Catalog& catalog,
    const Principal& principal, TimestampMs now, const IngestLimits& limits,
    std::vector<PreviewRow>* preview,
    const std::function<Rejection(const ReadingItem&, Rejection)>& place = nullptr) {
  if (!items.ok()) return items.status();
  const ReadingValidator validator(catalog, principal, now, limits);
  DecodedSamples batch;
  batch.samples.reserve(items->size());
  for (const ReadingItem& item : *items) {
    std::optional<Rejection> rejected = item.error;
    Sample sample;
    if (!rejected) {
      rejected = validator.Validate(item.reading, &sample);
      if (rejected && place) rejected = place(item, *std::move(rejected));
    }
    if (preview) preview->push_back({item.position, item.reading, rejected});
    if (rejected) {
      batch.errors.push_back({item.position, std::move(*rejected)});
    } else {
      batch.samples.push_back(std::move(sample));
    }
  }
  return batch;
}

// Decodes (and validates) a body, already decompressed, into samples to store and refused items.
// `preview`, when not null, receives every decoded reading (readings protocols only).
Result<DecodedSamples> Decode(const WriteRequest& request, std::string_view body, TimestampMs now,
                              const IngestLimits& limits, std::vector<PreviewRow>* preview) {
  const Principal& principal = *request.principal;
  switch (request.protocol) {
    case WriteProtocol::kJsonReadings:
      return ValidateReadings(DecodeJsonReadings(body, limits.max_items_per_request),
                              *request.catalog, principal, now, limits, preview);
    case WriteProtocol::kCsvReadings:
      return ValidateReadings(DecodeCsvReadings(body, limits.max_items_per_request),
                              *request.catalog, principal, now, limits, preview);
    case WriteProtocol::kXlsxReadings: {
      XlsxLimits xlsx;
      xlsx.max_entry_bytes = xlsx.max_total_bytes = limits.max_decompressed_bytes;
      auto sheet = DecodeXlsxReadings(body, request.xlsx_sheet, xlsx, limits.max_items_per_request);
      if (!sheet.ok()) return sheet.status();
      const XlsxReadings& readings = *sheet;
      return ValidateReadings(std::move(sheet->items), *request.catalog, principal, now, limits,
                              preview, [&readings](const ReadingItem& item, Rejection rejection) {
                                return readings.Place(item, std::move(rejection));
                              });
    }
    case WriteProtocol::kInflux: {
      auto precision = ParseInfluxPrecision(request.influx_precision);
      if (!precision.ok()) return precision.status();
      return DecodeInfluxLines(body, *precision, {principal, now, limits, *request.catalog});
    }
    case WriteProtocol::kRemoteWrite:
      return DecodeRemoteWrite(body, limits.max_decompressed_bytes,
                               {principal, now, limits, *request.catalog});
  }
  return Status::Internal("unknown write protocol");
}

WriteResult Ended(WriteOutcome outcome, std::string message, std::int64_t retry_after = 0) {
  WriteResult result;
  result.outcome = outcome;
  result.message = std::move(message);
  result.retry_after_seconds = retry_after;
  return result;
}

}  // namespace

std::string_view WriteProtocolName(WriteProtocol protocol) { return TraitsOf(protocol).name; }

WritePipeline::WritePipeline(Store& store, const Clock& clock, const IngestLimits& limits,
                             IngestProbe& probe, SampleJournal* journal)
    : store_(store),
      clock_(clock),
      limits_(limits),
      probe_(probe),
      journal_(journal),
      rate_limiter_(clock, limits.rate_samples_per_second, limits.rate_burst_seconds),
      in_flight_(limits.max_in_flight_bytes) {}

WriteResult WritePipeline::Write(const WriteRequest& request) {
  const ProtocolTraits traits = TraitsOf(request.protocol);
  const std::string_view protocol = traits.name;

  const std::optional<ContentCoding> coding = ParseContentCoding(request.content_encoding);
  if (!coding || !traits.Accepts(*coding)) {
    probe_.Refused(protocol, "unsupported_encoding");
    WriteResult result =
        Ended(WriteOutcome::kUnsupportedCoding,
              "Content-Encoding " + Quote(request.content_encoding, 40) + " is not supported on " +
                  std::string(request.endpoint) + "; send " +
                  (traits.snappy_body ? std::string("snappy, as remote write 1.0 defines")
                                      : "gzip, deflate or no Content-Encoding") +
                  "; nothing was stored");
    // The codings to name in an answer's Accept-Encoding (RFC 9110 §15.5.16).
    result.accepted_codings = traits.snappy_body ? "snappy" : "gzip, deflate";
    return result;
  }
  if (request.protocol == WriteProtocol::kRemoteWrite) {
    if (Status media = CheckRemoteWriteContentType(request.content_type); !media.ok()) {
      probe_.Refused(protocol, "unsupported_media_type");
      WriteResult result =
          Ended(WriteOutcome::kUnsupportedMediaType, media.message() + "; nothing was stored");
      result.status = media;
      return result;
    }
  }
  const auto overloaded = [&] {
    probe_.Refused(protocol, "overloaded");
    return Ended(WriteOutcome::kOverloaded, "chiso is busy with other writes; retry shortly", 1);
  };
  // A body that cannot be decompressed or decoded at all: too large past a limit, else malformed.
  const auto undecodable = [&](const Status& status) {
    const bool too_large = status.code() == StatusCode::kResourceExhausted;
    probe_.Refused(protocol, too_large ? "too_large" : "malformed");
    WriteResult result = Ended(too_large ? WriteOutcome::kTooLarge : WriteOutcome::kMalformed,
                               status.message() + "; nothing was stored");
    result.status = status;
    return result;
  };

  const InFlightGate::Ticket ticket = in_flight_.TryEnter(request.body.size());
  if (!ticket) return overloaded();
  std::string_view body = request.body;
  std::string decompressed;
  std::optional<InFlightGate::Ticket> decompressed_ticket;  // its bytes count too
  if (*coding == ContentCoding::kGzip || *coding == ContentCoding::kDeflate) {
    auto content = DecompressBody(body, *coding, limits_.max_decompressed_bytes);
    if (!content.ok()) return undecodable(content.status());
    decompressed = std::move(*content);
    body = decompressed;
    if (!decompressed_ticket.emplace(in_flight_.TryEnter(decompressed.size()))) {
      return overloaded();
    }
  } else if (traits.snappy_body) {
    // The decoder inflates the whole message at once: its size, from the snappy header, counts
    // before any of it is allocated. A size past the limit is the decoder's to refuse.
    const std::optional<std::size_t> inflated = RemoteWriteDecompressedSize(body);
    if (inflated && *inflated <= limits_.max_decompressed_bytes &&
        !decompressed_ticket.emplace(in_flight_.TryEnter(*inflated))) {
      return overloaded();
    }
  }

  std::optional<InFlightGate::Ticket> unpacked_ticket;
  if (request.protocol == WriteProtocol::kXlsxReadings) {
    // Reading a workbook inflates at most what its archive declares: that counts before any of
    // it is inflated. A size past the limit is the decoder's to refuse.
    const std::optional<std::size_t> unpacked = XlsxUnpackedSize(body);
    if (unpacked && *unpacked <= limits_.max_decompressed_bytes &&
        !unpacked_ticket.emplace(in_flight_.TryEnter(*unpacked))) {
      return overloaded();
    }
  }

  std::vector<PreviewRow> preview;
  const bool wants_preview = IsReadings(request.protocol) && request.dry_run && request.preview;
  auto decoded = Decode(request, body, clock_.Now(), limits_, wants_preview ? &preview : nullptr);
  if (!decoded.ok()) return undecodable(decoded.status());
  DecodedSamples& batch = *decoded;

  const std::string& token = request.principal->name();
  if (auto wait = rate_limiter_.Admit(token, batch.samples.size())) {
    probe_.Refused(protocol, "rate_limited", batch.samples.size());
    const std::int64_t seconds = (wait->count() + 999) / 1000;
    return Ended(WriteOutcome::kRateLimited,
                 "token '" + token + "' is over its rate of " +
                     std::to_string(static_cast<std::int64_t>(limits_.rate_samples_per_second)) +
                     " samples/s; retry after " + std::to_string(seconds) +
                     " s; nothing was stored",
                 seconds);
  }

  WriteResult result;
  result.dry_run = IsReadings(request.protocol) && request.dry_run;
  result.preview = std::move(preview);
  result.accepted = batch.samples.size();
  result.stored = result.dry_run ? 0 : result.accepted;
  if (!result.dry_run && !batch.samples.empty()) {
    StateBatch journal_entry;
    const std::uint64_t ticket = journal_ ? journal_->Stage(batch.samples, journal_entry) : 0;
    auto written = store_.Write(batch.samples, journal_entry);
    if (journal_) journal_->Settle(ticket, written.ok());
    if (!written.ok()) {
      probe_.Refused(protocol, "store_error");
      const StatusCode code = written.status().code();
      const bool transient =
          code == StatusCode::kUnavailable || code == StatusCode::kResourceExhausted;
      WriteResult failed =
          Ended(WriteOutcome::kStoreFailure,
                "the store refused the write; nothing was stored: " + written.status().message(),
                transient ? 5 : 0);
      failed.status = written.status();
      return failed;
    }
    result.summary = *written;
    probe_.Stored(protocol, batch.samples.size());
  }
  for (const ItemError& error : batch.errors) probe_.Rejected(protocol, error.rejection.reason);

  result.position_name = traits.position_name;
  if (batch.errors.empty()) {
    result.outcome = WriteOutcome::kStored;
    return result;
  }
  result.outcome = WriteOutcome::kPartlyRefused;
  result.listed_refusals = std::min(batch.errors.size(), limits_.max_listed_errors);
  for (std::size_t i = 0; i < result.listed_refusals; ++i) {
    const ItemError& error = batch.errors[i];
    result.details.push_back(Detail(traits, error));
  }
  if (result.listed_refusals < batch.errors.size()) {
    result.details.push_back("… and " +
                             std::to_string(batch.errors.size() - result.listed_refusals) +
                             " more refused " + std::string(traits.items));
  }
  result.message =
      std::to_string(batch.errors.size()) + " " + std::string(traits.items) + " refused; " +
      (result.dry_run ? std::string("dry run: nothing was stored")
                      : std::to_string(result.accepted) + " valid samples were stored");
  result.refused = std::move(batch.errors);
  return result;
}

}  // namespace chiso::ingest
