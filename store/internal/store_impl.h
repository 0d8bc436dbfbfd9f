// StoreImpl: the implementation behind Store (store/store.h holds the contracts).
//
// Locking:
//   write_mu_  serialises every mutation. The write path reads stored samples, decides inserts,
//              overwrites and audit entries, and writes one RocksDB batch without another writer
//              interleaving. Released before waiting for the fsync, so the next batch proceeds
//              while the previous one is being made durable (WalSyncer groups their fsyncs).
//   index_mu_  guards index_ and writers_. A write that adds series or writers holds it
//              exclusively around the RocksDB write and the in-memory update, so a reader that
//              takes a RocksDB snapshot under the shared lock always finds every series and writer
//              the snapshot mentions. Other writes hold it for the in-memory update (latest
//              timestamps, change generations) after the RocksDB write, so a generation a reader
//              sees is already readable. Latest timestamps are written under both locks and read
//              by the write path under write_mu_ alone.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "store/internal/database.h"
#include "store/internal/series_index.h"
#include "store/internal/wal_syncer.h"
#include "store/internal/writer_table.h"
#include "store/store.h"

namespace chiso::store_internal {

class StoreImpl {
 public:
  // `env` (may be null) replaces RocksDB's environment: the fault-injection hook of the tests.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options, rocksdb::Env* env);
  static Status Restore(const std::filesystem::path& backup_dir,
                        const std::filesystem::path& data_dir);
  ~StoreImpl();

  Result<WriteSummary> Write(const SampleBatch& batch);
  Result<std::vector<SeriesSamples>> Select(std::span<const LabelMatcher> matchers,
                                            TimestampMs from, TimestampMs to,
                                            const QueryLimits& limits) const;
  Result<std::vector<LatestSample>> Latest(std::span<const LabelMatcher> matchers,
                                           const QueryLimits& limits) const;
  Result<std::vector<SeriesAudit>> Audit(std::span<const LabelMatcher> matchers, TimestampMs from,
                                         TimestampMs to, const QueryLimits& limits) const;
  std::vector<Labels> FindSeries(std::span<const LabelMatcher> matchers) const;
  SeriesChanges ChangedSeries(std::span<const LabelMatcher> matchers, std::uint64_t since) const;
  std::vector<std::string> LabelNames() const;
  std::vector<std::string> LabelValues(std::string_view name) const;

  Status WriteState(const StateBatch& batch);
  Result<std::optional<std::string>> GetState(std::string_view space, std::string_view key) const;
  Result<std::vector<StateEntry>> ScanState(std::string_view space, std::string_view prefix) const;

  Status Backup(const std::filesystem::path& target_dir) const;
  Result<RetentionSummary> EnforceRetention();
  Status Compact();
  StoreStats Stats() const;

 private:
  // What a read sees: a RocksDB snapshot and the matching series and writer names, captured
  // together under index_mu_.
  struct ReadView {
    std::unique_ptr<rocksdb::ManagedSnapshot> snapshot;
    std::vector<SeriesId> ids;
    std::vector<Labels> labels;  // parallel to ids
    std::vector<std::string> writer_names;
  };

  StoreImpl(const StoreOptions& options, std::unique_ptr<Database> database);
  Status LoadIndex();
  ReadView BeginRead(std::span<const LabelMatcher> matchers) const;
  rocksdb::ReadOptions SeriesScanOptions(const ReadView& view) const;

  // Writes `batch`, runs `update_memory` (under index_mu_ when `grows_index`), releases
  // `write_lock` and waits until the batch is durable. An empty batch only waits for earlier
  // writes to be durable (an identical rewrite must not be acknowledged before the original).
  Status Commit(rocksdb::WriteBatch& batch, bool grows_index,
                const std::function<void()>& update_memory,
                std::unique_lock<std::mutex>& write_lock);
  // Requires write_mu_. After a failed write RocksDB refuses further writes until resumed.
  Status ResumeAfterWriteError();
  void RetentionLoop(const std::stop_token& stop);

  const StoreOptions options_;
  const std::shared_ptr<const Clock> clock_;
  const std::unique_ptr<Database> database_;
  mutable WalSyncer syncer_;

  std::mutex write_mu_;
  std::atomic<bool> write_failed_{false};  // a write or fsync failed; resume before the next

  mutable std::shared_mutex index_mu_;
  SeriesIndex index_;
  WriterTable writers_;

  mutable std::mutex retention_mu_;
  std::string retention_error_;  // guarded by retention_mu_; last failed background pass
  std::condition_variable_any retention_wakeup_;
  std::jthread retention_thread_;  // last: stopped before the members it uses are destroyed
};

}  // namespace chiso::store_internal
