// Store::Write: validation, series and writer resolution, overwrite and audit decisions, one
// atomic RocksDB batch.
//
// The samples of a batch are visited in (series, timestamp, batch position) order: samples of the
// same key become neighbours and apply in batch order, and the last key of each series carries
// its greatest timestamp, the candidate for the series' latest timestamp.
#include <rocksdb/slice.h>

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
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

}  // namespace

Result<WriteSummary> StoreImpl::Write(const SampleBatch& batch) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (Status s = ValidateSample(batch[i], i); !s.ok()) return s;
  }
  WriteSummary summary;
  rocksdb::ColumnFamilyHandle* const samples_family = database_->family(Space::kSamples);
  // About what a new sample takes in the batch (tag, family, key, record), so that it grows once.
  constexpr std::size_t kBatchBytesPerSample = 32;
  rocksdb::WriteBatch updates(batch.size() * kBatchBytesPerSample);

  // 1. Series and writer ids already known, looked up beside other writers.
  std::vector<SeriesId> series_of(batch.size(), kUnresolved);
  std::vector<WriterId> writer_of(batch.size(), kUnresolved);
  const BatchLabelSets label_sets(batch);
  const auto resolve_known = [&] {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::size_t ahead = i + kPrefetchDistance;
      if (ahead < batch.size() && series_of[ahead] == kUnresolved) {
        index_.Prefetch(label_sets.hash(ahead));
      }
      if (series_of[i] == kUnresolved) {
        if (const auto known = index_.Find(label_sets[i], label_sets.hash(i))) {
          series_of[i] = *known;
        }
      }
      if (writer_of[i] == kUnresolved) {
        if (const auto known = writers_.Find(batch[i].writer)) writer_of[i] = *known;
      }
    }
  };
  {
    std::shared_lock index_lock(index_mu_);
    resolve_known();
  }
  std::unique_lock write_lock(write_mu_);
  // Series created meanwhile are known now; wait out other batches writing these series.
  for (resolve_known(); WritesAnyInFlight(series_of); resolve_known()) {
    write_done_.wait(write_lock);
  }
  if (Status s = ResumeAfterWriteError(write_lock); !s.ok()) return s;

  // 2. Series and writers first seen in this batch are registered before its samples, on their
  // own: the sample write can then run beside other batches. Should it fail, the series stay
  // registered without samples, which a retry of the batch finds.
  NewEntries fresh;
  rocksdb::WriteBatch registration;
  const auto new_series = [&](std::size_t i) {
    const std::string_view canonical = label_sets[i];
    if (const auto it = fresh.series_ids.find(canonical); it != fresh.series_ids.end()) {
      return it->second;
    }
    const auto id = static_cast<SeriesId>(index_.size() + fresh.series.size());
    registration.Put(database_->family(Space::kSeries), SeriesKey(id), canonical);
    fresh.series_ids.emplace(canonical, id);
    fresh.series.push_back(i);
    return id;
  };
  const auto new_writer = [&](const std::string& writer) {
    if (const auto it = fresh.writer_ids.find(writer); it != fresh.writer_ids.end()) {
      return it->second;
    }
    const auto id = static_cast<WriterId>(writers_.size() + fresh.writers.size());
    registration.Put(database_->family(Space::kMeta), WriterKey(id), writer);
    fresh.writer_ids.emplace(writer, id);
    fresh.writers.push_back(writer);
    return id;
  };
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (series_of[i] == kUnresolved) series_of[i] = new_series(i);
    if (writer_of[i] == kUnresolved) writer_of[i] = new_writer(batch[i].writer);
  }
  summary.new_series = fresh.series.size();
  if (registration.Count() > 0) {
    Status registered = Register(registration, [&] {
      for (std::size_t i : fresh.series) index_.Add(batch[i].labels, label_sets[i]);
      for (auto& writer : fresh.writers) writers_.Add(std::move(writer));
    });
    if (!registered.ok()) return registered;
  }
  // Every series of the batch is in the index now (kNoSample for the new ones).
  const auto committed_latest = [&](SeriesId id) { return index_.latest_timestamp(id); };

  // 2. Visiting order, and the stored samples this batch may overwrite: a sample can exist only
  // at or before its series' latest timestamp, so the usual newer-than-everything sample needs
  // no read.
  std::vector<std::uint32_t> order(batch.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (series_of[a] != series_of[b]) return series_of[a] < series_of[b];
    if (batch[a].timestamp != batch[b].timestamp) return batch[a].timestamp < batch[b].timestamp;
    return a < b;
  });
  const auto same_key = [&](std::uint32_t a, std::uint32_t b) {
    return series_of[a] == series_of[b] && batch[a].timestamp == batch[b].timestamp;
  };
  std::vector<std::string> lookup_keys;
  std::vector<std::size_t> lookup_of(batch.size(), SIZE_MAX);  // by position in `order`
  for (std::size_t p = 0; p < order.size(); ++p) {
    const std::uint32_t i = order[p];
    if (p > 0 && same_key(order[p - 1], i)) continue;
    if (batch[i].timestamp <= committed_latest(series_of[i])) {
      lookup_of[p] = lookup_keys.size();
      lookup_keys.push_back(SampleKey(series_of[i], batch[i].timestamp));
    }
  }
  std::vector<rocksdb::PinnableSlice> stored(lookup_keys.size());
  std::vector<rocksdb::Status> lookups(lookup_keys.size());
  if (!lookup_keys.empty()) {
    std::vector<rocksdb::Slice> slices(lookup_keys.begin(), lookup_keys.end());
    database_->db().MultiGet(rocksdb::ReadOptions(), samples_family, slices.size(), slices.data(),
                             stored.data(), lookups.data(), /*sorted_input=*/true);
  }

  // 3. Per key: apply its samples in batch order against the stored record.
  const TimestampMs now = clock_->Now();
  std::vector<std::pair<SeriesId, TimestampMs>> latest_updates;
  std::vector<SeriesId> changed_series;  // ascending, each once
  std::string encoded;
  for (std::size_t first = 0; first < order.size();) {
    std::size_t end = first + 1;
    while (end < order.size() && same_key(order[first], order[end])) ++end;
    const SeriesId id = series_of[order[first]];
    const TimestampMs timestamp = batch[order[first]].timestamp;

    std::optional<SampleRecord> current;
    if (const std::size_t k = lookup_of[first]; k != SIZE_MAX && !lookups[k].IsNotFound()) {
      if (!lookups[k].ok()) return FromRocksDb(lookups[k], "reading stored samples");
      std::string_view value(stored[k].data(), stored[k].size());
      if (!DecodeSampleRecord(value, timestamp, current.emplace())) {
        return Status::Corruption("stored sample of " + LabelsToString(batch[order[first]].labels) +
                                  " at " + std::to_string(timestamp) + " is damaged");
      }
    }
    bool written = false;
    for (std::size_t p = first; p < end; ++p) {
      const Sample& sample = batch[order[p]];
      SampleRecord next{sample.value,   writer_of[order[p]], sample.arrived_at, 0,
                        sample.comment, sample.arrived_at};
      if (current && SameReading(*current, next)) {
        ++summary.unchanged;
        continue;
      }
      if (current) {
        next = Revise(*current, std::move(next));
        updates.Put(database_->family(Space::kAudit), AuditKey(id, timestamp, next.revision),
                    EncodeAuditRecord(now, *current, next, timestamp));
        ++summary.changed;
      } else {
        ++summary.inserted;
      }
      current = std::move(next);
      written = true;
    }
    if (written) {
      encoded.clear();
      EncodeSampleRecord(*current, timestamp, encoded);
      updates.Put(samples_family, SampleKey(id, timestamp), encoded);
      if (changed_series.empty() || changed_series.back() != id) changed_series.push_back(id);
    }
    // The last key of a series holds its greatest timestamp in the batch.
    const bool last_of_series = end == order.size() || series_of[order[end]] != id;
    if (last_of_series && written && timestamp > committed_latest(id)) {
      latest_updates.emplace_back(id, timestamp);
    }
    first = end;
  }

  const auto update_memory = [&] {
    for (const auto& [id, timestamp] : latest_updates) index_.set_latest_timestamp(id, timestamp);
    const std::uint64_t generation = index_.NextGeneration();
    for (SeriesId id : changed_series) index_.MarkChanged(id, generation);
  };
  Status committed = updates.Count() == 0
                         ? Commit(updates, update_memory, write_lock)
                         : CommitBesideOthers(updates, changed_series, update_memory, write_lock);
  if (!committed.ok()) return committed;
  return summary;
}

}  // namespace chiso::store_internal
