// Store: chiso's embedded time-series store (RocksDB underneath; none of its types appear here).
//
// What it stores:
//   * series, identified by their sorted labels (sample.h), each given a compact id on first write;
//   * samples: per (series, timestamp) one value with its writer, arrival time, optional comment
//     and revision count. Writing the same series and timestamp again overwrites the value; when
//     the value or the comment changes, an audit entry with the old and new version is stored in
//     the same atomic write. An identical rewrite changes nothing (so a retried batch keeps its
//     original arrival time and adds no audit entry);
//   * the latest timestamp of each series, kept in memory (the greatest timestamp, so a backdated
//     reading never replaces a newer one) and found again from the samples at Open;
//   * state key spaces for the rest of chiso (state_batch.h).
//
// Durability: every mutation is written to the RocksDB write-ahead log and acknowledged only after
// an fsync covering it (StoreOptions::sync_mode). An acknowledged write survives kill -9, an OS
// crash and a power loss. A write that returns an error may or may not have been applied; because
// rewrites are idempotent, the caller retries the same batch.
//
// Errors: InvalidArgument (bad input: the message names the sample or field), ResourceExhausted
// (disk full: writes fail, reads go on, and writing resumes by itself within seconds of space
// being freed; or a QueryLimits bound), FailedPrecondition (directory locked by another process,
// not a chiso store), Corruption (stored data unreadable), Unavailable (transient I/O failure, or
// recovery from one in progress: retry), Internal.
//
// Thread-safety: all methods may be called concurrently from any thread. Writes (samples and
// state) are serialised internally; reads run in parallel with writes and see a consistent
// snapshot per call.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/label_matcher.h"
#include "common/status.h"
#include "store/sample.h"
#include "store/state_batch.h"
#include "store/store_options.h"
#include "store/store_stats.h"

namespace chiso {

namespace store_internal {
class StoreImpl;
}

class Store {
 public:
  // Opens the store in options.data_dir, creating it when missing, and recovers every write
  // acknowledged before the previous process stopped (however it stopped). Fails with
  // FailedPrecondition when another process (or another Store in this one) holds the directory,
  // or when it holds something other than a chiso store; ResourceExhausted when the disk is full.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);

  // Creates a store in `data_dir` from a backup made by Backup(). `data_dir` must not exist or be
  // empty (FailedPrecondition otherwise: a restore never overwrites a store); the backup is
  // verified to open before `data_dir` appears, and is left untouched.
  static Status Restore(const std::filesystem::path& backup_dir,
                        const std::filesystem::path& data_dir);

  // Stops background work and closes the store; acknowledged writes are already durable.
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Applies every sample of `batch` or none (see the file comment for overwrite and audit rules).
  // Validates all samples first: InvalidArgument names the first bad sample by index. Samples of
  // one batch may repeat a (series, timestamp); they apply in batch order. Series and writers the
  // batch introduces are registered just before its samples: after a failed write they may be
  // known without samples (FindSeries, label queries), which a retry of the batch does not mind.
  Result<WriteSummary> Write(const SampleBatch& batch);
  // Write(batch), with the state mutations of `with_state` applied in the same atomic, fsynced
  // write: both or neither (e.g. a forwarding queue entry journaling the batch). InvalidArgument
  // when a state space or key breaks the size rules, before anything is written. The keys of
  // `with_state` must not be written by another thread at the same time.
  Result<WriteSummary> Write(const SampleBatch& batch, const StateBatch& with_state);

  // Samples with from <= timestamp <= to of every series selected by all `matchers` (none: every
  // series). Series in order of first write; series without samples in range are left out.
  Result<std::vector<SeriesSamples>> Select(std::span<const LabelMatcher> matchers,
                                            TimestampMs from, TimestampMs to,
                                            const QueryLimits& limits = {}) const;

  // The latest sample of every selected series that has one: one point lookup per series at its
  // latest timestamp (kept in memory), however long its history.
  Result<std::vector<LatestSample>> Latest(std::span<const LabelMatcher> matchers,
                                           const QueryLimits& limits = {}) const;

  // Audit entries of selected series for samples with from <= timestamp <= to (the time of the
  // reading, not of the change; each entry carries changed_at).
  Result<std::vector<SeriesAudit>> Audit(std::span<const LabelMatcher> matchers, TimestampMs from,
                                         TimestampMs to, const QueryLimits& limits = {}) const;

  // Label sets of the selected series, in order of first write. Served from memory.
  std::vector<Labels> FindSeries(std::span<const LabelMatcher> matchers) const;
  // Selected series whose samples changed (inserted, overwritten, or deleted by retention) after
  // generation `since`, in order of first write, and the current generation to pass next time.
  // Generations start at 1 when the store opens, and every series then counts as changed in
  // generation 1, so `since` = 0 selects every series; a generation means nothing across
  // restarts. Every change up to the returned generation is visible to reads that begin after
  // this call returns. Served from memory.
  SeriesChanges ChangedSeries(std::span<const LabelMatcher> matchers, std::uint64_t since) const;
  // Sorted names of all labels of all series (`__name__` included). Served from memory.
  std::vector<std::string> LabelNames() const;
  // Sorted values label `name` takes across series. Served from memory.
  std::vector<std::string> LabelValues(std::string_view name) const;

  // State key spaces (state_batch.h). Writes follow the same durability rules as samples.
  // InvalidArgument when the space name or key breaks the size rules.
  Status PutState(std::string_view space, std::string_view key, std::string_view value);
  Status DeleteState(std::string_view space, std::string_view key);  // ok when absent
  Status WriteState(const StateBatch& batch);
  // The value, or nullopt when the key is absent.
  Result<std::optional<std::string>> GetState(std::string_view space, std::string_view key) const;
  // Entries of `space` whose key starts with `prefix`, in key order.
  Result<std::vector<StateEntry>> ScanState(std::string_view space,
                                            std::string_view prefix = {}) const;

  // Writes a consistent copy of the whole store, taken while it keeps serving, to `target_dir`,
  // which must not exist yet (FailedPrecondition otherwise); its parent is created when missing.
  // Files are hard-linked when `target_dir` is on the same filesystem, copied otherwise. The copy
  // is itself an openable store (see Restore).
  Status Backup(const std::filesystem::path& target_dir) const;

  // Deletes samples older than their StoreOptions::retention rule now (the background thread
  // does the same every retention_interval). A no-op without rules.
  Result<RetentionSummary> EnforceRetention();

  // Seals the day windows of dense series into blocks (as the background pass every
  // StoreOptions::seal_interval does for complete days; here up to each series' latest sample),
  // then compacts every key space fully, dropping overwritten and deleted data. Slow; for
  // benchmarks and after large deletions. Concurrent reads and writes continue.
  Status Compact();

  StoreStats Stats() const;

 private:
  explicit Store(std::unique_ptr<store_internal::StoreImpl> impl);
  friend class store_internal::StoreImpl;

  std::unique_ptr<store_internal::StoreImpl> impl_;
};

}  // namespace chiso
