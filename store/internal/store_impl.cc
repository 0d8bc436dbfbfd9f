#include "store/internal/store_impl.h"

#include <rocksdb/perf_level.h>

#include <system_error>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/sample_codec.h"

namespace chiso::store_internal {
namespace {

std::function<Status()> SyncFunction(Database& database) {
  return
      [&database] { return FromRocksDb(database.db().SyncWAL(), "syncing the write-ahead log"); };
}

// The write path puts each key space's keys in ascending order, so the insert position of one key
// is a good starting point for the next: with this hint, memtable inserts of batches written side
// by side skip most of the skip-list search.
rocksdb::WriteOptions HintedWriteOptions() {
  rocksdb::WriteOptions write;
  write.memtable_insert_hint_per_batch = true;
  return write;
}

std::chrono::milliseconds SyncWindow(const StoreOptions& options) {
  return options.sync_mode == SyncMode::kGroupCommit ? options.group_commit_window
                                                     : std::chrono::milliseconds(0);
}

std::uint64_t DirectorySize(const std::filesystem::path& dir) {
  std::uint64_t total = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const auto size = it->file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

Status ValidateOptions(const StoreOptions& options) {
  if (options.background_threads < 1) {
    return Status::InvalidArgument("store background_threads must be at least 1");
  }
  if (options.group_commit_window.count() < 0 || options.retention_interval.count() < 0 ||
      options.seal_interval.count() < 0) {
    return Status::InvalidArgument("store durations must not be negative");
  }
  for (const RetentionRule& rule : options.retention) {
    if (rule.keep.count() <= 0) {
      return Status::InvalidArgument("retention for metric prefix \"" + rule.metric_prefix +
                                     "\" must keep samples for a positive duration");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> StoreImpl::Open(const StoreOptions& options) {
  return OpenImpl(options, nullptr);
}

Result<std::unique_ptr<Store>> StoreImpl::TEST_OpenWithEnv(const StoreOptions& options,
                                                           rocksdb::Env* env) {
  return OpenImpl(options, env);
}

Result<std::unique_ptr<Store>> StoreImpl::OpenImpl(const StoreOptions& options, rocksdb::Env* env) {
  if (Status s = ValidateOptions(options); !s.ok()) return s;
  auto database = Database::Open(options, env);
  if (!database.ok()) return database.status();
  std::unique_ptr<StoreImpl> impl(new StoreImpl(options, std::move(database).value()));
  if (Status s = impl->LoadIndex(); !s.ok()) return s;
  StoreImpl* const raw = impl.get();
  if (!options.retention.empty() && options.retention_interval.count() > 0) {
    impl->retention_thread_ = std::jthread([raw](const std::stop_token& stop) {
      raw->RunEvery(
          stop, raw->options_.retention_interval,
          [raw] { return raw->EnforceRetention().status(); }, &StoreImpl::retention_error_);
    });
  }
  if (options.head_max_samples > 0) {
    impl->drain_thread_ =
        std::jthread([raw](const std::stop_token& stop) { raw->RunDrains(stop); });
  }
  if (options.seal_interval.count() > 0) {
    impl->seal_thread_ = std::jthread([raw](const std::stop_token& stop) {
      raw->RunEvery(
          stop, raw->options_.seal_interval,
          [raw] { return raw->SealDenseWindows(SealReach::kCompleteDays); },
          &StoreImpl::seal_error_);
    });
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

StoreImpl::StoreImpl(const StoreOptions& options, std::unique_ptr<Database> database)
    : options_(options),
      clock_(options.clock ? options.clock : std::make_shared<SystemClock>()),
      database_(std::move(database)),
      syncer_(SyncFunction(*database_), SyncWindow(options)) {}

StoreImpl::~StoreImpl() {
  for (std::jthread* thread : {&drain_thread_, &seal_thread_, &retention_thread_}) {
    if (!thread->joinable()) continue;
    thread->request_stop();
    thread->join();
  }
}

// Rebuilds the in-memory series index, writer table and latest timestamps. Ids must be dense:
// each series and writer id is allocated as the next one under write_mu_, and the new ids of a
// batch are written in one atomic write before its samples. A series' latest timestamp is that of
// its last sample key, found from the end of the samples key space with one backward seek per
// series that has samples.
Status StoreImpl::LoadIndex() {
  // Nothing else runs yet; the locks are those every change of the index holds.
  MutexLock write_lock(&write_mu_);
  WriterMutexLock index_lock(&index_mu_);
  rocksdb::DB& db = database_->db();
  std::unique_ptr<rocksdb::Iterator> it(
      db.NewIterator(rocksdb::ReadOptions(), database_->family(Space::kSeries)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    Labels labels;
    const std::string_view key(it->key().data(), it->key().size());
    const std::string_view canonical(it->value().data(), it->value().size());
    if (key.size() != kSeriesIdBytes || SeriesIdFromKey(key) != index_.size() ||
        !DecodeLabels(canonical, labels)) {
      return Status::Corruption("series index entry " + std::to_string(index_.size()) +
                                " is damaged");
    }
    index_.Add(labels, canonical);
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "loading the series index");

  it.reset(db.NewIterator(rocksdb::ReadOptions(), database_->family(Space::kMeta)));
  for (it->Seek("w"); it->Valid() && it->key().starts_with("w"); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (!IsWriterKey(key) || WriterIdFromKey(key) != writers_.size()) {
      return Status::Corruption("writer table entry " + std::to_string(writers_.size()) +
                                " is damaged");
    }
    writers_.Add(it->value().ToString());
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "loading the writer table");

  rocksdb::ReadOptions whole_space;
  whole_space.total_order_seek = true;  // the seeks below cross series (the prefix of the filters)
  it.reset(db.NewIterator(whole_space, database_->family(Space::kSamples)));
  for (it->SeekToLast(); it->Valid();) {
    const std::string_view key(it->key().data(), it->key().size());
    if (key.size() != kSampleKeyBytes) return Status::Corruption("a sample key is damaged");
    const SeriesId id = SeriesIdFromKey(key);
    if (id >= index_.size()) {
      return Status::Corruption("samples of unknown series " + std::to_string(id));
    }
    index_.set_latest_timestamp(id, TimestampFromSampleKey(key));
    if (id == 0) break;
    it->SeekForPrev(SeriesKey(id));  // the last key before every key of `id`
  }
  if (!it->status().ok())
    return FromRocksDb(it->status(), "finding the latest sample of each series");
  return ReplayHead();
}

Status StoreImpl::ReplayHead() {
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db().NewIterator(rocksdb::ReadOptions(), database_->family(Space::kHead)));
  std::vector<std::pair<SeriesId, BlockSample>> fresh;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    fresh.clear();
    if (key.size() != kHeadKeyBytes ||
        !DecodeHeadLogEntry({it->value().data(), it->value().size()}, fresh)) {
      return Status::Corruption("head log entry " + std::to_string(next_head_sequence_) +
                                " is damaged");
    }
    next_head_sequence_ = SequenceFromHeadKey(key) + 1;
    for (const auto& [id, sample] : fresh) {
      if (id >= index_.size()) {
        return Status::Corruption("head log holds samples of unknown series " + std::to_string(id));
      }
      head_.Append(id, sample);
      head_.MarkCorrected(id);  // whether a record replaced it is not known here
      if (sample.timestamp > index_.latest_timestamp(id)) {
        index_.set_latest_timestamp(id, sample.timestamp);
      }
    }
  }
  return FromRocksDb(it->status(), "replaying the head log");
}

rocksdb::Status StoreImpl::WriteUnsynced(rocksdb::WriteBatch& batch) {
  // RocksDB counts key comparisons per thread by default (perf level kEnableCount): a few
  // percent of an ingest profile spent on thread-local counters nobody reads.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  // Unsynced here; WalSyncer makes it durable before the caller is answered. The record reaches
  // the OS before Write returns, so a crash of this process alone cannot lose it.
  // RocksDB 7.8 keeps one insert hint per memtable for a batch, shared by its point and range
  // deletion tables: a batch mixing a range deletion with point writes to one key space then
  // inserts with the other table's hint (an assertion in the skip list, found by a drain's
  // batch). Such batches (drains, retention) go without hints.
  static const rocksdb::WriteOptions kUnhinted;
  const rocksdb::Status written =
      database_->db().Write(batch.HasDeleteRange() ? kUnhinted : HintedWriteOptions(), &batch);
  if (!written.ok()) write_failed_ = true;
  return written;
}

Result<std::uint64_t> StoreImpl::CommitUnsynced(rocksdb::WriteBatch& batch,
                                                const IndexUpdate& update) {
  if (batch.Count() == 0) return syncer_.Issued();
  const rocksdb::Status written = WriteUnsynced(batch);
  if (!written.ok()) return FromRocksDb(written, "writing to the store");
  {
    WriterMutexLock index_lock(&index_mu_);
    ApplyToIndex(update);
  }
  return syncer_.Written();
}

Result<std::uint64_t> StoreImpl::CommitBesideOthers(rocksdb::WriteBatch& batch,
                                                    const IndexUpdate& update) {
  const std::size_t series_count = IndexUnderWriteMu().size();
  if (series_in_flight_.size() < series_count) series_in_flight_.resize(series_count);
  for (SeriesId id : update.changed) series_in_flight_[id] = 1;
  ++writes_in_flight_;
  write_mu_.Unlock();
  const rocksdb::Status written = WriteUnsynced(batch);
  const std::uint64_t ticket = written.ok() ? syncer_.Written() : 0;
  write_mu_.Lock();
  for (SeriesId id : update.changed) series_in_flight_[id] = 0;
  --writes_in_flight_;
  if (!written.ok()) return FromRocksDb(written, "writing to the store");
  WriterMutexLock index_lock(&index_mu_);
  ApplyToIndex(update);
  return ticket;
}

Status StoreImpl::AwaitDurable(const Result<std::uint64_t>& ticket) {
  if (!ticket.ok()) return ticket.status();
  Status durable = syncer_.WaitDurable(*ticket);
  if (!durable.ok()) write_failed_ = true;
  return durable;
}

void StoreImpl::ApplyToIndex(const IndexUpdate& update) {
  if (update.drained) head_.Clear();
  for (const auto& [id, sample] : update.fresh) head_.Append(id, sample);
  for (SeriesId id : update.corrected) head_.MarkCorrected(id);
  if (!update.fresh.empty() && head_.samples() >= options_.head_max_samples) RequestDrain();
  for (const auto& [id, timestamp] : update.latest) index_.set_latest_timestamp(id, timestamp);
  if (update.changed.empty()) return;
  const std::uint64_t generation = index_.NextGeneration();
  for (SeriesId id : update.changed) index_.MarkChanged(id, generation);
}

bool StoreImpl::WritesAnyInFlight(std::span<const SeriesId> series) const {
  if (writes_in_flight_ == 0) return false;
  for (SeriesId id : series) {
    if (id < series_in_flight_.size() && series_in_flight_[id] != 0) return true;
  }
  return false;
}

void StoreImpl::WaitForWritesInFlight() {
  ++waiting_for_quiet_;
  while (writes_in_flight_ != 0) write_done_.Wait(write_mu_);
  --waiting_for_quiet_;
  write_done_.SignalAll();  // batches held back wake once write_mu_ is free
}

// RocksDB stops accepting writes after a failed write or a failed background flush/compaction.
// When the cause is a full disk it recovers by itself once space is free (RocksDB checks every
// few seconds); each mutation meanwhile asks it to resume and reports why it cannot.
Status StoreImpl::ResumeAfterWriteError() {
  if (!write_failed_ && database_->listener().background_error().empty()) return Status::Ok();
  WaitForWritesInFlight();
  const rocksdb::Status resumed = database_->db().Resume();
  if (resumed.ok()) {
    write_failed_ = false;
    database_->listener().ClearBackgroundError();
    return Status::Ok();
  }
  const std::string cause = database_->listener().background_error();
  if (IsNoSpace(resumed) || cause.find("No space left on device") != std::string::npos) {
    return Status::ResourceExhausted(
        "disk full: the store accepts writes again shortly after space is freed (" +
        (cause.empty() ? resumed.ToString() : cause) + ")");
  }
  if (resumed.IsBusy()) {
    return Status::Unavailable("the store is recovering from a failed write (" + cause +
                               "); retry shortly");
  }
  return FromRocksDb(resumed, "the store is read-only after a failed write; resuming it");
}

StoreImpl::ReadView StoreImpl::BeginRead(std::span<const LabelMatcher> matchers,
                                         HeadPart head) const {
  ReadView view;
  ReaderMutexLock index_lock(&index_mu_);
  view.snapshot = std::make_unique<rocksdb::ManagedSnapshot>(&database_->db());
  view.ids = index_.Match(matchers);
  view.labels.reserve(view.ids.size());
  view.latest.reserve(view.ids.size());
  if (head.what != HeadPart::kNone) view.head.resize(view.ids.size());
  for (std::size_t i = 0; i < view.ids.size(); ++i) {
    const SeriesId id = view.ids[i];
    view.labels.push_back(index_.LabelsOf(id));
    view.latest.push_back(index_.latest_timestamp(id));
    const auto [from, to] = head.what == HeadPart::kRange
                                ? std::pair(head.from, head.to)
                                : std::pair(view.latest[i], view.latest[i]);
    if (head.what != HeadPart::kNone) {
      // Taken samples are older; the last ones are in both (SortSealed keeps one).
      if (taken_) taken_->CopyRange(id, from, to, view.head[i]);
      head_.CopyRange(id, from, to, view.head[i]);
    }
  }
  view.writer_names = writers_.names();
  return view;
}

std::unique_ptr<rocksdb::Iterator> StoreImpl::NewSeriesScan(const ReadView& view,
                                                            Space space) const {
  rocksdb::ReadOptions read;
  read.snapshot = view.snapshot->snapshot();
  read.prefix_same_as_start = true;  // stay within one series; lets prefix filters skip files
  return std::unique_ptr<rocksdb::Iterator>(
      database_->db().NewIterator(read, database_->family(space)));
}

void StoreImpl::RequestDrain() {
  {
    std::lock_guard lock(drain_wait_mu_);
    drain_requested_ = true;
  }
  drain_wakeup_.notify_one();
}

void StoreImpl::RunDrains(const std::stop_token& stop) {
  std::unique_lock wait_lock(drain_wait_mu_);
  while (drain_wakeup_.wait(wait_lock, stop, [this] { return drain_requested_; })) {
    drain_requested_ = false;
    wait_lock.unlock();
    Status status;
    {
      MutexLock pass_lock(&seal_mu_);
      status = DrainDenseWindows();
    }
    {
      MutexLock lock(&background_mu_);
      drain_error_ = status.ok() ? "" : status.message();
    }
    wait_lock.lock();
  }
}

Status StoreImpl::Compact() {
  if (Status s = SealDenseWindows(SealReach::kBeforeLatest); !s.ok()) return s;
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (rocksdb::ColumnFamilyHandle* family : database_->families()) {
    const rocksdb::Status s = database_->db().CompactRange(compact, family, nullptr, nullptr);
    if (!s.ok()) return FromRocksDb(s, "compacting " + family->GetName());
  }
  return Status::Ok();
}

StoreStats StoreImpl::Stats() const {
  StoreStats stats;
  rocksdb::DB& db = database_->db();
  stats.bytes_on_disk = DirectorySize(options_.data_dir);
  {
    ReaderMutexLock index_lock(&index_mu_);
    stats.series = index_.size();
    stats.head_samples = head_.samples() + (taken_ ? taken_->samples() : 0);
  }
  stats.head_drains_total = head_drains_;
  std::uint64_t value = 0;
  if (db.GetIntProperty(database_->family(Space::kSamples),
                        rocksdb::DB::Properties::kEstimateNumKeys, &value)) {
    stats.samples_estimate = value;
  }
  for (int i = 0; i < kSpaceCount; ++i) {
    KeySpaceStats space{i == 0 ? "meta" : SpaceName(Space(i))};
    rocksdb::ColumnFamilyHandle* family = database_->family(Space(i));
    if (db.GetIntProperty(family, rocksdb::DB::Properties::kTotalSstFilesSize, &value)) {
      space.table_bytes = value;
    }
    if (db.GetIntProperty(family, rocksdb::DB::Properties::kEstimateNumKeys, &value)) {
      space.keys_estimate = value;
    }
    stats.key_spaces.push_back(std::move(space));
  }
  if (db.GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
                                  &value)) {
    stats.pending_compaction_bytes = value;
  }
  stats.compactions_total = database_->listener().compactions();
  stats.flushes_total = database_->listener().flushes();
  stats.wal_syncs_total = syncer_.syncs();
  stats.background_error = database_->listener().background_error();
  if (stats.background_error.empty()) {
    MutexLock lock(&background_mu_);
    if (!retention_error_.empty()) stats.background_error = "retention: " + retention_error_;
    if (!seal_error_.empty()) stats.background_error = "sealing: " + seal_error_;
    if (!drain_error_.empty()) stats.background_error = "draining the head: " + drain_error_;
  }
  return stats;
}

}  // namespace chiso::store_internal
