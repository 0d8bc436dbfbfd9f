// GaugeRefresh: forwards gauges the service computes rather than receives (the evaluated plan
// series, app/plan_forwarding.h) as a scraper would have written them, so that an engine that
// looks back a fixed window for the latest sample (Prometheus' and Mimir's lookback delta, 5
// minutes by default) always finds one, and a gauge that is gone stops showing at once:
//   - every gauge is sent, at instant `now`, whenever the set changed since the last send, and at
//     the latest `refresh` after the last send otherwise (with the evaluation's own interval on
//     top: Update runs once per evaluation);
//   - a gauge that left the set is sent once more as a staleness marker (kStaleNaN), as
//     Prometheus and vmagent write one when a scraped series disappears; engines then drop it
//     from instant queries from that instant on.
// "Changed": the labels of the set differ from the last send's, or the gauges computed again for
// the instant of the last send differ from what was sent then. So a value that moves with time
// (a plan's expected path) counts as changed only when its path changed, not because time passed.
//
// Not thread-safe: one caller (the evaluation thread).
#pragma once

#include <bit>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>

#include "common/clock.h"
#include "common/labels.h"
#include "common/status.h"
#include "store/sample.h"

namespace chiso::forward {

// Prometheus' staleness marker: a NaN with this exact bit pattern.
inline const double kStaleNaN = std::bit_cast<double>(std::uint64_t{0x7ff0000000000002});

class GaugeRefresh {
 public:
  using Gauges = std::map<Labels, double>;
  // The gauges as they are at an instant.
  using GaugesAt = std::function<Result<Gauges>(TimestampMs at)>;
  // Queues samples for forwarding; Ok when they are durably queued.
  using Send = std::function<Status(const SampleBatch&)>;

  GaugeRefresh(std::chrono::milliseconds refresh, Send send);

  // Sends what is due at `now` (nothing when the set is unchanged and the refresh is not due).
  // The error of `gauges_at` or of the send; what was not sent is due again at the next call.
  Status Update(const GaugesAt& gauges_at, TimestampMs now);

 private:
  const std::chrono::milliseconds refresh_;
  const Send send_;
  Gauges sent_;
  TimestampMs sent_at_ = -1;  // -1: nothing sent yet
};

}  // namespace chiso::forward
