// StoreEventListener: counts flushes and compactions and remembers the current background error
// (e.g. disk full during a flush), for Store::Stats and the write path.
#pragma once

#include <rocksdb/listener.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "common/thread_annotations.h"
#include "store/internal/mutex.h"

namespace chiso::store_internal {

class StoreEventListener final : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "chiso.StoreEventListener"; }
  void OnFlushCompleted(rocksdb::DB* db, const rocksdb::FlushJobInfo& info) override;
  void OnCompactionCompleted(rocksdb::DB* db, const rocksdb::CompactionJobInfo& info) override;
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override
      EXCLUDES(mu_);
  void OnErrorRecoveryEnd(const rocksdb::BackgroundErrorRecoveryInfo& info) override EXCLUDES(mu_);

  std::uint64_t flushes() const { return flushes_.load(); }
  std::uint64_t compactions() const { return compactions_.load(); }
  // Empty while there is no unresolved background error.
  std::string background_error() const EXCLUDES(mu_);
  // After the store resumed writing (DB::Resume succeeded).
  void ClearBackgroundError() EXCLUDES(mu_);

 private:
  std::atomic<std::uint64_t> flushes_{0};
  std::atomic<std::uint64_t> compactions_{0};
  mutable Mutex mu_;
  std::string background_error_ GUARDED_BY(mu_);
};

}  // namespace chiso::store_internal
