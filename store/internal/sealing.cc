// Sealing: the plain samples of each day window of a dense series become one block
// (sample_block.h). Drains of the head (draining.cc) add blocks keyed by their first timestamp, so
// a window may hold several, in time order, never overlapping.
//
// The seal pass merges each window's records and blocks into one block keyed by the window's
// start. The background pass drains the head, then visits the series changed since the previous
// pass and seals complete windows only (a series' window is complete once its latest sample lies
// in a later one), so that a day is encoded once rather than again at every pass; Compact visits
// every series and seals up to its latest sample. Each series is sealed under write_mu_, once no
// batch writing it is in flight, in one atomic RocksDB batch: the block and deletions of the
// records and blocks it took in. Records that are not plain (corrections, comments) stay, and a
// block's sample at their instant is dropped.
#include <algorithm>
#include <map>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/sample_block.h"
#include "store/internal/store_impl.h"

namespace chiso::store_internal {
namespace {

std::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

// The records of one window of one series, and how many blocks the window holds.
struct WindowRecords {
  std::vector<BlockSample> plain;       // sealable, ascending
  std::vector<TimestampMs> kept;        // instants of the records that stay
  std::vector<std::string> plain_keys;  // parallel to plain
  std::size_t blocks = 0;
};

// How far back the background pass looks for windows holding several blocks of a drain: a few
// days, so that a pass costs the same however long the history.
constexpr TimestampMs kBlockLookbackMs = 7 * kBlockWindowMs;

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

Status StoreImpl::ReadWindowBlocks(rocksdb::Iterator& blocks, SeriesId id, TimestampMs window,
                                   std::vector<BlockSample>& samples,
                                   std::vector<std::string>* keys) {
  samples.clear();
  std::vector<BlockSample> block;
  for (blocks.Seek(SampleKey(id, window)); blocks.Valid(); blocks.Next()) {
    const std::string_view key = View(blocks.key());
    if (key.size() != kSampleKeyBytes || SeriesIdFromKey(key) != id ||
        BlockWindow(TimestampFromSampleKey(key)) != window) {
      break;
    }
    if (!DecodeSampleBlock(View(blocks.value()), block)) {
      return Status::Corruption("sealed block of series " + std::to_string(id) + " at " +
                                std::to_string(TimestampFromSampleKey(key)) + " is damaged");
    }
    samples.insert(samples.end(), block.begin(), block.end());
    if (keys != nullptr) keys->emplace_back(key);
  }
  if (!blocks.status().ok()) return FromRocksDb(blocks.status(), "reading sealed samples");
  SortSealed(samples);
  return Status::Ok();
}

Status StoreImpl::SealDenseWindows(SealReach reach) {
  MutexLock pass_lock(&seal_mu_);
  if (Status s = DrainEverything(); !s.ok()) return s;
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
  // Windows holding several blocks (drains leave one per series each).
  std::unique_ptr<rocksdb::Iterator> blocks(
      database_->db().NewIterator(read, database_->family(Space::kBlocks)));
  const TimestampMs look_from = reach == SealReach::kBeforeLatest
                                    ? kMinSampleTimestamp
                                    : std::max(kMinSampleTimestamp, seal_before - kBlockLookbackMs);
  for (blocks->Seek(SampleKey(id, look_from)); blocks->Valid(); blocks->Next()) {
    const std::string_view key = View(blocks->key());
    if (key.size() != kSampleKeyBytes || SeriesIdFromKey(key) != id) break;
    const TimestampMs window = BlockWindow(TimestampFromSampleKey(key));
    if (window >= seal_before) break;
    ++windows[window].blocks;
  }
  if (!blocks->status().ok()) return FromRocksDb(blocks->status(), "scanning blocks to seal");
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
  std::vector<BlockSample> earlier;
  std::vector<std::string> earlier_keys;
  for (const auto& [start, window] : windows) {
    // Worth a new block: enough plain records, or records and blocks (or several blocks) to
    // merge.
    if (window.plain.size() < kMinSamplesToSeal && window.plain.size() + window.blocks < 2) {
      continue;
    }
    earlier_keys.clear();
    if (Status s = ReadWindowBlocks(*blocks, id, start, earlier, &earlier_keys); !s.ok()) return s;
    if (earlier.empty() && window.plain.size() < kMinSamplesToSeal) continue;
    const std::vector<BlockSample> merged = MergeIntoBlock(earlier, window);
    const std::string block_key = SampleKey(id, start);
    for (const std::string& key : earlier_keys) {
      if (key != block_key) updates.Delete(database_->family(Space::kBlocks), key);
    }
    if (merged.empty()) {
      updates.Delete(database_->family(Space::kBlocks), block_key);
    } else {
      updates.Put(database_->family(Space::kBlocks), block_key, EncodeSampleBlock(merged));
    }
    for (const std::string& key : window.plain_keys) {
      updates.Delete(database_->family(Space::kSamples), key);
    }
  }
  return Status::Ok();
}

}  // namespace chiso::store_internal
