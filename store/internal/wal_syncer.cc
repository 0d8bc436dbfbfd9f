#include "store/internal/wal_syncer.h"

#include <algorithm>
#include <thread>

namespace chiso::store_internal {

WalSyncer::WalSyncer(std::function<Status()> sync, std::chrono::milliseconds window)
    : sync_(std::move(sync)), window_(window) {}

std::uint64_t WalSyncer::Written() {
  MutexLock lock(&mu_);
  return ++issued_;
}

std::uint64_t WalSyncer::Issued() {
  MutexLock lock(&mu_);
  return issued_;
}

std::uint64_t WalSyncer::syncs() {
  MutexLock lock(&mu_);
  return syncs_;
}

Status WalSyncer::WaitDurable(std::uint64_t ticket) {
  MutexLock lock(&mu_);
  while (true) {
    if (synced_ >= ticket) return Status::Ok();
    if (failed_upto_ >= ticket) return failed_status_;
    if (syncing_) {
      synced_cv_.Wait(mu_);
      continue;
    }
    syncing_ = true;
    if (window_.count() > 0) {
      lock.Unlock();
      std::this_thread::sleep_for(window_);
      lock.Lock();
    }
    const std::uint64_t target = issued_;
    lock.Unlock();
    Status status = sync_();
    lock.Lock();
    syncing_ = false;
    ++syncs_;
    if (status.ok()) {
      synced_ = std::max(synced_, target);
    } else {
      failed_upto_ = std::max(failed_upto_, target);
      failed_status_ = std::move(status);
    }
    synced_cv_.SignalAll();
  }
}

}  // namespace chiso::store_internal
