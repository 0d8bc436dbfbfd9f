// Store reads: Select, Latest, Audit and the in-memory label queries.
#include <algorithm>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/sample_block.h"
#include "store/internal/sample_codec.h"
#include "store/internal/store_impl.h"

namespace chiso::store_internal {
namespace {

std::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

StoredSample ToStoredSample(TimestampMs timestamp, SampleRecord&& record,
                            const std::vector<std::string>& writer_names) {
  StoredSample sample;
  sample.timestamp = timestamp;
  sample.value = record.value;
  sample.revision = record.revision;
  if (record.writer < writer_names.size()) sample.writer = writer_names[record.writer];
  sample.arrived_at = record.arrived_at;
  sample.first_arrived_at = record.first_arrived_at;
  sample.comment = std::move(record.comment);
  return sample;
}

// Counts what a query returns against its limits.
class LimitGuard {
 public:
  explicit LimitGuard(const QueryLimits& limits) : limits_(limits) {}
  Status AddSeries() {
    if (limits_.max_series != 0 && ++series_ > limits_.max_series) {
      return Status::ResourceExhausted("query selects more than " +
                                       std::to_string(limits_.max_series) + " series");
    }
    return Status::Ok();
  }
  Status AddSample() {
    if (limits_.max_samples != 0 && ++samples_ > limits_.max_samples) {
      return Status::ResourceExhausted("query returns more than " +
                                       std::to_string(limits_.max_samples) + " samples");
    }
    return Status::Ok();
  }

 private:
  const QueryLimits limits_;
  std::size_t series_ = 0;
  std::size_t samples_ = 0;
};

// Refuses an empty range; clamps it to the timestamps the store holds (it may then be empty:
// from > to).
Status CheckRange(TimestampMs& from, TimestampMs& to) {
  if (from > to) {
    return Status::InvalidArgument("time range is empty: from " + std::to_string(from) +
                                   " is after to " + std::to_string(to));
  }
  from = std::max(from, kMinSampleTimestamp);
  to = std::min(to, kMaxSampleTimestamp);
  return Status::Ok();
}

// A key space Select or Audit reads: its keys start with (series id, timestamp).
struct RangeScan {
  std::size_t key_bytes;                               // of every key
  std::string (*first_key)(SeriesId id, TimestampMs);  // where a series' entries at time >= t begin
  const char* entry_name;                              // in errors: "... of <labels> is damaged"
  const char* reading;                                 // in errors: "... failed"
};

constexpr RangeScan kSampleScan{kSampleKeyBytes,
                                [](SeriesId id, TimestampMs from) { return SampleKey(id, from); },
                                "stored sample", "reading samples"};
constexpr RangeScan kAuditScan{kAuditKeyBytes,
                               [](SeriesId id, TimestampMs from) { return AuditKey(id, from, 0); },
                               "audit entry", "reading the audit trail"};

// The entries `it` finds for series `id` at from <= timestamp <= to, appended to `entries`, each
// decoded by `decode(key, timestamp, value, entry)` (false: damaged; `labels` name the series in
// the error).
template <typename Entry, typename Decode>
Status ScanSeries(rocksdb::Iterator& it, const RangeScan& scan, SeriesId id, const Labels& labels,
                  TimestampMs from, TimestampMs to, const Decode& decode,
                  std::vector<Entry>& entries) {
  for (it.Seek(scan.first_key(id, from)); it.Valid(); it.Next()) {
    const std::string_view key = View(it.key());
    if (key.size() != scan.key_bytes || SeriesIdFromKey(key) != id) break;
    const TimestampMs timestamp = TimestampFromSampleKey(key);
    if (timestamp > to) break;
    if (!decode(key, timestamp, View(it.value()), entries.emplace_back())) {
      return Status::Corruption(std::string(scan.entry_name) + " of " + LabelsToString(labels) +
                                " at " + std::to_string(timestamp) + " is damaged");
    }
  }
  return FromRocksDb(it.status(), scan.reading);
}

// The range scan of Select and Audit: per series of `ids` (labels parallel, moved into the
// result), the entries `scan_series(i, entries)` finds. Series without entries are left out.
template <typename Series, typename Entry, typename ScanOne>
Result<std::vector<Series>> ScanRange(std::span<const SeriesId> ids, std::vector<Labels>& labels,
                                      const QueryLimits& limits, const ScanOne& scan_series) {
  std::vector<Series> result;
  LimitGuard guard(limits);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::vector<Entry> entries;
    if (Status s = scan_series(i, entries); !s.ok()) return s;
    if (entries.empty()) continue;
    if (Status s = guard.AddSeries(); !s.ok()) return s;
    for (std::size_t k = 0; k < entries.size(); ++k) {
      if (Status s = guard.AddSample(); !s.ok()) return s;
    }
    result.push_back({std::move(labels[i]), std::move(entries)});
  }
  return result;
}

// The samples of series `id` at from <= timestamp <= to outside records: those of the blocks `it`
// finds, and `fresh`, the head's (ascending).
Status ScanSealed(rocksdb::Iterator& it, SeriesId id, const Labels& labels, TimestampMs from,
                  TimestampMs to, std::span<const BlockSample> fresh,
                  const std::vector<std::string>& writer_names,
                  std::vector<StoredSample>& samples) {
  std::vector<BlockSample> gathered;
  std::vector<BlockSample> block;
  for (it.Seek(SampleKey(id, BlockWindow(from))); it.Valid(); it.Next()) {
    const std::string_view key = View(it.key());
    if (key.size() != kSampleKeyBytes || SeriesIdFromKey(key) != id) break;
    if (TimestampFromSampleKey(key) > to) break;
    if (!DecodeSampleBlock(View(it.value()), block)) {
      return Status::Corruption("sealed block of " + LabelsToString(labels) + " at " +
                                std::to_string(TimestampFromSampleKey(key)) + " is damaged");
    }
    for (const BlockSample& sample : block) {
      if (sample.timestamp >= from && sample.timestamp <= to) gathered.push_back(sample);
    }
  }
  if (!it.status().ok()) return FromRocksDb(it.status(), "reading sealed samples");
  // A drain committing during the read may show a sample in both the head and a block.
  gathered.insert(gathered.end(), fresh.begin(), fresh.end());
  SortSealed(gathered);
  samples.reserve(gathered.size());
  for (const BlockSample& sample : gathered) {
    samples.push_back(ToStoredSample(sample.timestamp, sample.ToRecord(), writer_names));
  }
  return Status::Ok();
}

// `records` and `sealed` (each ascending) in one ascending list; a record replaces the sealed
// sample at its instant.
std::vector<StoredSample> MergeSealed(std::vector<StoredSample> records,
                                      std::vector<StoredSample> sealed) {
  if (sealed.empty()) return records;
  std::vector<StoredSample> merged;
  merged.reserve(records.size() + sealed.size());
  auto record = records.begin();
  for (StoredSample& sample : sealed) {
    for (; record != records.end() && record->timestamp < sample.timestamp; ++record) {
      merged.push_back(std::move(*record));
    }
    if (record != records.end() && record->timestamp == sample.timestamp) continue;
    merged.push_back(std::move(sample));
  }
  for (; record != records.end(); ++record) merged.push_back(std::move(*record));
  return merged;
}

}  // namespace

Result<std::vector<SeriesSamples>> StoreImpl::Select(std::span<const LabelMatcher> matchers,
                                                     TimestampMs from, TimestampMs to,
                                                     const QueryLimits& limits) const {
  if (Status s = CheckRange(from, to); !s.ok()) return s;
  ReadView view = BeginRead(matchers, {HeadPart::kRange, from, to});
  if (from > to) return std::vector<SeriesSamples>{};
  const std::unique_ptr<rocksdb::Iterator> records = NewSeriesScan(view, Space::kSamples);
  const std::unique_ptr<rocksdb::Iterator> blocks = NewSeriesScan(view, Space::kBlocks);
  const auto decode = [&](std::string_view, TimestampMs timestamp, std::string_view value,
                          StoredSample& sample) {
    SampleRecord record;
    if (!DecodeSampleRecord(value, timestamp, record)) return false;
    sample = ToStoredSample(timestamp, std::move(record), view.writer_names);
    return true;
  };
  const auto scan_series = [&](std::size_t i, std::vector<StoredSample>& samples) {
    std::vector<StoredSample> unsealed;
    std::vector<StoredSample> sealed;
    if (Status s = ScanSeries(*records, kSampleScan, view.ids[i], view.labels[i], from, to, decode,
                              unsealed);
        !s.ok()) {
      return s;
    }
    if (Status s = ScanSealed(*blocks, view.ids[i], view.labels[i], from, to, view.head[i],
                              view.writer_names, sealed);
        !s.ok()) {
      return s;
    }
    samples = MergeSealed(std::move(unsealed), std::move(sealed));
    return Status::Ok();
  };
  return ScanRange<SeriesSamples, StoredSample>(view.ids, view.labels, limits, scan_series);
}

Result<std::vector<LatestSample>> StoreImpl::Latest(std::span<const LabelMatcher> matchers,
                                                    const QueryLimits& limits) const {
  ReadView view = BeginRead(matchers, {HeadPart::kLatest});
  LimitGuard guard(limits);
  std::vector<std::size_t> positions;  // in view.ids, of the series with samples
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < view.ids.size(); ++i) {
    if (view.latest[i] == kNoSample) continue;
    if (Status s = guard.AddSeries(); !s.ok()) return s;
    if (Status s = guard.AddSample(); !s.ok()) return s;
    positions.push_back(i);
    keys.push_back(SampleKey(view.ids[i], view.latest[i]));
  }
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  rocksdb::ReadOptions read;
  read.snapshot = view.snapshot->snapshot();
  if (!keys.empty()) {
    database_->db().MultiGet(read, database_->family(Space::kSamples), keys.size(), slices.data(),
                             values.data(), statuses.data(), /*sorted_input=*/true);
  }
  std::vector<LatestSample> result;
  result.reserve(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::size_t i = positions[k];
    if (statuses[k].IsNotFound() && !view.head[i].empty()) {  // a fresh sample
      const BlockSample& fresh = view.head[i].front();
      result.push_back({std::move(view.labels[i]),
                        ToStoredSample(fresh.timestamp, fresh.ToRecord(), view.writer_names)});
      continue;
    }
    // Retention deletes a series' last samples before it clears the latest timestamp.
    if (statuses[k].IsNotFound()) continue;
    if (!statuses[k].ok()) return FromRocksDb(statuses[k], "reading latest samples");
    std::string_view value(values[k].data(), values[k].size());
    SampleRecord record;
    if (!DecodeSampleRecord(value, view.latest[i], record)) {
      return Status::Corruption("latest sample of " + LabelsToString(view.labels[i]) +
                                " is damaged");
    }
    result.push_back({std::move(view.labels[i]),
                      ToStoredSample(view.latest[i], std::move(record), view.writer_names)});
  }
  return result;
}

Result<std::vector<SeriesAudit>> StoreImpl::Audit(std::span<const LabelMatcher> matchers,
                                                  TimestampMs from, TimestampMs to,
                                                  const QueryLimits& limits) const {
  ReadView view = BeginRead(matchers, {HeadPart::kNone});
  const std::unique_ptr<rocksdb::Iterator> it = NewSeriesScan(view, Space::kAudit);
  const auto decode = [&](std::string_view key, TimestampMs timestamp, std::string_view value,
                          AuditEntry& entry) {
    SampleRecord old_record;
    SampleRecord new_record;
    if (!DecodeAuditRecord(value, timestamp, entry.changed_at, old_record, new_record)) {
      return false;
    }
    StoredSample before = ToStoredSample(timestamp, std::move(old_record), view.writer_names);
    StoredSample after = ToStoredSample(timestamp, std::move(new_record), view.writer_names);
    entry.timestamp = timestamp;
    entry.revision = RevisionFromAuditKey(key);
    entry.old_value = before.value;
    entry.new_value = after.value;
    entry.old_writer = std::move(before.writer);
    entry.new_writer = std::move(after.writer);
    entry.old_arrived_at = before.arrived_at;
    entry.new_arrived_at = after.arrived_at;
    entry.old_comment = std::move(before.comment);
    entry.new_comment = std::move(after.comment);
    return true;
  };
  if (Status s = CheckRange(from, to); !s.ok()) return s;
  const auto scan_series = [&](std::size_t i, std::vector<AuditEntry>& entries) {
    if (from > to) return Status::Ok();
    return ScanSeries(*it, kAuditScan, view.ids[i], view.labels[i], from, to, decode, entries);
  };
  return ScanRange<SeriesAudit, AuditEntry>(view.ids, view.labels, limits, scan_series);
}

std::vector<Labels> StoreImpl::FindSeries(std::span<const LabelMatcher> matchers) const {
  ReaderMutexLock index_lock(&index_mu_);
  std::vector<Labels> result;
  for (SeriesId id : index_.Match(matchers)) result.push_back(index_.LabelsOf(id));
  return result;
}

SeriesChanges StoreImpl::ChangedSeries(std::span<const LabelMatcher> matchers,
                                       std::uint64_t since) const {
  ReaderMutexLock index_lock(&index_mu_);
  SeriesChanges changes;
  changes.generation = index_.generation();
  if (since >= changes.generation) return changes;
  for (SeriesId id : index_.Match(matchers)) {
    if (index_.ChangedSince(id, since)) changes.series.push_back(index_.LabelsOf(id));
  }
  return changes;
}

std::vector<std::string> StoreImpl::LabelNames() const {
  ReaderMutexLock index_lock(&index_mu_);
  return index_.LabelNames();
}

std::vector<std::string> StoreImpl::LabelValues(std::string_view name) const {
  ReaderMutexLock index_lock(&index_mu_);
  return index_.LabelValues(name);
}

}  // namespace chiso::store_internal
