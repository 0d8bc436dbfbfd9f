// StoreImpl: the implementation behind Store (store/store.h holds the contracts).
//
// Locking (which lock guards what, and which function needs which lock, is in the GUARDED_BY,
// REQUIRES and EXCLUDES attributes below; clang checks them, see common/thread_annotations.h):
//   write_mu_  serialises every decision to mutate: the write path registers new series and
//              writers, reads stored samples and decides inserts, overwrites and audit entries
//              under it. Sample batches then release it for their RocksDB write, so the memtable
//              inserts of several batches run in parallel (CommitBesideOthers); a batch waits
//              until no batch in flight writes any of its series, so the samples and audit
//              entries of one series are written in the order they were decided. Retention and
//              state writes keep it through their RocksDB write (CommitUnsynced); retention and
//              recovery from a failed write first wait for every batch in flight. Every mutation
//              releases it before waiting for the fsync (AwaitDurable), so the next batch
//              proceeds while the previous one is being made durable (WalSyncer groups fsyncs).
//   index_mu_  New series and writers enter the index before any sample of theirs is written,
//              so a reader that takes a RocksDB snapshot under the shared lock always finds every
//              series and writer the snapshot mentions. Writes hold it for the in-memory update
//              (latest timestamps, change generations) after the RocksDB write, so a generation a
//              reader sees is already readable.
//   index_, writers_, head_ and taken_ change only with both locks held, so the write path, which
//   holds write_mu_, reads them without index_mu_ (IndexUnderWriteMu, WritersUnderWriteMu,
//   HeadUnderWriteMu, TakenUnderWriteMu). Readers copy the head's samples they need under the
//   shared lock, with their snapshot.
//   seal_mu_   one pass that writes blocks at a time: drains of the head, seal passes, retention.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/thread_annotations.h"
#include "store/internal/database.h"
#include "store/internal/head.h"
#include "store/internal/mutex.h"
#include "store/internal/series_index.h"
#include "store/internal/wal_syncer.h"
#include "store/internal/writer_table.h"
#include "store/store.h"

namespace chiso::store_internal {

struct PendingWrite;  // the state of one Write call (write_path.cc)

class StoreImpl {
 public:
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  // Open with `env` replacing RocksDB's environment: the fault-injection hook of the tests.
  static Result<std::unique_ptr<Store>> TEST_OpenWithEnv(const StoreOptions& options,
                                                         rocksdb::Env* env);
  static Status Restore(const std::filesystem::path& backup_dir,
                        const std::filesystem::path& data_dir);
  ~StoreImpl();

  Result<WriteSummary> Write(const SampleBatch& batch, const StateBatch& with_state)
      EXCLUDES(write_mu_, index_mu_);
  Result<std::vector<SeriesSamples>> Select(std::span<const LabelMatcher> matchers,
                                            TimestampMs from, TimestampMs to,
                                            const QueryLimits& limits) const EXCLUDES(index_mu_);
  Result<std::vector<LatestSample>> Latest(std::span<const LabelMatcher> matchers,
                                           const QueryLimits& limits) const EXCLUDES(index_mu_);
  Result<std::vector<SeriesAudit>> Audit(std::span<const LabelMatcher> matchers, TimestampMs from,
                                         TimestampMs to, const QueryLimits& limits) const
      EXCLUDES(index_mu_);
  std::vector<Labels> FindSeries(std::span<const LabelMatcher> matchers) const EXCLUDES(index_mu_);
  SeriesChanges ChangedSeries(std::span<const LabelMatcher> matchers, std::uint64_t since) const
      EXCLUDES(index_mu_);
  std::vector<std::string> LabelNames() const EXCLUDES(index_mu_);
  std::vector<std::string> LabelValues(std::string_view name) const EXCLUDES(index_mu_);

  Status WriteState(const StateBatch& batch) EXCLUDES(write_mu_, index_mu_);
  // Adds the mutations of `batch` to `updates`; InvalidArgument for a bad space name or key.
  Status AddStateMutations(const StateBatch& batch, rocksdb::WriteBatch& updates);
  Result<std::optional<std::string>> GetState(std::string_view space, std::string_view key) const;
  Result<std::vector<StateEntry>> ScanState(std::string_view space, std::string_view prefix) const;

  Status Backup(const std::filesystem::path& target_dir) const;
  Result<RetentionSummary> EnforceRetention() EXCLUDES(seal_mu_, write_mu_, index_mu_);
  // How far a sealing pass reaches into each series: its complete days (the background pass),
  // or every sample before its latest one (Compact).
  enum class SealReach { kCompleteDays, kBeforeLatest };
  // Seals the day windows of dense series (sealing.cc) changed since the last pass.
  Status SealDenseWindows(SealReach reach) EXCLUDES(seal_mu_, write_mu_, index_mu_);
  Status Compact() EXCLUDES(seal_mu_, write_mu_, index_mu_);
  StoreStats Stats() const EXCLUDES(index_mu_, background_mu_);

 private:
  // Which head samples a read copies: none, those of a time range, or each series' latest.
  struct HeadPart {
    enum { kNone, kRange, kLatest } what = kNone;
    TimestampMs from = 0;
    TimestampMs to = 0;
  };

  // What a read sees: a RocksDB snapshot, the matching series and writer names and the head's
  // samples asked for, captured together under index_mu_.
  struct ReadView {
    std::unique_ptr<rocksdb::ManagedSnapshot> snapshot;
    std::vector<SeriesId> ids;
    std::vector<Labels> labels;       // parallel to ids
    std::vector<TimestampMs> latest;  // parallel to ids; kNoSample for a series without any
    std::vector<std::vector<BlockSample>> head;  // parallel to ids (empty for HeadPart::kNone)
    std::vector<std::string> writer_names;
  };

  // In-memory effects of a commit, applied after its RocksDB write.
  struct IndexUpdate {
    std::span<const std::pair<SeriesId, TimestampMs>> latest;  // new latest timestamps
    std::span<const SeriesId> changed;  // series whose samples changed: get a new generation
    std::span<const std::pair<SeriesId, BlockSample>> fresh;  // samples entering the head
    bool drained = false;                 // the batch moved every head sample out: empty the head
    std::span<const SeriesId> corrected;  // series of whose head samples a record was written
  };

  StoreImpl(const StoreOptions& options, std::unique_ptr<Database> database);
  static Result<std::unique_ptr<Store>> OpenImpl(const StoreOptions& options, rocksdb::Env* env);
  Status LoadIndex() EXCLUDES(write_mu_, index_mu_);
  // Rebuilds the head from its log, raising latest timestamps to the head's.
  Status ReplayHead() REQUIRES(write_mu_, index_mu_);
  ReadView BeginRead(std::span<const LabelMatcher> matchers, HeadPart head) const
      EXCLUDES(index_mu_);
  // An iterator over `space` at the snapshot of `view` that stays within one series.
  std::unique_ptr<rocksdb::Iterator> NewSeriesScan(const ReadView& view, Space space) const;

  // Read access to index_ and writers_ for the holder of write_mu_ (see the file comment).
  const SeriesIndex& IndexUnderWriteMu() const REQUIRES(write_mu_) NO_THREAD_SAFETY_ANALYSIS {
    return index_;
  }
  const WriterTable& WritersUnderWriteMu() const REQUIRES(write_mu_) NO_THREAD_SAFETY_ANALYSIS {
    return writers_;
  }
  const Head& HeadUnderWriteMu() const REQUIRES(write_mu_) NO_THREAD_SAFETY_ANALYSIS {
    return head_;
  }
  const Head* TakenUnderWriteMu() const REQUIRES(write_mu_) NO_THREAD_SAFETY_ANALYSIS {
    return taken_.get();
  }

  // The steps of Write (write_path.cc), in order.
  // Step 2: waits until no batch in flight writes a series of `pending` and no drain or
  // retention pass waits for quiet, resolving the ids that other batches registered meanwhile.
  void WaitForSeriesInFlight(PendingWrite& pending) REQUIRES(write_mu_);
  // Step 3: registers the series and writers first seen in `pending`, in a write of their own,
  // and adds them to the index, so every id of `pending` is resolved.
  Status RegisterNewEntries(PendingWrite& pending) REQUIRES(write_mu_) EXCLUDES(index_mu_);
  // Step 4: reads the stored samples `pending` may overwrite, records or sealed, its visiting
  // order set.
  Status ReadStoredSamples(PendingWrite& pending) REQUIRES(write_mu_);
  Status ReadSealedSamples(std::span<const std::string> lookup_keys, PendingWrite& pending)
      REQUIRES(write_mu_);
  // Step 5: decides, per key, the sample record and audit entries to write, and the index update.
  Status DecideUpdates(PendingWrite& pending) REQUIRES(write_mu_);

  // Writes `batch` to RocksDB without waiting for the fsync; a failure sets write_failed_.
  rocksdb::Status WriteUnsynced(rocksdb::WriteBatch& batch);
  // Writes `batch`, applies `update` under index_mu_ and returns the WalSyncer ticket of the
  // write. An empty batch writes nothing and returns the ticket of the writes issued before: an
  // identical rewrite must not be acknowledged before the original is durable.
  Result<std::uint64_t> CommitUnsynced(rocksdb::WriteBatch& batch, const IndexUpdate& update)
      REQUIRES(write_mu_) EXCLUDES(index_mu_);
  // Like CommitUnsynced for a non-empty batch that writes only samples and audit entries of
  // update.changed (ascending, each once; none in flight), but releases write_mu_ during the
  // RocksDB write so that other batches' writes run beside it. The caller signals write_done_
  // once it has released write_mu_.
  Result<std::uint64_t> CommitBesideOthers(rocksdb::WriteBatch& batch, const IndexUpdate& update)
      REQUIRES(write_mu_) EXCLUDES(index_mu_);
  // The error of a failed commit, or waits until its write is durable.
  Status AwaitDurable(const Result<std::uint64_t>& ticket) EXCLUDES(write_mu_);
  void ApplyToIndex(const IndexUpdate& update) REQUIRES(write_mu_, index_mu_);
  // Whether a batch in flight writes one of `series` (ids may lie beyond the index).
  bool WritesAnyInFlight(std::span<const SeriesId> series) const REQUIRES(write_mu_);
  // Waits until no batch is in flight. Batches that have not started wait meanwhile (see
  // waiting_for_quiet_), so that a steady stream of writes cannot starve the caller.
  void WaitForWritesInFlight() REQUIRES(write_mu_);
  // After a failed write RocksDB refuses further writes until resumed.
  Status ResumeAfterWriteError() REQUIRES(write_mu_);
  // The samples of the blocks of series `id` in the window starting at `window`, ascending, read
  // through `blocks` (an iterator over the blocks key space); their keys too when `keys` is set.
  static Status ReadWindowBlocks(rocksdb::Iterator& blocks, SeriesId id, TimestampMs window,
                                 std::vector<BlockSample>& samples, std::vector<std::string>* keys);
  // Adds to `updates` the deletion of the sealed samples of `id` before `cutoff` (retention).
  Status TrimBlocks(SeriesId id, TimestampMs cutoff, rocksdb::WriteBatch& updates)
      REQUIRES(write_mu_);
  // Adds to `updates` the sealing of the windows of series `id` within `reach` (no batch
  // writing it in flight).
  Status SealSeries(SeriesId id, SealReach reach, rocksdb::WriteBatch& updates) REQUIRES(write_mu_);
  // Drains of the head (draining.cc). DrainDenseWindows moves the dense runs of the head's
  // samples into blocks while writes go on, and keeps the rest in the head; DrainEverything, under
  // write_mu_, moves the rest into records too and empties the head.
  Status DrainDenseWindows() REQUIRES(seal_mu_) EXCLUDES(write_mu_, index_mu_);
  Status DrainEverything() REQUIRES(seal_mu_) EXCLUDES(write_mu_, index_mu_);
  // Adds to `updates` the blocks of the dense runs of `splits` (SplitHeadForDrain). Reads blocks
  // only at keys no write of samples touches.
  Status AddDrainedBlocks(std::span<const std::pair<SeriesId, DrainSplit>> splits,
                          rocksdb::WriteBatch& updates) REQUIRES(seal_mu_);
  // Asks the drain thread for a drain (the head reached options_.head_max_samples).
  void RequestDrain();
  // The drain thread: drains whenever asked, until `stop`, keeping its last error in
  // drain_error_.
  void RunDrains(const std::stop_token& stop) EXCLUDES(background_mu_, seal_mu_);
  // Runs `pass` every `interval` until `stop`, keeping its last error in the member `error`
  // (retention_error_ or seal_error_).
  void RunEvery(const std::stop_token& stop, std::chrono::milliseconds interval,
                const std::function<Status()>& pass, std::string StoreImpl::*error)
      EXCLUDES(background_mu_);

  const StoreOptions options_;
  const std::shared_ptr<const Clock> clock_;
  const std::unique_ptr<Database> database_;
  mutable WalSyncer syncer_;

  Mutex write_mu_ ACQUIRED_BEFORE(index_mu_);
  std::atomic<bool> write_failed_{false};  // a write or fsync failed; resume before the next
  // Per series id, whether a batch writing it is in flight (0 or 1), and how many batches are.
  std::vector<std::uint8_t> series_in_flight_ GUARDED_BY(write_mu_);
  std::size_t writes_in_flight_ GUARDED_BY(write_mu_) = 0;
  // Callers of WaitForWritesInFlight waiting; new batches do not start while there are any.
  std::size_t waiting_for_quiet_ GUARDED_BY(write_mu_) = 0;
  CondVar write_done_;  // a batch in flight finished

  mutable SharedMutex index_mu_;
  SeriesIndex index_ GUARDED_BY(index_mu_);
  WriterTable writers_ GUARDED_BY(index_mu_);
  Head head_ GUARDED_BY(index_mu_);
  // The samples a DrainDenseWindows took out of the head, until its blocks are written: read like
  // the head's. Immutable; the pointer changes with both locks held.
  std::shared_ptr<const Head> taken_ GUARDED_BY(index_mu_);
  std::uint64_t next_head_sequence_ GUARDED_BY(write_mu_) = 0;  // key of the next head log entry
  std::atomic<std::uint64_t> head_drains_{0};

  // One pass writing blocks at a time: drains, seal passes, retention.
  Mutex seal_mu_ ACQUIRED_BEFORE(write_mu_);
  std::uint64_t sealed_generation_ GUARDED_BY(seal_mu_) = 0;  // changes up to it were sealed

  // Last errors of the background passes; empty after a successful one.
  mutable Mutex background_mu_;
  std::string retention_error_ GUARDED_BY(background_mu_);
  std::string seal_error_ GUARDED_BY(background_mu_);
  std::string drain_error_ GUARDED_BY(background_mu_);
  std::mutex drain_wait_mu_;  // guards drain_requested_ (std::mutex for condition_variable_any)
  std::condition_variable_any drain_wakeup_;
  bool drain_requested_ = false;
  // Last: stopped before the members they use are destroyed.
  std::jthread retention_thread_;
  std::jthread seal_thread_;
  std::jthread drain_thread_;
};

}  // namespace chiso::store_internal
