// WalSyncer: turns unsynced write-ahead-log writes into acknowledged-durable ones with as few
// fsyncs as possible (group commit).
//
// Protocol: after a write returns (unsynced), the writer takes a ticket with Written() and calls
// WaitDurable(ticket). The first waiter that finds no sync running becomes the leader: it waits
// `window` (zero for SyncMode::kPerBatch) so that more writes can join, reads the highest ticket
// issued, runs one sync, and wakes every waiter it covered. Waiters arriving during a sync wait for
// the next one, which they share.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "common/status.h"
#include "common/thread_annotations.h"
#include "store/internal/mutex.h"

namespace chiso::store_internal {

class WalSyncer {
 public:
  // `sync` makes every write issued so far durable (DB::SyncWAL).
  WalSyncer(std::function<Status()> sync, std::chrono::milliseconds window);

  // A ticket for a write that has just returned.
  std::uint64_t Written() EXCLUDES(mu_);
  // A ticket covering every write issued so far, for a caller that wrote nothing but must not be
  // answered before earlier writes are durable. Costs no fsync when they already are.
  std::uint64_t Issued() EXCLUDES(mu_);
  // Returns once a sync that began after the ticket was issued has succeeded, or the error of a
  // failed one that covered it.
  Status WaitDurable(std::uint64_t ticket) EXCLUDES(mu_);

  // Syncs run so far.
  std::uint64_t syncs() EXCLUDES(mu_);

 private:
  const std::function<Status()> sync_;
  const std::chrono::milliseconds window_;
  Mutex mu_;
  CondVar synced_cv_;
  std::uint64_t issued_ GUARDED_BY(mu_) = 0;
  std::uint64_t synced_ GUARDED_BY(mu_) = 0;  // every ticket <= synced_ is durable
  bool syncing_ GUARDED_BY(mu_) = false;
  std::uint64_t syncs_ GUARDED_BY(mu_) = 0;
  // Tickets <= failed_upto_ (and > synced_) saw failed_status_.
  std::uint64_t failed_upto_ GUARDED_BY(mu_) = 0;
  Status failed_status_ GUARDED_BY(mu_);
};

}  // namespace chiso::store_internal
