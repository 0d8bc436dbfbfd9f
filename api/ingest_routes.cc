#include "api/ingest_routes.h"

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <memory>

#include "api/json_text.h"
#include "ingest/content_coding.h"
#include "ingest/csv_readings.h"
#include "ingest/in_flight.h"
#include "ingest/influx_line.h"
#include "ingest/json_readings.h"
#include "ingest/rate_limiter.h"
#include "ingest/reading.h"
#include "ingest/remote_write.h"
#include "ingest/text.h"

namespace chiso::api {
namespace {

namespace json = boost::json;
using ingest::ContentCoding;
using ingest::DecodedSamples;
using ingest::ItemError;
using ingest::RejectReason;

// How one protocol names things in its answers and metrics, and how its bodies are compressed.
struct Protocol {
  std::string_view name;        // the `protocol` label of the ingest metrics
  std::string_view items;       // what its items are called: "readings", "lines", …
  std::string_view array_name;  // items positioned by index: "readings[3]"; empty: "line 3"
  bool answers_counts;          // 200 with counts (readings) rather than 204 No Content
  // Snappy-compressed by definition, which its decoder undoes; Content-Encoding may only say
  // so. Otherwise the body may be sent with gzip or deflate, decompressed here.
  bool snappy_body = false;

  bool Accepts(ContentCoding coding) const {
    if (snappy_body) return coding == ContentCoding::kIdentity || coding == ContentCoding::kSnappy;
    return coding != ContentCoding::kSnappy;
  }
  // The Accept-Encoding of a 415 answer (RFC 9110 §15.5.16).
  std::string_view accepted_codings() const { return snappy_body ? "snappy" : "gzip, deflate"; }
};

constexpr Protocol kJson{"json", "readings", "readings", true};
constexpr Protocol kCsv{"csv", "rows", "", true};
constexpr Protocol kInflux{"influx", "lines", "", false};
constexpr Protocol kRemoteWrite{"remote_write", "series", "timeseries", false, true};

std::string Where(const Protocol& protocol, std::size_t position) {
  if (protocol.array_name.empty()) return "line " + std::to_string(position);
  return std::string(protocol.array_name) + "[" + std::to_string(position) + "]";
}

HttpResponse WithRetryAfter(HttpResponse response, std::int64_t seconds) {
  response.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(1, seconds)));
  return response;
}

bool DryRun(const RequestContext& context) {
  const std::string value = context.Query("dry_run");
  return value == "true" || value == "1";
}

// Shared by every endpoint: admission, rate limit, the one atomic write, metrics and the answer.
class IngestEndpoints {
 public:
  // Decodes (and validates) a request body, already decompressed, into samples to store and
  // refused items.
  using Decoder = std::function<Result<DecodedSamples>(const RequestContext&, std::string_view body,
                                                       TimestampMs now)>;

  IngestEndpoints(Store& store, const Clock& clock, const ingest::IngestLimits& limits,
                  ingest::IngestProbe& probe)
      : store_(store),
        clock_(clock),
        limits_(limits),
        probe_(probe),
        rate_limiter_(clock, limits.rate_samples_per_second, limits.rate_burst_seconds),
        in_flight_(limits.max_in_flight_bytes) {}

  HttpResponse Handle(const Protocol& protocol, const RequestContext& context,
                      const Decoder& decode) {
    const std::optional<ContentCoding> coding =
        ingest::ParseContentCoding(context.request.content_encoding);
    if (!coding || !protocol.Accepts(*coding)) return UnsupportedCoding(protocol, context);
    const ingest::InFlightGate::Ticket ticket = in_flight_.TryEnter(context.request.body.size());
    if (!ticket) return Overloaded(protocol);

    std::string_view body = context.request.body;
    std::string decompressed;
    std::optional<ingest::InFlightGate::Ticket> decompressed_ticket;  // its bytes count too
    if (*coding == ContentCoding::kGzip || *coding == ContentCoding::kDeflate) {
      auto content = ingest::DecompressBody(body, *coding, limits_.max_decompressed_bytes);
      if (!content.ok()) return Undecodable(protocol, content.status());
      decompressed = std::move(*content);
      body = decompressed;
      if (!decompressed_ticket.emplace(in_flight_.TryEnter(decompressed.size()))) {
        return Overloaded(protocol);
      }
    }
    const TimestampMs now = clock_.Now();
    auto decoded = decode(context, body, now);
    if (!decoded.ok()) return Undecodable(protocol, decoded.status());
    DecodedSamples& batch = *decoded;
    if (auto wait = rate_limiter_.Admit(context.principal->name(), batch.samples.size())) {
      probe_.Refused(protocol.name, "rate_limited", batch.samples.size());
      const std::int64_t seconds = (wait->count() + 999) / 1000;
      return WithRetryAfter(
          ErrorResponse(
              429, "token '" + context.principal->name() + "' is over its rate of " +
                       std::to_string(static_cast<std::int64_t>(limits_.rate_samples_per_second)) +
                       " samples/s; retry after " + std::to_string(seconds) +
                       " s; nothing was stored"),
          seconds);
    }
    const bool dry_run = protocol.answers_counts && DryRun(context);
    WriteSummary summary;
    if (!dry_run && !batch.samples.empty()) {
      auto written = store_.Write(batch.samples);
      if (!written.ok()) return StoreFailure(protocol, written.status());
      summary = *written;
      probe_.Stored(protocol.name, batch.samples.size());
    }
    for (const ItemError& error : batch.errors)
      probe_.Rejected(protocol.name, error.rejection.reason);
    return Answer(protocol, batch, summary, dry_run);
  }

 private:
  HttpResponse UnsupportedCoding(const Protocol& protocol, const RequestContext& context) {
    probe_.Refused(protocol.name, "unsupported_encoding");
    HttpResponse response = ErrorResponse(
        415, "Content-Encoding " + ingest::Quote(context.request.content_encoding, 40) +
                 " is not supported on " + context.request.path + "; send " +
                 (protocol.snappy_body ? std::string("snappy, as remote write 1.0 defines")
                                       : "gzip, deflate or no Content-Encoding") +
                 "; nothing was stored");
    response.headers.emplace_back("Accept-Encoding", protocol.accepted_codings());
    return response;
  }

  HttpResponse Overloaded(const Protocol& protocol) {
    probe_.Refused(protocol.name, "overloaded");
    return WithRetryAfter(ErrorResponse(503, "chiso is busy with other writes; retry shortly"), 1);
  }

  // A body that cannot be decompressed or decoded at all: 413 past a limit, else 400.
  HttpResponse Undecodable(const Protocol& protocol, const Status& status) {
    const bool too_large = status.code() == StatusCode::kResourceExhausted;
    probe_.Refused(protocol.name, too_large ? "too_large" : "malformed");
    return ErrorResponse(too_large ? 413 : 400, status.message() + "; nothing was stored");
  }

  HttpResponse StoreFailure(const Protocol& protocol, const Status& status) {
    probe_.Refused(protocol.name, "store_error");
    const std::string message =
        "the store refused the write; nothing was stored: " + status.message();
    switch (status.code()) {
      case StatusCode::kInvalidArgument:
        return ErrorResponse(400, message);
      case StatusCode::kUnavailable:
      case StatusCode::kResourceExhausted:
        return WithRetryAfter(ErrorResponse(503, message), 5);
      default:
        return ErrorResponse(500, message);
    }
  }

  HttpResponse Answer(const Protocol& protocol, const DecodedSamples& batch,
                      const WriteSummary& summary, bool dry_run) const {
    const std::size_t accepted = batch.samples.size();
    if (batch.errors.empty() && !protocol.answers_counts) return MakeResponse(204, "", "");

    json::object body;
    json::array details;
    json::array errors;
    const std::size_t listed = std::min(batch.errors.size(), limits_.max_listed_errors);
    for (std::size_t i = 0; i < listed; ++i) {
      const ItemError& error = batch.errors[i];
      details.emplace_back(Where(protocol, error.position) + ": " + error.rejection.message);
      if (protocol.answers_counts) {
        errors.emplace_back(
            json::object{{protocol.array_name.empty() ? "line" : "index", error.position},
                         {"reason", RejectReasonName(error.rejection.reason)},
                         {"message", error.rejection.message}});
      }
    }
    if (listed < batch.errors.size()) {
      details.emplace_back("… and " + std::to_string(batch.errors.size() - listed) +
                           " more refused " + std::string(protocol.items));
    }
    if (!batch.errors.empty()) {
      std::string stored_part = dry_run ? "dry run: nothing was stored"
                                        : std::to_string(accepted) + " valid samples were stored";
      body["error"] = std::to_string(batch.errors.size()) + " " + std::string(protocol.items) +
                      " refused; " + stored_part;
      body["details"] = std::move(details);
    }
    if (protocol.answers_counts) {
      body["accepted"] = accepted;
      body["stored"] = dry_run ? 0 : accepted;
      body["inserted"] = summary.inserted;
      body["changed"] = summary.changed;
      body["unchanged"] = summary.unchanged;
      body["rejected"] = batch.errors.size();
      body["dry_run"] = dry_run;
      body["errors"] = std::move(errors);
    }
    const bool all_forbidden = std::all_of(
        batch.errors.begin(), batch.errors.end(),
        [](const ItemError& e) { return e.rejection.reason == RejectReason::kForbidden; });
    const int status = batch.errors.empty() ? 200 : (all_forbidden ? 403 : 400);
    return MakeResponse(status, "application/json", ToJsonText(body));
  }

  Store& store_;
  const Clock& clock_;
  const ingest::IngestLimits limits_;
  ingest::IngestProbe& probe_;
  ingest::RateLimiter rate_limiter_;
  ingest::InFlightGate in_flight_;
};

// Validates decoded readings against the request's catalog snapshot and token.
Result<DecodedSamples> ValidateReadings(Result<std::vector<ingest::ReadingItem>> items,
                                        const RequestContext& context, TimestampMs now,
                                        const ingest::IngestLimits& limits) {
  if (!items.ok()) return items.status();
  const ingest::ReadingValidator validator(*context.snapshot.catalog, *context.principal, now,
                                           limits);
  DecodedSamples batch;
  batch.samples.reserve(items->size());
  for (const ingest::ReadingItem& item : *items) {
    std::optional<ingest::Rejection> rejected = item.error;
    Sample sample;
    if (!rejected) rejected = validator.Validate(item.reading, &sample);
    if (rejected) {
      batch.errors.push_back({item.position, std::move(*rejected)});
    } else {
      batch.samples.push_back(std::move(sample));
    }
  }
  return batch;
}

}  // namespace

void AddIngestRoutes(Router& router, Store& store, const Clock& clock,
                     const ingest::IngestLimits& limits, ingest::IngestProbe& probe) {
  auto endpoints = std::make_shared<IngestEndpoints>(store, clock, limits, probe);
  const auto role = ingest::Role::kWrite;

  router.AddRoute("POST", "/api/v1/readings", role, [endpoints, limits](const RequestContext& c) {
    return endpoints->Handle(
        kJson, c, [&limits](const RequestContext& c, std::string_view body, TimestampMs now) {
          return ValidateReadings(ingest::DecodeJsonReadings(body, limits.max_items_per_request), c,
                                  now, limits);
        });
  });
  router.AddRoute("POST", "/api/v1/import/csv", role, [endpoints, limits](const RequestContext& c) {
    return endpoints->Handle(
        kCsv, c, [&limits](const RequestContext& c, std::string_view body, TimestampMs now) {
          return ValidateReadings(ingest::DecodeCsvReadings(body, limits.max_items_per_request), c,
                                  now, limits);
        });
  });
  const RouteHandler influx = [endpoints, limits](const RequestContext& c) {
    return endpoints->Handle(
        kInflux, c,
        [&limits](const RequestContext& c, std::string_view body,
                  TimestampMs now) -> Result<DecodedSamples> {
          auto precision = ingest::ParseInfluxPrecision(c.Query("precision"));
          if (!precision.ok()) return precision.status();
          return ingest::DecodeInfluxLines(body, *precision, {*c.principal, now, limits});
        });
  };
  router.AddRoute("POST", "/write", role, influx);
  router.AddRoute("POST", "/api/v2/write", role, influx);
  router.AddRoute("POST", "/api/v1/write", role, [endpoints, limits](const RequestContext& c) {
    return endpoints->Handle(
        kRemoteWrite, c,
        [&limits](const RequestContext& c, std::string_view body, TimestampMs now) {
          return ingest::DecodeRemoteWrite(body, limits.max_decompressed_bytes,
                                           {*c.principal, now, limits});
        });
  });
}

}  // namespace chiso::api
