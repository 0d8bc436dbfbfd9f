// Drains of the head (head.h): its samples leave memory for blocks and records.
//
// Two kinds, one at a time (seal_mu_, like every pass that writes blocks):
//   DrainDenseWindows, when the head is full (the drain thread): the head is taken out under
//     write_mu_, its dense runs are encoded and written while writes go on, and what SplitForDrain
//     leaves (each series' last sample, sparse windows) stays in the head, logged again. Only
//     blocks are written, which no write of samples touches, so nothing a write decides meanwhile
//     can be overwritten: a correction of a taken sample is a record, and records win. When what
//     stays would be half the head's limit or more, it drains everything instead.
//   DrainEverything, before a seal pass, retention or Compact: under write_mu_ throughout, the rest
//     becomes records too and the head is left empty.
// Each commits one atomic batch that also deletes the head log entries it covers, so a crash
// leaves either the entries or what they became.
#include <algorithm>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/sample_block.h"
#include "store/internal/store_impl.h"

namespace chiso::store_internal {

Status StoreImpl::AddDrainedBlocks(std::span<const std::pair<SeriesId, DrainSplit>> splits,
                                   rocksdb::WriteBatch& updates) {
  rocksdb::ColumnFamilyHandle* const blocks = database_->family(Space::kBlocks);
  std::unique_ptr<rocksdb::Iterator> window_blocks;
  std::vector<BlockSample> merged;
  for (const auto& [id, split] : splits) {
    for (std::span<const BlockSample> block : split.blocks) {
      const TimestampMs window = BlockWindow(block.front().timestamp);
      if (block.front().timestamp == window) {
        // The key of a window's merged block (sealing.cc): merge with it rather than replace it.
        if (!window_blocks) {
          window_blocks.reset(database_->db().NewIterator(rocksdb::ReadOptions(), blocks));
        }
        if (Status s = ReadWindowBlocks(*window_blocks, id, window, merged, nullptr); !s.ok()) {
          return s;
        }
        merged.insert(merged.begin(), block.begin(), block.end());
        SortSealed(merged);
        block = merged;
      }
      updates.Put(blocks, SampleKey(id, block.front().timestamp), EncodeSampleBlock(block));
    }
  }
  return Status::Ok();
}

Status StoreImpl::DrainDenseWindows() {
  std::shared_ptr<const Head> taken;
  std::vector<std::pair<SeriesId, DrainSplit>> splits;  // of `taken`
  std::uint64_t drained_before = 0;                     // head log entries below it are drained
  std::string kept_entry;                               // the head log entry of what stays
  std::uint64_t kept_sequence = 0;
  {
    MutexLock write_lock(&write_mu_);
    WaitForWritesInFlight();  // every head log entry written so far is in the head
    if (Status s = ResumeAfterWriteError(); !s.ok()) return s;
    WriterMutexLock index_lock(&index_mu_);
    // Writes may have asked again while the previous drain ran.
    if (head_.samples() < options_.head_max_samples) return Status::Ok();
    auto all = std::make_shared<Head>(head_.TakeAll());
    splits = SplitHeadForDrain(*all);
    TimestampMs previous = 0;
    for (const auto& [id, split] : splits) {
      for (const BlockSample& sample : split.rest) {
        head_.Append(id, sample);
        AppendHeadLogSample(id, sample, previous, kept_entry);
      }
      if (all->corrected(id)) head_.MarkCorrected(id);
    }
    // A drain must leave the head well below its limit, or the next write would ask for another.
    if (head_.samples() < options_.head_max_samples / 2) {
      drained_before = next_head_sequence_;
      kept_sequence = next_head_sequence_++;
      taken_ = all;
      taken = std::move(all);
    } else {
      head_ = std::move(*all);  // too little dense to take out
    }
  }
  if (!taken) return DrainEverything();  // records for the rest: the head empties
  rocksdb::WriteBatch updates;
  Status built = AddDrainedBlocks(splits, updates);
  rocksdb::Status written;
  if (built.ok()) {
    rocksdb::ColumnFamilyHandle* const log = database_->family(Space::kHead);
    if (!kept_entry.empty()) updates.Put(log, HeadKey(kept_sequence), kept_entry);
    updates.DeleteRange(log, HeadKey(0), HeadKey(drained_before));
    written = WriteUnsynced(updates);
  }
  const std::uint64_t ticket = syncer_.Written();
  {
    MutexLock write_lock(&write_mu_);
    WriterMutexLock index_lock(&index_mu_);
    // After a failure the taken samples go back: their log entries are still there.
    if (!built.ok() || !written.ok()) head_.Restore(*taken);
    taken_.reset();
  }
  if (!built.ok()) return built;
  if (!written.ok()) return FromRocksDb(written, "draining the head");
  if (Status s = AwaitDurable(ticket); !s.ok()) return s;
  ++head_drains_;
  return Status::Ok();
}

Status StoreImpl::DrainEverything() {
  MutexLock write_lock(&write_mu_);
  WaitForWritesInFlight();  // every head log entry written so far is in the head
  if (Status s = ResumeAfterWriteError(); !s.ok()) return s;
  const Head& head = HeadUnderWriteMu();
  if (head.samples() == 0) return Status::Ok();
  rocksdb::WriteBatch updates;
  const std::vector<std::pair<SeriesId, DrainSplit>> splits = SplitHeadForDrain(head);
  if (Status s = AddDrainedBlocks(splits, updates); !s.ok()) return s;
  std::vector<std::pair<SeriesId, BlockSample>> rest;  // ascending
  for (const auto& [id, split] : splits) {
    for (const BlockSample& sample : split.rest) rest.emplace_back(id, sample);
  }
  std::vector<std::string> keys;
  keys.reserve(rest.size());
  for (const auto& [id, sample] : rest) keys.push_back(SampleKey(id, sample.timestamp));
  // A record there already is a correction of the head's sample: it stays.
  rocksdb::ColumnFamilyHandle* const samples = database_->family(Space::kSamples);
  std::vector<rocksdb::Status> statuses(keys.size(), rocksdb::Status::NotFound());
  if (head.corrected()) {
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    database_->db().MultiGet(rocksdb::ReadOptions(), samples, slices.size(), slices.data(),
                             values.data(), statuses.data(), /*sorted_input=*/true);
  }
  std::string encoded;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (statuses[k].ok()) continue;
    if (!statuses[k].IsNotFound()) return FromRocksDb(statuses[k], "draining the head");
    const BlockSample& sample = rest[k].second;
    encoded.clear();
    EncodeSampleRecord(sample.ToRecord(), sample.timestamp, encoded);
    updates.Put(samples, keys[k], encoded);
  }
  updates.DeleteRange(database_->family(Space::kHead), HeadKey(0), HeadKey(next_head_sequence_));
  IndexUpdate drained;
  drained.drained = true;
  const Result<std::uint64_t> ticket = CommitUnsynced(updates, drained);
  write_lock.Unlock();
  if (Status s = AwaitDurable(ticket); !s.ok()) return s;
  ++head_drains_;
  return Status::Ok();
}

}  // namespace chiso::store_internal
