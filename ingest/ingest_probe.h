// IngestProbe: ingest metrics in the service's prometheus registry (SPEC §5).
//   chiso_ingest_samples_total{protocol}           samples stored (json, csv, influx, remote_write)
//   chiso_ingest_rejected_total{protocol,reason}   items refused: readings, rows, lines or series
//                                                  by their RejectReason name; whole requests
//                                                  refused before decoding count once, as
//                                                  malformed, too_large, rate_limited, overloaded,
//                                                  unsupported_encoding,
//                                                  unsupported_media_type or store_error
// Thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <string>
#include <string_view>

#include "ingest/rejection.h"

namespace chiso::ingest {

class IngestProbe {
 public:
  explicit IngestProbe(prometheus::Registry& registry);

  void Stored(std::string_view protocol, std::size_t samples);
  void Rejected(std::string_view protocol, RejectReason reason) {
    Refused(protocol, RejectReasonName(reason));
  }
  // A whole request refused; `reason` is one of the names in the file comment.
  void Refused(std::string_view protocol, std::string_view reason, std::size_t count = 1);

 private:
  prometheus::Family<prometheus::Counter>& samples_;
  prometheus::Family<prometheus::Counter>& rejected_;
};

}  // namespace chiso::ingest
