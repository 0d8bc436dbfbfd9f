// Why an item of a write request (a reading, a CSV row, an Influx line, a remote-write series)
// was refused. The reason is a short stable name, used as the `reason` label of
// chiso_ingest_rejected_total; the message is for the person who sent it and quotes the
// offending value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chiso::ingest {

enum class RejectReason {
  kSyntax,            // the item cannot be read: bad JSON type, CSV field, line syntax
  kUnknownIndicator,  // not in the catalog
  kDerivedIndicator,  // computed by chiso; its inputs are written instead
  kUnknownUnit,       // not in the catalog
  kBadValue,          // missing, not a number, NaN or infinite
  kOutOfDomain,       // outside the indicator's measure (a percent is 0..100)
  kBadTime,           // malformed time or period, or a period coarser than the indicator's
  kFuture,            // later than now (plus skew), or a period that has not begun
  kBadLabel,          // label name, value, count, length, duplicate or encoding
  kForbidden,         // outside the token's scope
};

std::string_view RejectReasonName(RejectReason reason);

struct Rejection {
  RejectReason reason = RejectReason::kSyntax;
  std::string message;
};

// A rejected item and where it was: the 0-based index of a JSON reading or remote-write series,
// or the 1-based line of a CSV row or Influx line.
struct ItemError {
  std::size_t position = 0;
  Rejection rejection;
};

}  // namespace chiso::ingest
