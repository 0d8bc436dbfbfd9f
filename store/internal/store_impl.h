// StoreImpl: the implementation behind Store (store/store.h holds the contracts).
//
// Locking:
//   write_mu_  serialises every decision to mutate: the write path registers new series and
//              writers (Register: their keys, then the in-memory index), reads stored samples and
//              decides inserts, overwrites and audit entries under it. Sample batches then
//              release it for their RocksDB write, so the memtable inserts of several batches run
//              in parallel (CommitBesideOthers); a batch waits until no batch in flight writes
//              any of its series, so the samples and audit entries of one series are written in
//              the order they were decided. Retention and state writes keep it through their
//              RocksDB write (Commit); retention and recovery from a failed write first wait for
//              every batch in flight. Released before waiting for the fsync, so the next batch
//              proceeds while the previous one is being made durable (WalSyncer groups fsyncs).
//   index_mu_  guards index_ and writers_. New series and writers enter the index before any
//              sample of theirs is written, so a reader that takes a RocksDB snapshot under the
//              shared lock always finds every series and writer the snapshot mentions. Writes
//              hold it for the in-memory update (latest timestamps, change generations) after
//              the RocksDB write, so a generation a reader sees is already readable. Latest
//              timestamps are written under both locks and read by the write path under
//              write_mu_ alone.
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
    std::vector<Labels> labels;       // parallel to ids
    std::vector<TimestampMs> latest;  // parallel to ids; kNoSample for a series without any
    std::vector<std::string> writer_names;
  };

  StoreImpl(const StoreOptions& options, std::unique_ptr<Database> database);
  Status LoadIndex();
  ReadView BeginRead(std::span<const LabelMatcher> matchers) const;
  rocksdb::ReadOptions SeriesScanOptions(const ReadView& view) const;

  // Writes `batch` to RocksDB without waiting for the fsync; a failure sets write_failed_.
  rocksdb::Status WriteUnsynced(rocksdb::WriteBatch& batch);
  // Requires write_mu_. Writes the keys of new series and writers, then runs `add_to_index`
  // under index_mu_. Durable with the next commit's fsync (the log is written in order).
  Status Register(rocksdb::WriteBatch& batch, const std::function<void()>& add_to_index);
  // Writes `batch`, runs `update_memory` under index_mu_, releases `write_lock` and waits until
  // the batch is durable. An empty batch only waits for earlier writes to be durable (an
  // identical rewrite must not be acknowledged before the original).
  Status Commit(rocksdb::WriteBatch& batch, const std::function<void()>& update_memory,
                std::unique_lock<std::mutex>& write_lock);
  // Like Commit for a non-empty batch that writes only samples and audit entries of `series`
  // (ascending, each once; none in flight): releases `write_lock` during the RocksDB write, so
  // other batches' writes run beside it, and retakes it for the in-memory update.
  Status CommitBesideOthers(rocksdb::WriteBatch& batch, std::span<const SeriesId> series,
                            const std::function<void()>& update_memory,
                            std::unique_lock<std::mutex>& write_lock);
  // Requires write_mu_: whether a batch in flight writes one of `series` (ids may be
  // kUnresolved-like values beyond the index).
  bool WritesAnyInFlight(std::span<const SeriesId> series) const;
  // Requires write_lock; waits until no batch is in flight.
  void WaitForWritesInFlight(std::unique_lock<std::mutex>& write_lock);
  // Requires write_lock. After a failed write RocksDB refuses further writes until resumed.
  Status ResumeAfterWriteError(std::unique_lock<std::mutex>& write_lock);
  void RetentionLoop(const std::stop_token& stop);

  const StoreOptions options_;
  const std::shared_ptr<const Clock> clock_;
  const std::unique_ptr<Database> database_;
  mutable WalSyncer syncer_;

  std::mutex write_mu_;
  std::atomic<bool> write_failed_{false};  // a write or fsync failed; resume before the next
  // Guarded by write_mu_: per series id, whether a batch writing it is in flight (0 or 1), and
  // how many batches are.
  std::vector<std::uint8_t> series_in_flight_;
  std::size_t writes_in_flight_ = 0;
  std::condition_variable write_done_;  // a batch in flight finished

  mutable std::shared_mutex index_mu_;
  SeriesIndex index_;
  WriterTable writers_;

  mutable std::mutex retention_mu_;
  std::string retention_error_;  // guarded by retention_mu_; last failed background pass
  std::condition_variable_any retention_wakeup_;
  std::jthread retention_thread_;  // last: stopped before the members it uses are destroyed
};

}  // namespace chiso::store_internal
