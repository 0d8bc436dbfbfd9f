// Sealing: the plain per-sample records of each day window of a dense series become one block
// (sample_block.h). The background pass visits the series changed since the previous pass, and
// seals complete windows only (a series' window is complete once its latest sample lies in
// a later one), so that a day is encoded once rather than again at every pass; Compact visits
// every series and seals up to its latest sample. The latest sample, which Latest and Open read
// from the samples key space, always stays a record. Each series is sealed under write_mu_, once no
// batch writing it is in flight, in one atomic RocksDB batch: the block (merged with the window's
// earlier block, if any) and deletions of the records it took in. Records that are not plain
// (corrections, comments) stay, and an earlier block's sample at their instant is dropped.
#include <algorithm>
#include <map>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/sample_block.h"
#include "store/internal/store_impl.h"

namespace chiso::store_internal {
namespace {

std::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

// The records of one window of one series.
struct WindowRecords {
  std::vector<BlockSample> plain;       // sealable, ascending
  std::vector<TimestampMs> kept;        // instants of the records that stay
  std::vector<std::string> plain_keys;  // parallel to plain
};

bool Earlier(const BlockSample& a, const BlockSample& b) { return a.timestamp < b.timestamp; }

// The block of a window: its plain records, and the samples of its earlier block at instants
// without a record (records replace sealed samples).
std::vector<BlockSample> MergeIntoBlock(const std::vector<BlockSample>& earlier,
                                        const WindowRecords& window) {
  std::vector<BlockSample> merged;
  merged.reserve(earlier.size() + window.plain.size());
  for (const BlockSample& sample : earlier) {
    if (std::binary_search(window.kept.begin(), window.kept.end(), sample.timestamp) ||
        std::binary_search(window.plain.begin(), window.plain.end(), sample, Earlier)) {
      continue;
    }
    merged.push_back(sample);
  }
  merged.insert(merged.end(), window.plain.begin(), window.plain.end());
  std::sort(merged.begin(), merged.end(), Earlier);
  return merged;
}

}  // namespace

Status StoreImpl::SealDenseWindows(SealReach reach) {
  MutexLock pass_lock(&seal_mu_);
  std::vector<SeriesId> candidates;
  std::uint64_t generation = 0;
  {
    ReaderMutexLock index_lock(&index_mu_);
    generation = index_.generation();
    for (SeriesId id = 0; id < index_.size(); ++id) {
      if (reach == SealReach::kBeforeLatest || index_.ChangedSince(id, sealed_generation_)) {
        candidates.push_back(id);
      }
    }
  }
  Result<std::uint64_t> ticket = syncer_.Issued();
  for (SeriesId id : candidates) {
    MutexLock write_lock(&write_mu_);
    while (WritesAnyInFlight(std::span<const SeriesId>(&id, 1))) write_done_.Wait(write_mu_);
    if (Status s = ResumeAfterWriteError(); !s.ok()) return s;
    rocksdb::WriteBatch updates;
    if (Status s = SealSeries(id, reach, updates); !s.ok()) return s;
    if (updates.Count() == 0) continue;
    ticket = CommitUnsynced(updates, {});
    if (!ticket.ok()) return ticket.status();
  }
  if (Status s = AwaitDurable(ticket); !s.ok()) return s;
  sealed_generation_ = generation;
  return Status::Ok();
}

Status StoreImpl::SealSeries(SeriesId id, SealReach reach, rocksdb::WriteBatch& updates) {
  const TimestampMs latest = IndexUnderWriteMu().latest_timestamp(id);
  if (latest == kNoSample) return Status::Ok();
  const TimestampMs seal_before = reach == SealReach::kCompleteDays ? BlockWindow(latest) : latest;
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db().NewIterator(read, database_->family(Space::kSamples)));
  std::map<TimestampMs, WindowRecords> windows;
  for (it->Seek(SampleKey(id, kMinSampleTimestamp)); it->Valid(); it->Next()) {
    const std::string_view key = View(it->key());
    if (key.size() != kSampleKeyBytes || SeriesIdFromKey(key) != id) break;
    const TimestampMs timestamp = TimestampFromSampleKey(key);
    if (timestamp >= seal_before) break;
    std::string_view value = View(it->value());
    SampleRecord record;
    if (!DecodeSampleRecord(value, timestamp, record)) {
      return Status::Corruption("stored sample of series " + std::to_string(id) + " at " +
                                std::to_string(timestamp) + " is damaged");
    }
    WindowRecords& window = windows[BlockWindow(timestamp)];
    if (Sealable(record)) {
      window.plain.push_back({timestamp, record.value, record.writer, record.arrived_at});
      window.plain_keys.emplace_back(key);
    } else {
      window.kept.push_back(timestamp);
    }
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "scanning samples to seal");
  for (const auto& [start, window] : windows) {
    if (window.plain.size() < kMinSamplesToSeal) continue;
    const std::string block_key = SampleKey(id, start);
    std::string stored;
    std::vector<BlockSample> earlier;
    const rocksdb::Status got = database_->db().Get(
        rocksdb::ReadOptions(), database_->family(Space::kBlocks), block_key, &stored);
    if (!got.ok() && !got.IsNotFound()) return FromRocksDb(got, "reading a sealed block");
    if (got.ok() && !DecodeSampleBlock(stored, earlier)) {
      return Status::Corruption("sealed block of series " + std::to_string(id) + " at " +
                                std::to_string(start) + " is damaged");
    }
    const std::vector<BlockSample> merged = MergeIntoBlock(earlier, window);
    updates.Put(database_->family(Space::kBlocks), block_key, EncodeSampleBlock(merged));
    for (const std::string& key : window.plain_keys) {
      updates.Delete(database_->family(Space::kSamples), key);
    }
  }
  return Status::Ok();
}

}  // namespace chiso::store_internal
