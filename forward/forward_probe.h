// ForwardProbe: the metrics of forwarding, per endpoint (label `endpoint`):
//   chiso_forward_samples_sent_total            samples the receiver answered 2xx for
//   chiso_forward_samples_failed_total          samples of attempts that failed and are retried
//                                               (network error, timeout, 429, 5xx)
//   chiso_forward_samples_dropped_total{reason} samples given up: reason="http_4xx" (the receiver
//                                               refused them: any 4xx but 429), "queue_full"
//                                               (the backlog bound dropped them unsent)
//   chiso_forward_samples_pending               samples queued and not yet sent
//   chiso_forward_oldest_pending_age_seconds    age of the oldest of them (0 when none)
//   chiso_forward_queue_max_samples             the bound of the backlog (no endpoint label)
// Thread-safe (prometheus-cpp metrics).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace chiso::forward {

class ForwardProbe {
 public:
  // Registers the families in `registry`, which must outlive the probe.
  ForwardProbe(prometheus::Registry& registry, std::size_t max_pending_samples);

  void Sent(const std::string& endpoint, std::size_t samples);
  void Failed(const std::string& endpoint, std::size_t samples);
  void Dropped(const std::string& endpoint, std::string_view reason, std::size_t samples);
  void Pending(const std::string& endpoint, std::size_t samples, double oldest_age_seconds);

 private:
  prometheus::Family<prometheus::Counter>& sent_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Counter>& dropped_;
  prometheus::Family<prometheus::Gauge>& pending_;
  prometheus::Family<prometheus::Gauge>& oldest_age_;
};

}  // namespace chiso::forward
