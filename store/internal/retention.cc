// Retention per metric-name prefix: periodic range deletion of samples older than the rule
// allows. Range tombstones cost one entry per series per pass and are dropped by compaction, so
// expired samples stop being returned at once and their space is reclaimed as compaction reaches
// them. Only series that actually hold expired samples get a tombstone.
#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
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

}  // namespace

Result<RetentionSummary> StoreImpl::EnforceRetention() {
  RetentionSummary summary;
  if (options_.retention.empty()) return summary;
  MutexLock write_lock(&write_mu_);
  WaitForWritesInFlight();  // the latest timestamps below must be settled
  if (Status s = ResumeAfterWriteError(); !s.ok()) return s;
  const SeriesIndex& index = IndexUnderWriteMu();
  const TimestampMs now = clock_->Now();
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db().NewIterator(read, database_->family(Space::kSamples)));
  rocksdb::WriteBatch updates;
  std::vector<std::pair<SeriesId, TimestampMs>> emptied;  // each with kNoSample
  std::vector<SeriesId> trimmed;
  for (SeriesId id = 0; id < index.size(); ++id) {
    const RetentionRule* rule = RuleFor(index.MetricName(id), options_.retention);
    if (rule == nullptr || index.latest_timestamp(id) == kNoSample) continue;
    const TimestampMs cutoff = now - rule->keep.count();  // samples before cutoff expire
    if (cutoff <= kMinSampleTimestamp) continue;
    it->Seek(SampleKey(id, kMinSampleTimestamp));
    if (!it->Valid() || SeriesIdFromKey({it->key().data(), it->key().size()}) != id ||
        TimestampFromSampleKey({it->key().data(), it->key().size()}) >= cutoff) {
      continue;
    }
    ++summary.series_trimmed;
    trimmed.push_back(id);
    updates.DeleteRange(database_->family(Space::kSamples), SampleKey(id, kMinSampleTimestamp),
                        SampleKey(id, cutoff));
    if (index.latest_timestamp(id) < cutoff) {
      emptied.emplace_back(id, kNoSample);
      ++summary.series_emptied;
    }
    if (updates.Count() >= kSeriesPerBatch) {
      const Result<std::uint64_t> ticket = CommitUnsynced(updates, {emptied, trimmed});
      write_lock.Unlock();  // other writers may run between chunks
      if (Status s = AwaitDurable(ticket); !s.ok()) return s;
      updates.Clear();
      emptied.clear();
      trimmed.clear();
      write_lock.Lock();
      WaitForWritesInFlight();
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "scanning for expired samples");
  if (updates.Count() == 0) return summary;
  const Result<std::uint64_t> ticket = CommitUnsynced(updates, {emptied, trimmed});
  write_lock.Unlock();
  if (Status s = AwaitDurable(ticket); !s.ok()) return s;
  return summary;
}

void StoreImpl::RetentionLoop(const std::stop_token& stop) {
  std::mutex wait_mu;
  std::unique_lock wait_lock(wait_mu);
  while (!retention_wakeup_.wait_for(wait_lock, stop, options_.retention_interval,
                                     [] { return false; })) {
    if (stop.stop_requested()) return;
    auto summary = EnforceRetention();
    MutexLock lock(&retention_mu_);
    retention_error_ = summary.ok() ? "" : summary.status().message();
  }
}

}  // namespace chiso::store_internal
