// Forwarding: the remote_write section put to work — the durable queue (the write pipeline's
// SampleJournal), one Sender per endpoint, and their metrics — opened and started by app/.
// Thread-safety: journal() may be used from any thread; Start and Stop from one.
#pragma once

#include <prometheus/registry.h>

#include <memory>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "forward/forward_probe.h"
#include "forward/queue.h"
#include "forward/remote_write_config.h"
#include "forward/sender.h"
#include "store/store.h"

namespace chiso::forward {

class Forwarding {
 public:
  // Opens the queue in `store` for the endpoints of `config` (which must have at least one) and
  // registers the metrics in `registry`; all must outlive the object. The store's errors.
  static Result<std::unique_ptr<Forwarding>> Open(Store& store, const Clock& clock,
                                                  const RemoteWriteConfig& config,
                                                  prometheus::Registry& registry);
  ~Forwarding();  // Stop()s

  ingest::SampleJournal* journal() { return queue_.get(); }
  // Queues samples the service computes (not stored) for every endpoint, as ForwardQueue::Enqueue.
  Status Forward(const SampleBatch& batch) { return queue_->Enqueue(batch); }
  void Start();
  void Stop();

 private:
  Forwarding(prometheus::Registry& registry, const RemoteWriteConfig& config);

  ForwardProbe probe_;
  std::unique_ptr<ForwardQueue> queue_;
  std::vector<std::unique_ptr<Sender>> senders_;
};

}  // namespace chiso::forward
