#include "ingest/rejection.h"

namespace chiso::ingest {

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kSyntax:
      return "syntax";
    case RejectReason::kUnknownIndicator:
      return "unknown_indicator";
    case RejectReason::kDerivedIndicator:
      return "derived_indicator";
    case RejectReason::kUnknownUnit:
      return "unknown_unit";
    case RejectReason::kBadValue:
      return "bad_value";
    case RejectReason::kOutOfDomain:
      return "out_of_domain";
    case RejectReason::kBadTime:
      return "bad_time";
    case RejectReason::kFuture:
      return "future";
    case RejectReason::kBadLabel:
      return "bad_label";
    case RejectReason::kForbidden:
      return "forbidden";
  }
  return "syntax";
}

}  // namespace chiso::ingest
