// StoreOptions: how Store::Open configures the store. Every field documents its default; none
// can change while the store is open (reopen to change one).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"

namespace chiso {

// When a write is acknowledged. Both modes keep the promise that an acknowledged write survives
// a crash of the process, of the OS and a power loss: the acknowledgement always follows an
// fsync of the write-ahead log. They differ in how writes share fsyncs.
enum class SyncMode {
  // Each write is acknowledged as soon as an fsync covering it completes; writers arriving while
  // an fsync runs share the next one. Lowest latency; one fsync per batch for a lone writer.
  kPerBatch,
  // The first pending write opens a window of StoreOptions::group_commit_window; writes arriving
  // within it share one fsync at its end. Fewer fsyncs (disk IOPS) under many small concurrent
  // batches, at the price of up to one window of added latency.
  kGroupCommit,
};

// Samples of series whose metric name starts with `metric_prefix` are deleted once older than
// `keep` (relative to StoreOptions::clock). Where several rules match, the longest prefix wins.
// Audit entries are never deleted.
struct RetentionRule {
  std::string metric_prefix;  // "" matches every series
  std::chrono::milliseconds keep{0};
};

struct StoreOptions {
  // Directory holding the store; created with its parents when missing. Only one process may
  // open it at a time. Required (no default).
  std::filesystem::path data_dir;

  // Default: SyncMode::kPerBatch.
  SyncMode sync_mode = SyncMode::kPerBatch;

  // Length of the group-commit window; only read with SyncMode::kGroupCommit.
  // Default: 5 ms.
  std::chrono::milliseconds group_commit_window{5};

  // Cache of uncompressed data blocks, shared by all key spaces.
  // Default: 64 MiB.
  std::size_t block_cache_bytes = std::size_t{64} << 20;

  // Memory for writes not yet flushed to disk (RocksDB memtables), across all key spaces.
  // Larger values mean fewer, larger files and more memory. Default: 128 MiB.
  std::size_t write_buffer_bytes = std::size_t{128} << 20;

  // Threads for flushes and compactions. Default: 2.
  int background_threads = 2;

  // Retention per metric-name prefix. Default: empty (keep every sample forever).
  std::vector<RetentionRule> retention;

  // How often a background thread applies `retention`; zero leaves it to explicit
  // Store::EnforceRetention calls. Ignored when `retention` is empty. Default: 1 hour.
  std::chrono::milliseconds retention_interval{std::chrono::hours(1)};

  // How often a background thread seals the complete day windows of dense series into blocks
  // (store/README.md, "Sealed blocks"); Store::Compact seals too, up to each series' latest
  // sample. Zero leaves it to Compact.
  // Default: 10 minutes.
  std::chrono::milliseconds seal_interval{std::chrono::minutes(10)};

  // Fresh samples (plain, newer than everything their series held) are kept in memory, 32 bytes
  // each, and logged as one entry per write; once the head holds this many, a background drain
  // moves them into sealed blocks (store/README.md, "The head"). The seal pass, retention and
  // Compact drain it too, whatever its size. Zero turns the head off: every sample is a record.
  // Default: 2,000,000 (64 MiB of samples).
  std::size_t head_max_samples = 2'000'000;
  // Source of "now" for audit entries (changed_at) and retention. Must be thread-safe.
  // Default: nullptr, meaning the system clock.
  std::shared_ptr<const Clock> clock;
};

}  // namespace chiso
