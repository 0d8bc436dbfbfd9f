#include "store/internal/wal_syncer.h"

#include <algorithm>
#include <thread>

namespace chiso::store_internal {

WalSyncer::WalSyncer(std::function<Status()> sync, std::chrono::milliseconds window)
    : sync_(std::move(sync)), window_(window) {}

std::uint64_t WalSyncer::Written() {
  std::lock_guard lock(mu_);
  return ++issued_;
}

std::uint64_t WalSyncer::Issued() {
  std::lock_guard lock(mu_);
  return issued_;
}

std::uint64_t WalSyncer::syncs() {
  std::lock_guard lock(mu_);
  return syncs_;
}

Status WalSyncer::WaitDurable(std::uint64_t ticket) {
  std::unique_lock lock(mu_);
  while (true) {
    if (synced_ >= ticket) return Status::Ok();
    if (failed_upto_ >= ticket) return failed_status_;
    if (syncing_) {
      synced_cv_.wait(lock);
      continue;
    }
    syncing_ = true;
    if (window_.count() > 0) {
      lock.unlock();
      std::this_thread::sleep_for(window_);
      lock.lock();
    }
    const std::uint64_t target = issued_;
    lock.unlock();
    Status status = sync_();
    lock.lock();
    syncing_ = false;
    ++syncs_;
    if (status.ok()) {
      synced_ = std::max(synced_, target);
    } else {
      failed_upto_ = std::max(failed_upto_, target);
      failed_status_ = std::move(status);
    }
    synced_cv_.notify_all();
  }
}

}  // namespace chiso::store_internal
