// Indicator readings (chỉ số báo cáo) as the JSON and CSV endpoints receive them, and their
// validation into samples of the series
//   chiso_indicator_reading{indicator="…", unit="…", <extra labels>}
//
// Where a reading is stored in time: at `time` when given, else at the last millisecond of
// `period` in the unit's time zone (a reading for 2025-10 of a unit in Asia/Ho_Chi_Minh is
// stored at 2025-10-31T23:59:59.999+07:00).
//
// Provenance: the sample's writer is the name of the token that sent it, or "token/source"
// when the reading names its `source` system, so the audit trail shows both who was
// authenticated and which system the value came from; arrived_at is the clock's now.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "ingest/auth.h"
#include "ingest/limits.h"
#include "ingest/rejection.h"
#include "store/sample.h"

namespace chiso::ingest {

// One reading as sent, before any check. Absent optional fields are nullopt.
struct RawReading {
  std::string indicator;
  std::string unit;
  std::optional<double> value;
  std::optional<std::string> period;  // "2025", "2025-H1", "2025-Q3", "2025-10", "2025-10-31"
  std::optional<std::string> time;    // RFC 3339 or epoch milliseconds
  // `time` is a wall clock "YYYY-MM-DDTHH:MM:SS" in the unit's time zone, as spreadsheet dates are.
  bool time_is_local = false;
  std::vector<std::pair<std::string, std::string>> labels;  // extra series labels
  std::optional<std::string> source;
  std::optional<std::string> comment;
};

// A decoded item of a request: the reading, or why it could not be read at all. `position` is
// the 0-based index (JSON) or 1-based line (CSV).
struct ReadingItem {
  std::size_t position = 0;
  RawReading reading;
  std::optional<Rejection> error;
};

// Checks readings against one catalog snapshot, one caller and one instant. Cheap to build;
// not thread-safe (build one per request).
class ReadingValidator {
 public:
  // All references must outlive the validator.
  ReadingValidator(const catalog::Catalog& catalog, const Principal& principal, TimestampMs now,
                   const IngestLimits& limits);

  // The sample to store, or the first reason the reading is refused: known indicator (reported,
  // not derived) and unit, labels within limits and valid UTF-8, token scope
  // (Principal::MayWriteSeries on the reading's series), finite value in the measure's domain,
  // exactly one of `period` (no coarser than the indicator's reporting period, already begun) and
  // `time` (not later than now plus the allowed skew), comment within limits and valid UTF-8.
  std::optional<Rejection> Validate(const RawReading& reading, Sample* out) const;

 private:
  std::optional<Rejection> ResolveTime(const RawReading& reading,
                                       const catalog::Indicator& indicator,
                                       const catalog::Unit& unit, TimestampMs* out) const;
  std::optional<Rejection> CheckLabels(const RawReading& reading, Labels* labels) const;

  const catalog::Catalog& catalog_;
  const Principal& principal_;
  TimestampMs now_;
  const IngestLimits& limits_;
};

}  // namespace chiso::ingest
