// What the raw-series protocols (Influx line protocol, Prometheus remote write) share: the
// context a request is decoded in and the shape of the result. Raw series keep their own metric
// names (e.g. dvc_dossiers_received_total{unit="gia_loc",channel="online"}); the token's
// metric-name prefixes decide what it may write, and its unit and indicator scopes apply to
// every series as to readings (Principal::MayWriteSeries).
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "ingest/auth.h"
#include "ingest/limits.h"
#include "ingest/rejection.h"
#include "store/sample.h"

namespace chiso::ingest {

struct RawSeriesContext {
  const Principal& principal;  // recorded as writer; its metric prefixes and scopes are checked
  TimestampMs now;             // arrival time, default timestamp, and the future bound
  const IngestLimits& limits;
  const catalog::Catalog& catalog;  // the unit tree the token's unit scope is judged with
};

// Samples ready for Store::Write (writer and arrived_at set) and the items refused, each named
// by its line (Influx) or series index (remote write). A refused item contributes no sample.
struct DecodedSamples {
  SampleBatch samples;
  std::vector<ItemError> errors;
};

// Checks what every raw sample needs beyond its labels: the token may write `metric` and the
// series' labels (its scopes), and the timestamp lies in the store's range and not past now plus
// the allowed skew. Refusals are kForbidden (scopes) or a time reason.
class RawSampleGate {
 public:
  explicit RawSampleGate(const RawSeriesContext& context)
      : context_(context), scoped_(context.principal.HasSeriesScopes()) {}
  std::optional<Rejection> MayWrite(std::string_view metric);
  std::optional<Rejection> MayWriteSeries(const Labels& labels) const;
  std::optional<Rejection> CheckTimestamp(TimestampMs timestamp) const;

 private:
  const RawSeriesContext& context_;
  const bool scoped_;         // whether the token's scopes can refuse a series at all
  std::string last_allowed_;  // senders repeat metric names: remember the last one allowed
};

}  // namespace chiso::ingest
