#include "forward/queue.h"

#include <algorithm>

namespace chiso::forward {
namespace {

constexpr std::size_t kHeaderBytes = 12;  // queued_at (8), sample count (4)

void AppendBigEndian(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::uint64_t ReadBigEndian(std::string_view in, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(in[i]);
  return value;
}

std::string EntryKey(std::uint64_t number) {
  std::string key;
  AppendBigEndian(key, number, 8);
  return key;
}

// The batch as series: consecutive samples of one series (as every protocol decodes them) share
// one; a series that comes back later in the batch starts another, which receivers merge.
std::vector<WriteRequestSeries> AsSeries(const SampleBatch& batch) {
  std::vector<WriteRequestSeries> series;
  for (const Sample& sample : batch) {
    if (series.empty() || series.back().labels != sample.labels) {
      series.push_back({sample.labels, {}});
    }
    series.back().samples.emplace_back(sample.timestamp, sample.value);
  }
  return series;
}

}  // namespace

ForwardQueue::ForwardQueue(Store& store, const Clock& clock, std::size_t max_pending_samples,
                           ForwardProbe* probe)
    : store_(store), clock_(clock), max_pending_samples_(max_pending_samples), probe_(probe) {}

Result<std::unique_ptr<ForwardQueue>> ForwardQueue::Open(Store& store, const Clock& clock,
                                                         const std::vector<std::string>& endpoints,
                                                         std::size_t max_pending_samples,
                                                         ForwardProbe* probe) {
  std::unique_ptr<ForwardQueue> queue(new ForwardQueue(store, clock, max_pending_samples, probe));
  auto stored = store.ScanState(kQueueSpace);
  if (!stored.ok()) return stored.status();
  for (const StateEntry& entry : *stored) {
    if (entry.key.size() != 8 || entry.value.size() < kHeaderBytes) {
      return Status::Corruption("forwarding queue entry of " + std::to_string(entry.key.size()) +
                                "-byte key and " + std::to_string(entry.value.size()) +
                                " bytes is damaged");
    }
    const Entry read{static_cast<TimestampMs>(ReadBigEndian(entry.value, 8)),
                     static_cast<std::size_t>(ReadBigEndian(entry.value.substr(8), 4))};
    queue->entries_.emplace(ReadBigEndian(entry.key, 8), read);
    queue->queued_samples_ += read.samples;
  }
  if (!queue->entries_.empty()) queue->next_entry_ = queue->entries_.rbegin()->first + 1;
  auto positions = store.ScanState(kPositionSpace);
  if (!positions.ok()) return positions.status();
  StateBatch batch;
  for (const StateEntry& position : *positions) {
    if (position.value.size() != 8) {
      return Status::Corruption("forwarding position of endpoint '" + position.key +
                                "' is damaged");
    }
    const std::uint64_t number = ReadBigEndian(position.value, 8);
    // Entry numbers are never reused, even when every entry was sent and deleted.
    queue->next_entry_ = std::max(queue->next_entry_, number);
    if (std::find(endpoints.begin(), endpoints.end(), position.key) == endpoints.end()) {
      batch.Delete(kPositionSpace, position.key);
    } else {
      queue->positions_[position.key] = number;
    }
  }
  for (const std::string& endpoint : endpoints) {
    if (queue->positions_.try_emplace(endpoint, queue->next_entry_).second) {
      batch.Put(kPositionSpace, endpoint, EntryKey(queue->next_entry_));
    }
  }
  std::lock_guard lock(queue->mu_);
  queue->TrimLocked(batch);
  if (Status s = store.WriteState(batch); !s.ok()) return s;
  return queue;
}

std::uint64_t ForwardQueue::Stage(const SampleBatch& batch, StateBatch& with_state) {
  const Entry entry{clock_.Now(), batch.size()};
  std::uint64_t number = 0;
  {
    std::lock_guard lock(mu_);
    number = next_entry_++;
    staged_.emplace(number, entry);
  }
  std::string value;
  AppendBigEndian(value, static_cast<std::uint64_t>(entry.queued_at), 8);
  AppendBigEndian(value, entry.samples, 4);
  value += EncodeWriteRequest(AsSeries(batch));
  with_state.Put(kQueueSpace, EntryKey(number), value);
  return number;
}

void ForwardQueue::Settle(std::uint64_t ticket, bool written) {
  StateBatch drops;
  {
    std::lock_guard lock(mu_);
    const auto staged = staged_.find(ticket);
    if (staged == staged_.end()) return;
    if (written) {
      entries_.emplace(ticket, staged->second);
      queued_samples_ += staged->second.samples;
    }
    staged_.erase(staged);
    DropOldestLocked(drops);
  }
  readable_.notify_all();
  // A failed write leaves the dropped entries in the store: they are read again at Open and
  // sent once more, which receivers tolerate; nothing is lost.
  if (!drops.empty()) (void)store_.WriteState(drops);
}

Status ForwardQueue::Enqueue(const SampleBatch& batch) {
  StateBatch entry;
  const std::uint64_t ticket = Stage(batch, entry);
  Status written = store_.WriteState(entry);
  Settle(ticket, written.ok());
  return written;
}

void ForwardQueue::DropOldestLocked(StateBatch& batch) {
  while (queued_samples_ > max_pending_samples_ && entries_.size() > 1) {
    const auto [number, entry] = *entries_.begin();
    for (auto& [endpoint, position] : positions_) {
      if (position > number) continue;
      if (probe_) probe_->Dropped(endpoint, "queue_full", entry.samples);
      position = number + 1;
      batch.Put(kPositionSpace, endpoint, EntryKey(position));
    }
    batch.Delete(kQueueSpace, EntryKey(number));
    queued_samples_ -= entry.samples;
    entries_.erase(entries_.begin());
  }
}

void ForwardQueue::TrimLocked(StateBatch& batch) {
  std::uint64_t lowest = next_entry_;
  for (const auto& [endpoint, position] : positions_) lowest = std::min(lowest, position);
  while (!entries_.empty() && entries_.begin()->first < lowest) {
    batch.Delete(kQueueSpace, EntryKey(entries_.begin()->first));
    queued_samples_ -= entries_.begin()->second.samples;
    entries_.erase(entries_.begin());
  }
}

std::uint64_t ForwardQueue::ReadableEndLocked() const {
  return staged_.empty() ? next_entry_ : staged_.begin()->first;
}

Result<ForwardQueue::Chunk> ForwardQueue::Next(const std::string& endpoint, std::uint64_t from,
                                               std::size_t max_samples,
                                               std::chrono::milliseconds wait) {
  std::vector<std::uint64_t> numbers;
  Chunk chunk;
  {
    std::unique_lock lock(mu_);
    const auto found = positions_.find(endpoint);
    if (found == positions_.end()) {
      return Status::InvalidArgument("no forwarding endpoint is named '" + endpoint + "'");
    }
    const std::uint64_t interrupts = interrupts_;
    const auto start = [&] { return std::max(from, found->second); };
    const auto first_readable = [&] {
      const auto first = entries_.lower_bound(start());
      return first != entries_.end() && first->first < ReadableEndLocked() ? first : entries_.end();
    };
    readable_.wait_for(lock, wait, [&] {
      return interrupts_ != interrupts || first_readable() != entries_.end();
    });
    chunk.end = start();
    const std::uint64_t readable_end = ReadableEndLocked();
    for (auto it = first_readable(); it != entries_.end() && it->first < readable_end; ++it) {
      if (!numbers.empty() && chunk.samples + it->second.samples > max_samples) break;
      numbers.push_back(it->first);
      chunk.samples += it->second.samples;
      chunk.end = it->first + 1;
    }
  }
  for (const std::uint64_t number : numbers) {
    auto value = store_.GetState(kQueueSpace, EntryKey(number));
    if (!value.ok()) return value.status();
    // Absent: dropped by the bound meanwhile, and counted there.
    if (*value && (*value)->size() >= kHeaderBytes) {
      chunk.message.append(std::string_view(**value).substr(kHeaderBytes));
    }
  }
  return chunk;
}

Status ForwardQueue::Advance(const std::string& endpoint, std::uint64_t end) {
  StateBatch batch;
  {
    std::lock_guard lock(mu_);
    const auto found = positions_.find(endpoint);
    if (found == positions_.end()) {
      return Status::InvalidArgument("no forwarding endpoint is named '" + endpoint + "'");
    }
    if (end <= found->second) return Status::Ok();
    found->second = end;
    batch.Put(kPositionSpace, endpoint, EntryKey(end));
    TrimLocked(batch);
  }
  return store_.WriteState(batch);
}

ForwardQueue::Backlog ForwardQueue::PendingFor(const std::string& endpoint) const {
  std::lock_guard lock(mu_);
  Backlog backlog;
  const auto found = positions_.find(endpoint);
  if (found == positions_.end()) return backlog;
  for (auto it = entries_.lower_bound(found->second); it != entries_.end(); ++it) {
    if (backlog.oldest_queued_at < 0) backlog.oldest_queued_at = it->second.queued_at;
    backlog.samples += it->second.samples;
  }
  return backlog;
}

std::uint64_t ForwardQueue::PositionOf(const std::string& endpoint) const {
  std::lock_guard lock(mu_);
  const auto found = positions_.find(endpoint);
  return found == positions_.end() ? 0 : found->second;
}

void ForwardQueue::Interrupt() {
  {
    std::lock_guard lock(mu_);
    ++interrupts_;
  }
  readable_.notify_all();
}

}  // namespace chiso::forward
