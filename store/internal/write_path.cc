// Store::Write: validation, series and writer resolution, overwrite and audit decisions, one
// atomic RocksDB batch.
//
// The samples of a batch are visited in (series, timestamp, batch position) order: samples of the
// same key become neighbours and apply in batch order, and the last key of each series carries
// its greatest timestamp, the candidate for the series' latest timestamp.
#include <rocksdb/slice.h>

#include <algorithm>
#include <unordered_map>

#include "store/internal/head.h"
#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/sample_block.h"
#include "store/internal/sample_codec.h"
#include "store/internal/store_impl.h"
#include "store/internal/transparent_hash.h"

namespace chiso::store_internal {
namespace {

Status ValidateSample(const Sample& sample, std::size_t index) {
  const auto reject = [&](const std::string& why) {
    return Status::InvalidArgument("sample " + std::to_string(index) + " (" +
                                   LabelsToString(sample.labels) + "): " + why);
  };
  if (Status s = ValidateLabels(sample.labels); !s.ok()) return reject(s.message());
  if (sample.timestamp < kMinSampleTimestamp || sample.timestamp > kMaxSampleTimestamp) {
    return reject("timestamp " + std::to_string(sample.timestamp) +
                  " ms is outside 1970-01-01T00:00:00Z..2262-04-11T23:47:16.854Z");
  }
  if (sample.arrived_at < kMinSampleTimestamp || sample.arrived_at > kMaxSampleTimestamp) {
    return reject("arrival time " + std::to_string(sample.arrived_at) + " ms is out of range");
  }
  if (sample.writer.size() > kMaxWriterBytes) {
    return reject("writer name is longer than " + std::to_string(kMaxWriterBytes) + " bytes");
  }
  if (sample.comment && sample.comment->size() > kMaxCommentBytes) {
    return reject("comment is longer than " + std::to_string(kMaxCommentBytes) + " bytes");
  }
  return Status::Ok();
}

// Marks a sample whose series or writer id is not known yet.
constexpr std::uint32_t kUnresolved = UINT32_MAX;

// Lookups of the series table run this many samples ahead of their use to prefetch its slot.
constexpr std::size_t kPrefetchDistance = 8;

// The canonical label set (EncodeLabels) of every sample of a batch, in one buffer, with hashes.
class BatchLabelSets {
 public:
  explicit BatchLabelSets(const SampleBatch& batch) : ends_(batch.size()), hashes_(batch.size()) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      AppendLabels(batch[i].labels, bytes_);
      ends_[i] = bytes_.size();
    }
    for (std::size_t i = 0; i < batch.size(); ++i) hashes_[i] = SeriesIndex::HashLabels((*this)[i]);
  }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }
  std::uint64_t hash(std::size_t i) const { return hashes_[i]; }

 private:
  std::string bytes_;
  std::vector<std::size_t> ends_;
  std::vector<std::uint64_t> hashes_;
};

// Series and writers first seen in the batch; their ids follow the committed ones.
struct NewEntries {
  std::vector<std::size_t> series;  // position in the batch of each new series' first sample
  std::unordered_map<std::string_view, SeriesId> series_ids;  // by canonical label set
  std::vector<std::string> writers;
  std::unordered_map<std::string, WriterId, TransparentHash, std::equal_to<>> writer_ids;
};

// About what a new sample takes in a RocksDB batch (tag, family, key, record), and in a head log
// entry, so that either grows once.
constexpr std::size_t kBatchBytesPerSample = 32;
constexpr std::size_t kHeadLogBytesPerSample = 12;

}  // namespace

// What Write knows about its batch, filled in step by step.
struct PendingWrite {
  explicit PendingWrite(const SampleBatch& batch)
      : batch(batch),
        updates(batch.size() * kBatchBytesPerSample),
        series_of(batch.size(), kUnresolved),
        writer_of(batch.size(), kUnresolved),
        label_sets(batch) {}

  // Whether the samples at positions `a` and `b` have the same key (series and timestamp).
  bool SameKey(std::uint32_t a, std::uint32_t b) const {
    return series_of[a] == series_of[b] && batch[a].timestamp == batch[b].timestamp;
  }

  const SampleBatch& batch;
  WriteSummary summary;
  rocksdb::WriteBatch updates;      // samples and audit entries
  std::vector<SeriesId> series_of;  // by position in the batch; kUnresolved until known
  std::vector<WriterId> writer_of;  // likewise
  const BatchLabelSets label_sets;
  std::vector<std::uint32_t> order;            // positions in visiting order
  std::vector<std::size_t> lookup_of;          // by position in `order`: index in `stored`
  std::vector<rocksdb::PinnableSlice> stored;  // stored samples the batch may overwrite
  std::vector<rocksdb::Status> lookups;        // parallel to `stored`
  // Parallel to `stored`: the head's sample at the key, if any (valid under write_mu_), and for a
  // key without a record, the sample the head or a block holds there.
  std::vector<const BlockSample*> in_head;
  std::vector<std::optional<SampleRecord>> sealed;
  std::vector<std::pair<SeriesId, TimestampMs>> latest_updates;
  std::vector<SeriesId> changed_series;  // ascending, each once
  std::string head_entry;                // the head log entry of the fresh samples (head.h)
  TimestampMs head_previous = 0;
  std::vector<std::pair<SeriesId, BlockSample>> fresh;  // parallel to the head entry's samples
  std::vector<SeriesId> corrected_in_head;  // a record is written over their head samples
};

namespace {

// Sets the ids of the series and writers of `pending` that `index` and `writers` know, with the
// series table's slots prefetched a few samples ahead.
void ResolveKnown(const SeriesIndex& index, const WriterTable& writers, PendingWrite& pending) {
  const SampleBatch& batch = pending.batch;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::size_t ahead = i + kPrefetchDistance;
    if (ahead < batch.size() && pending.series_of[ahead] == kUnresolved) {
      index.Prefetch(pending.label_sets.hash(ahead));
    }
    if (pending.series_of[i] == kUnresolved) {
      if (const auto known = index.Find(pending.label_sets[i], pending.label_sets.hash(i))) {
        pending.series_of[i] = *known;
      }
    }
    if (pending.writer_of[i] == kUnresolved) {
      if (i > 0 && pending.writer_of[i - 1] != kUnresolved &&
          batch[i].writer == batch[i - 1].writer) {
        pending.writer_of[i] = pending.writer_of[i - 1];  // usually one writer per batch
      } else if (const auto known = writers.Find(batch[i].writer)) {
        pending.writer_of[i] = *known;
      }
    }
  }
}

// Sets the visiting order of `pending`, whose series are all resolved: positions sorted by
// (series, timestamp, position), compared in one compact array rather than through the batch.
void SetVisitingOrder(PendingWrite& pending) {
  struct Visit {
    SeriesId series;
    std::uint32_t position;
    TimestampMs timestamp;
    bool operator<(const Visit& other) const {
      if (series != other.series) return series < other.series;
      if (timestamp != other.timestamp) return timestamp < other.timestamp;
      return position < other.position;
    }
  };
  std::vector<Visit> visits(pending.batch.size());
  for (std::uint32_t i = 0; i < visits.size(); ++i) {
    visits[i] = {pending.series_of[i], i, pending.batch[i].timestamp};
  }
  // Senders send their series in a fixed order: a request is a few ascending runs (one per pass
  // over the series it covers), merged in linear time; anything else is sorted.
  constexpr std::size_t kMostRunsToMerge = 8;
  std::vector<std::size_t> run_ends;
  for (std::size_t i = 1; i < visits.size() && run_ends.size() <= kMostRunsToMerge; ++i) {
    if (visits[i] < visits[i - 1]) run_ends.push_back(i);
  }
  if (run_ends.size() > kMostRunsToMerge) {
    std::sort(visits.begin(), visits.end());
  } else {
    run_ends.push_back(visits.size());
    for (std::size_t r = 1; r < run_ends.size(); ++r) {
      std::inplace_merge(visits.begin(), visits.begin() + run_ends[r - 1],
                         visits.begin() + run_ends[r]);
    }
  }
  pending.order.resize(visits.size());
  for (std::size_t p = 0; p < visits.size(); ++p) pending.order[p] = visits[p].position;
}

}  // namespace

Result<WriteSummary> StoreImpl::Write(const SampleBatch& batch, const StateBatch& with_state) {
  // 1. Validation, and the ids of series and writers already known, looked up beside other
  // writers.
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (Status s = ValidateSample(batch[i], i); !s.ok()) return s;
  }
  PendingWrite pending(batch);
  if (Status s = AddStateMutations(with_state, pending.updates); !s.ok()) return s;
  {
    ReaderMutexLock index_lock(&index_mu_);
    ResolveKnown(index_, writers_, pending);
  }
  // Known series keep their ids: the order of a batch of them is set before the write lock.
  const bool all_known = std::find(pending.series_of.begin(), pending.series_of.end(),
                                   kUnresolved) == pending.series_of.end();
  if (all_known) SetVisitingOrder(pending);
  MutexLock write_lock(&write_mu_);
  // 2. Series created meanwhile; other batches writing these series.
  WaitForSeriesInFlight(pending);
  if (Status s = ResumeAfterWriteError(); !s.ok()) return s;
  // 3. New series and writers.
  if (Status s = RegisterNewEntries(pending); !s.ok()) return s;
  // 4. Visiting order (now that every series has its id), and the stored samples the batch may
  // overwrite.
  if (!all_known) SetVisitingOrder(pending);
  if (Status s = ReadStoredSamples(pending); !s.ok()) return s;
  // 5. What to write, key by key.
  if (Status s = DecideUpdates(pending); !s.ok()) return s;
  // 6. The RocksDB write, beside other batches, and the fsync, without write_mu_.
  IndexUpdate update;
  update.latest = pending.latest_updates;
  update.changed = pending.changed_series;
  update.fresh = pending.fresh;
  update.corrected = pending.corrected_in_head;
  const bool beside = pending.updates.Count() > 0;
  const Result<std::uint64_t> ticket = beside ? CommitBesideOthers(pending.updates, update)
                                              : CommitUnsynced(pending.updates, update);
  write_lock.Unlock();
  if (beside) write_done_.SignalAll();  // waiters find write_mu_ free
  if (Status s = AwaitDurable(ticket); !s.ok()) return s;
  return pending.summary;
}

void StoreImpl::WaitForSeriesInFlight(PendingWrite& pending) {
  for (ResolveKnown(IndexUnderWriteMu(), WritersUnderWriteMu(), pending);
       waiting_for_quiet_ > 0 || WritesAnyInFlight(pending.series_of);
       ResolveKnown(IndexUnderWriteMu(), WritersUnderWriteMu(), pending)) {
    write_done_.Wait(write_mu_);
  }
}

// Registered on their own, before the samples: the sample write can then run beside other
// batches. Should it fail, the series stay registered without samples, which a retry of the batch
// finds. The registration is durable with the fsync of the next commit (the log is written in
// order).
Status StoreImpl::RegisterNewEntries(PendingWrite& pending) {
  const SampleBatch& batch = pending.batch;
  const SeriesIndex& index = IndexUnderWriteMu();
  const WriterTable& writers = WritersUnderWriteMu();
  NewEntries fresh;
  rocksdb::WriteBatch registration;
  const auto new_series = [&](std::size_t i) {
    const std::string_view canonical = pending.label_sets[i];
    if (const auto it = fresh.series_ids.find(canonical); it != fresh.series_ids.end()) {
      return it->second;
    }
    const auto id = static_cast<SeriesId>(index.size() + fresh.series.size());
    registration.Put(database_->family(Space::kSeries), SeriesKey(id), canonical);
    fresh.series_ids.emplace(canonical, id);
    fresh.series.push_back(i);
    return id;
  };
  const auto new_writer = [&](const std::string& writer) {
    if (const auto it = fresh.writer_ids.find(writer); it != fresh.writer_ids.end()) {
      return it->second;
    }
    const auto id = static_cast<WriterId>(writers.size() + fresh.writers.size());
    registration.Put(database_->family(Space::kMeta), WriterKey(id), writer);
    fresh.writer_ids.emplace(writer, id);
    fresh.writers.push_back(writer);
    return id;
  };
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (pending.series_of[i] == kUnresolved) pending.series_of[i] = new_series(i);
    if (pending.writer_of[i] == kUnresolved) pending.writer_of[i] = new_writer(batch[i].writer);
  }
  pending.summary.new_series = fresh.series.size();
  if (registration.Count() == 0) return Status::Ok();
  const rocksdb::Status written = WriteUnsynced(registration);
  if (!written.ok()) return FromRocksDb(written, "registering new series");
  WriterMutexLock index_lock(&index_mu_);
  for (std::size_t i : fresh.series) index_.Add(batch[i].labels, pending.label_sets[i]);
  for (auto& writer : fresh.writers) writers_.Add(std::move(writer));
  return Status::Ok();
}

// A sample can exist only at or before its series' latest timestamp, so the usual
// newer-than-everything sample needs no read. Every series of the batch is in the index by now
// (kNoSample for the new ones). A key without a record may still hold a head or sealed sample.
// A key the head holds in a series without corrections has no record (a record there is
// written only over the head's sample, which marks the series): a retried batch reads nothing.
Status StoreImpl::ReadStoredSamples(PendingWrite& pending) {
  const SampleBatch& batch = pending.batch;
  const std::vector<SeriesId>& series_of = pending.series_of;
  const SeriesIndex& index = IndexUnderWriteMu();
  const std::vector<std::uint32_t>& order = pending.order;
  const Head& head = HeadUnderWriteMu();
  const Head* const taken = TakenUnderWriteMu();
  std::vector<std::string> lookup_keys;
  std::vector<rocksdb::Slice> record_keys;  // of lookup_keys, those whose record must be read
  std::vector<std::size_t> record_of;       // parallel: index in lookup_keys
  pending.lookup_of.assign(batch.size(), SIZE_MAX);
  for (std::size_t p = 0; p < order.size(); ++p) {
    const std::uint32_t i = order[p];
    if (p > 0 && pending.SameKey(order[p - 1], i)) continue;
    const SeriesId id = series_of[i];
    const TimestampMs timestamp = batch[i].timestamp;
    if (timestamp > index.latest_timestamp(id)) continue;
    pending.lookup_of[p] = lookup_keys.size();
    lookup_keys.push_back(SampleKey(id, timestamp));
    const BlockSample* fresh = head.Find(id, timestamp);
    if (fresh == nullptr && taken != nullptr) fresh = taken->Find(id, timestamp);
    pending.in_head.push_back(fresh);
    if (fresh == nullptr || head.corrected(id) || (taken != nullptr && taken->corrected(id))) {
      record_of.push_back(lookup_keys.size() - 1);
    }
  }
  for (std::size_t k : record_of) record_keys.emplace_back(lookup_keys[k]);
  pending.stored.resize(lookup_keys.size());
  pending.lookups.assign(lookup_keys.size(), rocksdb::Status::NotFound());
  if (!record_keys.empty()) {
    std::vector<rocksdb::PinnableSlice> values(record_keys.size());
    std::vector<rocksdb::Status> statuses(record_keys.size());
    database_->db().MultiGet(rocksdb::ReadOptions(), database_->family(Space::kSamples),
                             record_keys.size(), record_keys.data(), values.data(), statuses.data(),
                             /*sorted_input=*/true);
    for (std::size_t r = 0; r < record_of.size(); ++r) {
      pending.stored[record_of[r]] = std::move(values[r]);
      pending.lookups[record_of[r]] = std::move(statuses[r]);
    }
  }
  return ReadSealedSamples(lookup_keys, pending);
}

// For the keys `lookup_keys` (ascending) without a record: the head's sample at the key, or else
// the sample the blocks of the key's window hold there, each window's blocks read once.
Status StoreImpl::ReadSealedSamples(std::span<const std::string> lookup_keys,
                                    PendingWrite& pending) {
  pending.sealed.assign(lookup_keys.size(), std::nullopt);
  std::unique_ptr<rocksdb::Iterator> blocks;
  std::string window_key;  // the window whose samples `window` holds
  std::vector<BlockSample> window;
  for (std::size_t k = 0; k < lookup_keys.size(); ++k) {
    if (!pending.lookups[k].IsNotFound()) continue;
    const SeriesId id = SeriesIdFromKey(lookup_keys[k]);
    const TimestampMs timestamp = TimestampFromSampleKey(lookup_keys[k]);
    if (const BlockSample* fresh = pending.in_head[k]) {
      pending.sealed[k] = fresh->ToRecord();
      continue;
    }
    if (const std::string key = SampleKey(id, BlockWindow(timestamp)); key != window_key) {
      if (!blocks) {
        rocksdb::ReadOptions read;
        read.prefix_same_as_start = true;
        blocks.reset(database_->db().NewIterator(read, database_->family(Space::kBlocks)));
      }
      window_key = key;
      if (Status s = ReadWindowBlocks(*blocks, id, BlockWindow(timestamp), window, nullptr);
          !s.ok()) {
        return s;
      }
    }
    const auto it = std::lower_bound(
        window.begin(), window.end(), timestamp,
        [](const BlockSample& sample, TimestampMs t) { return sample.timestamp < t; });
    if (it != window.end() && it->timestamp == timestamp) pending.sealed[k] = it->ToRecord();
  }
  return Status::Ok();
}

// Per key, its samples apply in batch order against the stored record; the last key of a series
// holds its greatest timestamp in the batch, the candidate for its latest timestamp.
Status StoreImpl::DecideUpdates(PendingWrite& pending) {
  const SampleBatch& batch = pending.batch;
  const std::vector<std::uint32_t>& order = pending.order;
  const SeriesIndex& index = IndexUnderWriteMu();
  rocksdb::ColumnFamilyHandle* const samples_family = database_->family(Space::kSamples);
  WriteSummary& summary = pending.summary;
  const TimestampMs now = clock_->Now();
  const bool head_enabled = options_.head_max_samples > 0;
  if (head_enabled) pending.head_entry.reserve(order.size() * kHeadLogBytesPerSample);
  std::string encoded;
  for (std::size_t first = 0; first < order.size();) {
    std::size_t end = first + 1;
    while (end < order.size() && pending.SameKey(order[first], order[end])) ++end;
    const SeriesId id = pending.series_of[order[first]];
    const TimestampMs timestamp = batch[order[first]].timestamp;

    std::optional<SampleRecord> current;
    const std::size_t k = pending.lookup_of[first];
    if (k != SIZE_MAX && pending.lookups[k].IsNotFound()) {
      current = pending.sealed[k];
    } else if (k != SIZE_MAX) {
      if (!pending.lookups[k].ok())
        return FromRocksDb(pending.lookups[k], "reading stored samples");
      std::string_view value(pending.stored[k].data(), pending.stored[k].size());
      if (!DecodeSampleRecord(value, timestamp, current.emplace())) {
        return Status::Corruption("stored sample of " + LabelsToString(batch[order[first]].labels) +
                                  " at " + std::to_string(timestamp) + " is damaged");
      }
    }
    bool written = false;
    for (std::size_t p = first; p < end; ++p) {
      const Sample& sample = batch[order[p]];
      SampleRecord next{sample.value,      pending.writer_of[order[p]],
                        sample.arrived_at, 0,
                        sample.comment,    sample.arrived_at};
      if (current && SameReading(*current, next)) {
        ++summary.unchanged;
        continue;
      }
      if (current) {
        next = Revise(*current, std::move(next));
        pending.updates.Put(database_->family(Space::kAudit),
                            AuditKey(id, timestamp, next.revision),
                            EncodeAuditRecord(now, *current, next, timestamp));
        ++summary.changed;
      } else {
        ++summary.inserted;
      }
      current = std::move(next);
      written = true;
    }
    if (written && k == SIZE_MAX && head_enabled && Sealable(*current)) {
      // Fresh: newer than everything the series held, and plain.
      const BlockSample sample{timestamp, current->value, current->writer, current->arrived_at};
      AppendHeadLogSample(id, sample, pending.head_previous, pending.head_entry);
      pending.fresh.emplace_back(id, sample);
    } else if (written) {
      encoded.clear();
      EncodeSampleRecord(*current, timestamp, encoded);
      pending.updates.Put(samples_family, SampleKey(id, timestamp), encoded);
    }
    if (written) {
      if (pending.changed_series.empty() || pending.changed_series.back() != id) {
        pending.changed_series.push_back(id);
      }
      const bool over_head =
          k != SIZE_MAX && pending.lookups[k].IsNotFound() && pending.in_head[k] != nullptr;
      if (over_head &&
          (pending.corrected_in_head.empty() || pending.corrected_in_head.back() != id)) {
        pending.corrected_in_head.push_back(id);
      }
    }
    const bool last_of_series = end == order.size() || pending.series_of[order[end]] != id;
    if (last_of_series && written && timestamp > index.latest_timestamp(id)) {
      pending.latest_updates.emplace_back(id, timestamp);
    }
    first = end;
  }
  if (!pending.head_entry.empty()) {
    pending.updates.Put(database_->family(Space::kHead), HeadKey(next_head_sequence_++),
                        pending.head_entry);
  }
  return Status::Ok();
}

}  // namespace chiso::store_internal
