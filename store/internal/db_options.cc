#include "store/internal/db_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <array>

#include "store/internal/info_log.h"
#include "store/internal/keys.h"

namespace chiso::store_internal {
namespace {

constexpr std::size_t kKiB = std::size_t{1} << 10;
constexpr std::size_t kMiB = kKiB << 10;
constexpr std::size_t kDictionaryBytes = 128 * kKiB;

// A key space's memtable: a fraction of StoreOptions::write_buffer_bytes (RocksDB's minimum is
// 64 KiB). Samples get half; the small key spaces flush often without pinning much memory.
std::size_t MemtableBytes(const StoreOptions& options, std::size_t divisor) {
  return std::max(options.write_buffer_bytes / divisor, 64 * kKiB);
}

rocksdb::BlockBasedTableOptions TableOptions(std::shared_ptr<rocksdb::Cache> cache,
                                             std::size_t block_size) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = std::move(cache);
  table.block_size = block_size;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.format_version = 5;
  return table;
}

// Leveled compaction with dynamic level sizes keeps ~90% of the data in the last level, where
// zstd applies and space amplification stays near 1.1.
void UseLeveledZstd(rocksdb::ColumnFamilyOptions& cf) {
  cf.compaction_style = rocksdb::kCompactionStyleLevel;
  cf.level_compaction_dynamic_level_bytes = true;
  cf.compression = rocksdb::kLZ4Compression;
  cf.bottommost_compression = rocksdb::kZSTD;
  cf.bottommost_compression_opts.enabled = true;
  cf.bottommost_compression_opts.level = 6;
}

// Key spaces whose keys start with the series id (samples, audit, blocks), with a memtable of
// 1/`memtable_divisor` of the write buffer. The series id prefixes every key: range scans of one
// series and the existence check of a backdated sample consult a per-file filter of series ids
// (a few bits per series, not per sample) and skip files that hold nothing of the series.
// `whole_keys` adds the whole keys to the filter, for key spaces looked up by exact key with few
// keys per series (blocks: one per series and day).
rocksdb::ColumnFamilyOptions SeriesKeyedOptions(const StoreOptions& options,
                                                std::shared_ptr<rocksdb::Cache> cache,
                                                std::size_t memtable_divisor, bool whole_keys) {
  rocksdb::ColumnFamilyOptions cf;
  UseLeveledZstd(cf);
  cf.write_buffer_size = MemtableBytes(options, memtable_divisor);
  cf.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(kSeriesIdBytes));
  // Large blocks let zstd match what neighbouring samples and series share (timestamps, arrival
  // times, writer, record layout): 9.5 bytes per sample with 16 KiB blocks, 4.2 with 256 KiB on
  // one day of data set (b). A cold read of one series decompresses ~256 KiB (~0.3 ms). Sealed
  // blocks of neighbouring series likewise share the arrival times of series scraped together.
  auto table = TableOptions(std::move(cache), 256 * kKiB);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.whole_key_filtering = whole_keys;
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

rocksdb::ColumnFamilyOptions PointLookupOptions(std::shared_ptr<rocksdb::Cache> cache,
                                                std::size_t write_buffer) {
  rocksdb::ColumnFamilyOptions cf;
  UseLeveledZstd(cf);
  cf.write_buffer_size = write_buffer;
  auto table = TableOptions(std::move(cache), 4 * kKiB);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

rocksdb::ColumnFamilyOptions ScanOnlyOptions(std::shared_ptr<rocksdb::Cache> cache,
                                             std::size_t write_buffer) {
  rocksdb::ColumnFamilyOptions cf;
  UseLeveledZstd(cf);
  cf.write_buffer_size = write_buffer;
  cf.table_factory.reset(
      rocksdb::NewBlockBasedTableFactory(TableOptions(std::move(cache), 16 * kKiB)));
  return cf;
}

// Sealed blocks, with a zstd dictionary per table file in the last level: what the blocks of
// different series share (the arrival times of series scraped together, the layout of the
// columns) is stored once per file rather than once per 256 KiB table block, which holds only a
// few series once each has many days.
rocksdb::ColumnFamilyOptions SealedBlockOptions(const StoreOptions& options,
                                                std::shared_ptr<rocksdb::Cache> cache) {
  rocksdb::ColumnFamilyOptions cf = SeriesKeyedOptions(options, std::move(cache), 16, true);
  cf.bottommost_compression_opts.max_dict_bytes = kDictionaryBytes;
  cf.bottommost_compression_opts.zstd_max_train_bytes = 100 * kDictionaryBytes;
  return cf;
}

// The head log: large entries, written once, read only at Open, deleted whole by the next drain,
// usually before their memtable is flushed. Uncompressed: a flush only copies them.
rocksdb::ColumnFamilyOptions HeadLogOptions(const StoreOptions& options) {
  rocksdb::ColumnFamilyOptions cf;
  cf.write_buffer_size = MemtableBytes(options, 4);
  cf.compression = rocksdb::kNoCompression;
  return cf;
}

}  // namespace

const std::string& SpaceName(Space space) {
  static const std::array<std::string, kSpaceCount> kNames = {
      rocksdb::kDefaultColumnFamilyName, "series", "samples", "audit", "state", "blocks", "head"};
  return kNames[static_cast<int>(space)];
}

rocksdb::DBOptions MakeDbOptions(const StoreOptions& options, rocksdb::Env* env,
                                 std::shared_ptr<rocksdb::EventListener> listener) {
  rocksdb::DBOptions db;
  if (env != nullptr) db.env = env;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  db.max_background_jobs = options.background_threads;
  db.db_write_buffer_size = options.write_buffer_bytes;
  // Rarely written key spaces (state, audit) must not pin old log files forever.
  db.max_total_wal_size = 2 * options.write_buffer_bytes;
  // Recover every complete record of the log; a torn tail (never acknowledged) is dropped.
  db.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  db.track_and_verify_wals_in_manifest = true;
  db.bytes_per_sync = kMiB;
  db.info_log = std::make_shared<InfoLog>(options.data_dir.empty() ? options.data_dir
                                                                   : options.data_dir / "LOG");
  if (listener) db.listeners.push_back(std::move(listener));
  return db;
}

std::vector<rocksdb::ColumnFamilyDescriptor> MakeColumnFamilies(const StoreOptions& options) {
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  const auto small = MemtableBytes(options, 32);
  const auto medium = MemtableBytes(options, 8);
  families.emplace_back(SpaceName(Space::kMeta), PointLookupOptions(cache, small));
  families.emplace_back(SpaceName(Space::kSeries), ScanOnlyOptions(cache, medium));
  families.emplace_back(SpaceName(Space::kSamples), SeriesKeyedOptions(options, cache, 2, false));
  families.emplace_back(SpaceName(Space::kAudit), SeriesKeyedOptions(options, cache, 16, false));
  families.emplace_back(SpaceName(Space::kState), PointLookupOptions(cache, small));
  families.emplace_back(SpaceName(Space::kBlocks), SealedBlockOptions(options, cache));
  families.emplace_back(SpaceName(Space::kHead), HeadLogOptions(options));
  return families;
}

}  // namespace chiso::store_internal
