// StoreEventListener: counts flushes and compactions and remembers the current background error
// (e.g. disk full during a flush), for Store::Stats and the write path.
#pragma once

#include <rocksdb/listener.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace chiso::store_internal {

class StoreEventListener final : public rocksdb::EventListener {
 public:
  const char* Name() const override { return "chiso.StoreEventListener"; }
  void OnFlushCompleted(rocksdb::DB* db, const rocksdb::FlushJobInfo& info) override;
  void OnCompactionCompleted(rocksdb::DB* db, const rocksdb::CompactionJobInfo& info) override;
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override;
  void OnErrorRecoveryEnd(const rocksdb::BackgroundErrorRecoveryInfo& info) override;

  std::uint64_t flushes() const { return flushes_.load(); }
  std::uint64_t compactions() const { return compactions_.load(); }
  // Empty while there is no unresolved background error.
  std::string background_error() const;
  // After the store resumed writing (DB::Resume succeeded).
  void ClearBackgroundError();

 private:
  std::atomic<std::uint64_t> flushes_{0};
  std::atomic<std::uint64_t> compactions_{0};
  mutable std::mutex mu_;
  std::string background_error_;
};

}  // namespace chiso::store_internal
