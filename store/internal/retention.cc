// Retention per metric-name prefix: periodic range deletion of samples (records and sealed
// blocks) older than the rule allows. Range tombstones cost one entry per series per pass and are
// dropped by compaction, so expired samples stop being returned at once and their space is
// reclaimed as compaction reaches them. Only series that actually hold expired samples get a
// tombstone.
#include <condition_variable>
#include <mutex>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/sample_block.h"
#include "store/internal/store_impl.h"

namespace chiso::store_internal {
namespace {

const RetentionRule* RuleFor(std::string_view metric, const std::vector<RetentionRule>& rules) {
  const RetentionRule* best = nullptr;
  for (const RetentionRule& rule : rules) {
    if (metric.starts_with(rule.metric_prefix) &&
        (best == nullptr || rule.metric_prefix.size() > best->metric_prefix.size())) {
      best = &rule;
    }
  }
  return best;
}

constexpr std::size_t kSeriesPerBatch = 1000;

// Whether `it` (over samples or blocks) holds a key of series `id` before `cutoff`.
bool StartsBefore(rocksdb::Iterator& it, SeriesId id, TimestampMs cutoff) {
  it.Seek(SampleKey(id, kMinSampleTimestamp));
  if (!it.Valid()) return false;
  const std::string_view key(it.key().data(), it.key().size());
  return SeriesIdFromKey(key) == id && TimestampFromSampleKey(key) < cutoff;
}

}  // namespace

// Blocks of windows that end before `cutoff` go whole; the blocks of the window holding `cutoff`
// are rewritten as one, without their expired samples.
Status StoreImpl::TrimBlocks(SeriesId id, TimestampMs cutoff, rocksdb::WriteBatch& updates) {
  rocksdb::ColumnFamilyHandle* const family = database_->family(Space::kBlocks);
  const TimestampMs window = BlockWindow(cutoff);
  updates.DeleteRange(family, SampleKey(id, kMinSampleTimestamp), SampleKey(id, window));
  if (window == cutoff) return Status::Ok();
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> blocks(database_->db().NewIterator(read, family));
  std::vector<BlockSample> kept;
  std::vector<std::string> keys;
  if (Status s = ReadWindowBlocks(*blocks, id, window, kept, &keys); !s.ok()) return s;
  for (const std::string& key : keys) updates.Delete(family, key);
  std::erase_if(kept, [&](const BlockSample& sample) { return sample.timestamp < cutoff; });
  if (!kept.empty()) updates.Put(family, SampleKey(id, window), EncodeSampleBlock(kept));
  return Status::Ok();
}

Result<RetentionSummary> StoreImpl::EnforceRetention() {
  RetentionSummary summary;
  if (options_.retention.empty()) return summary;
  MutexLock pass_lock(&seal_mu_);
  // Expired samples are looked for in records and blocks only.
  if (Status s = DrainEverything(); !s.ok()) return s;
  MutexLock write_lock(&write_mu_);
  WaitForWritesInFlight();  // the latest timestamps below must be settled
  if (Status s = ResumeAfterWriteError(); !s.ok()) return s;
  const SeriesIndex& index = IndexUnderWriteMu();
  const TimestampMs now = clock_->Now();
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db().NewIterator(read, database_->family(Space::kSamples)));
  std::unique_ptr<rocksdb::Iterator> blocks(
      database_->db().NewIterator(read, database_->family(Space::kBlocks)));
  rocksdb::WriteBatch updates;
  std::vector<std::pair<SeriesId, TimestampMs>> emptied;  // each with kNoSample
  std::vector<SeriesId> trimmed;
  const auto index_update = [&] {
    IndexUpdate update;
    update.latest = emptied;
    update.changed = trimmed;
    return update;
  };
  for (SeriesId id = 0; id < index.size(); ++id) {
    const RetentionRule* rule = RuleFor(index.MetricName(id), options_.retention);
    if (rule == nullptr || index.latest_timestamp(id) == kNoSample) continue;
    const TimestampMs cutoff = now - rule->keep.count();  // samples before cutoff expire
    if (cutoff <= kMinSampleTimestamp) continue;
    const bool expired_records = StartsBefore(*it, id, cutoff);
    const bool expired_blocks = StartsBefore(*blocks, id, cutoff);
    if (!expired_records && !expired_blocks) continue;
    ++summary.series_trimmed;
    trimmed.push_back(id);
    updates.DeleteRange(database_->family(Space::kSamples), SampleKey(id, kMinSampleTimestamp),
                        SampleKey(id, cutoff));
    if (expired_blocks) {
      if (Status s = TrimBlocks(id, cutoff, updates); !s.ok()) return s;
    }
    if (index.latest_timestamp(id) < cutoff) {
      emptied.emplace_back(id, kNoSample);
      ++summary.series_emptied;
    }
    if (updates.Count() >= kSeriesPerBatch) {
      const Result<std::uint64_t> ticket = CommitUnsynced(updates, index_update());
      write_lock.Unlock();  // other writers may run between chunks
      if (Status s = AwaitDurable(ticket); !s.ok()) return s;
      updates.Clear();
      emptied.clear();
      trimmed.clear();
      write_lock.Lock();
      WaitForWritesInFlight();
    }
  }
  for (const auto* scan : {it.get(), blocks.get()}) {
    if (!scan->status().ok()) return FromRocksDb(scan->status(), "scanning for expired samples");
  }
  if (updates.Count() == 0) return summary;
  const Result<std::uint64_t> ticket = CommitUnsynced(updates, index_update());
  write_lock.Unlock();
  if (Status s = AwaitDurable(ticket); !s.ok()) return s;
  return summary;
}

void StoreImpl::RunEvery(const std::stop_token& stop, std::chrono::milliseconds interval,
                         const std::function<Status()>& pass, std::string StoreImpl::*error) {
  std::mutex wait_mu;
  std::condition_variable_any wakeup;  // only the stop request wakes it early
  std::unique_lock wait_lock(wait_mu);
  while (!wakeup.wait_for(wait_lock, stop, interval, [] { return false; })) {
    if (stop.stop_requested()) return;
    const Status status = pass();
    MutexLock lock(&background_mu_);
    this->*error = status.ok() ? "" : status.message();
  }
}

}  // namespace chiso::store_internal
