#include "forward/forward_probe.h"

namespace chiso::forward {

ForwardProbe::ForwardProbe(prometheus::Registry& registry, std::size_t max_pending_samples)
    : sent_(prometheus::BuildCounter()
                .Name("chiso_forward_samples_sent_total")
                .Help("Samples forwarded by remote write and answered 2xx, per endpoint.")
                .Register(registry)),
      failed_(prometheus::BuildCounter()
                  .Name("chiso_forward_samples_failed_total")
                  .Help("Samples of remote-write attempts that failed and are retried (network "
                        "error, timeout, 429, 5xx).")
                  .Register(registry)),
      dropped_(prometheus::BuildCounter()
                   .Name("chiso_forward_samples_dropped_total")
                   .Help("Samples given up without being forwarded: refused by the receiver "
                         "(http_4xx) or dropped oldest-first by the backlog bound (queue_full).")
                   .Register(registry)),
      pending_(prometheus::BuildGauge()
                   .Name("chiso_forward_samples_pending")
                   .Help("Samples queued for an endpoint and not yet sent.")
                   .Register(registry)),
      oldest_age_(prometheus::BuildGauge()
                      .Name("chiso_forward_oldest_pending_age_seconds")
                      .Help("Age of the oldest sample queued for an endpoint; 0 when none.")
                      .Register(registry)) {
  prometheus::BuildGauge()
      .Name("chiso_forward_queue_max_samples")
      .Help("Bound of the forwarding backlog (remote_write.queue.max_pending_samples).")
      .Register(registry)
      .Add({})
      .Set(static_cast<double>(max_pending_samples));
}

void ForwardProbe::Sent(const std::string& endpoint, std::size_t samples) {
  sent_.Add({{"endpoint", endpoint}}).Increment(static_cast<double>(samples));
}

void ForwardProbe::Failed(const std::string& endpoint, std::size_t samples) {
  failed_.Add({{"endpoint", endpoint}}).Increment(static_cast<double>(samples));
}

void ForwardProbe::Dropped(const std::string& endpoint, std::string_view reason,
                           std::size_t samples) {
  dropped_.Add({{"endpoint", endpoint}, {"reason", std::string(reason)}})
      .Increment(static_cast<double>(samples));
}

void ForwardProbe::Pending(const std::string& endpoint, std::size_t samples,
                           double oldest_age_seconds) {
  pending_.Add({{"endpoint", endpoint}}).Set(static_cast<double>(samples));
  oldest_age_.Add({{"endpoint", endpoint}}).Set(oldest_age_seconds);
}

}  // namespace chiso::forward
