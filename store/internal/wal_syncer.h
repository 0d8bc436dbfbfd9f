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
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "common/status.h"

namespace chiso::store_internal {

class WalSyncer {
 public:
  // `sync` makes every write issued so far durable (DB::SyncWAL).
  WalSyncer(std::function<Status()> sync, std::chrono::milliseconds window);

  // A ticket for a write that has just returned.
  std::uint64_t Written();
  // A ticket covering every write issued so far, for a caller that wrote nothing but must not be
  // answered before earlier writes are durable. Costs no fsync when they already are.
  std::uint64_t Issued();
  // Returns once a sync that began after the ticket was issued has succeeded, or the error of a
  // failed one that covered it.
  Status WaitDurable(std::uint64_t ticket);

  // Syncs run so far.
  std::uint64_t syncs();

 private:
  const std::function<Status()> sync_;
  const std::chrono::milliseconds window_;
  std::mutex mu_;
  std::condition_variable synced_cv_;
  std::uint64_t issued_ = 0;
  std::uint64_t synced_ = 0;  // every ticket <= synced_ is durable
  bool syncing_ = false;
  std::uint64_t syncs_ = 0;
  std::uint64_t failed_upto_ = 0;  // tickets <= failed_upto_ (and > synced_) saw failed_status_
  Status failed_status_;
};

}  // namespace chiso::store_internal
