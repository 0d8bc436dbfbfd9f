// Figures about a store, for the chiso_store_* metrics and operators.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chiso {

// One RocksDB column family: "samples", "series", "audit", "state", "meta", "blocks",
// "head".
struct KeySpaceStats {
  std::string name;
  std::uint64_t table_bytes = 0;  // live table files (excludes unflushed writes)
  std::uint64_t keys_estimate = 0;
};

struct StoreStats {
  std::uint64_t bytes_on_disk = 0;  // every file under data_dir (tables, WAL, manifest)
  std::uint64_t series = 0;         // exact
  // RocksDB's key estimate of per-sample records: samples sealed into blocks are not included;
  // overwritten or deleted samples count until compaction drops them.
  std::uint64_t samples_estimate = 0;
  // Fresh samples held in memory until the next drain (during a drain, those it keeps in the head
  // are held, and counted, twice).
  std::uint64_t head_samples = 0;
  std::uint64_t head_drains_total = 0;         // drains of the head since Open
  std::uint64_t pending_compaction_bytes = 0;  // bytes compaction still has to rewrite
  std::uint64_t compactions_total = 0;         // compactions finished since Open
  std::uint64_t flushes_total = 0;             // memtable flushes finished since Open
  std::uint64_t wal_syncs_total = 0;           // write-ahead-log fsyncs since Open
  // Empty while healthy; otherwise the last background error (e.g. "No space left on device"),
  // during which writes fail.
  std::string background_error;
  std::vector<KeySpaceStats> key_spaces;
};

// What one Store::EnforceRetention pass deleted.
struct RetentionSummary {
  std::uint64_t series_trimmed = 0;  // series that had samples older than their retention
  std::uint64_t series_emptied = 0;  // of those, series left without any sample
};

}  // namespace chiso
