#include "forward/forwarding.h"

namespace chiso::forward {

Forwarding::Forwarding(prometheus::Registry& registry, const RemoteWriteConfig& config)
    : probe_(registry, config.queue.max_pending_samples) {}

Result<std::unique_ptr<Forwarding>> Forwarding::Open(Store& store, const Clock& clock,
                                                     const RemoteWriteConfig& config,
                                                     prometheus::Registry& registry) {
  std::unique_ptr<Forwarding> forwarding(new Forwarding(registry, config));
  std::vector<std::string> names;
  for (const Endpoint& endpoint : config.endpoints) names.push_back(endpoint.name);
  auto queue = ForwardQueue::Open(store, clock, names, config.queue.max_pending_samples,
                                  &forwarding->probe_);
  if (!queue.ok()) return queue.status();
  forwarding->queue_ = std::move(*queue);
  for (const Endpoint& endpoint : config.endpoints) {
    forwarding->senders_.push_back(std::make_unique<Sender>(
        endpoint, config.queue, *forwarding->queue_, clock, forwarding->probe_));
  }
  return forwarding;
}

Forwarding::~Forwarding() { Stop(); }

void Forwarding::Start() {
  for (auto& sender : senders_) sender->Start();
}

void Forwarding::Stop() {
  for (auto& sender : senders_) sender->Stop();
}

}  // namespace chiso::forward
