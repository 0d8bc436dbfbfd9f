#include "store/internal/event_listener.h"

namespace chiso::store_internal {

void StoreEventListener::OnFlushCompleted(rocksdb::DB*, const rocksdb::FlushJobInfo&) {
  flushes_.fetch_add(1);
}

void StoreEventListener::OnCompactionCompleted(rocksdb::DB*,
                                               const rocksdb::CompactionJobInfo& info) {
  if (info.status.ok()) compactions_.fetch_add(1);
}

void StoreEventListener::OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) {
  MutexLock lock(&mu_);
  background_error_ = error->ToString();
}

void StoreEventListener::OnErrorRecoveryEnd(const rocksdb::BackgroundErrorRecoveryInfo& info) {
  MutexLock lock(&mu_);
  background_error_ = info.new_bg_error.ok() ? "" : info.new_bg_error.ToString();
}

void StoreEventListener::ClearBackgroundError() {
  MutexLock lock(&mu_);
  background_error_.clear();
}

std::string StoreEventListener::background_error() const {
  MutexLock lock(&mu_);
  return background_error_;
}

}  // namespace chiso::store_internal
