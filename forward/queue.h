// ForwardQueue: the durable queue of accepted samples waiting to be forwarded, kept in the store
// so that it survives restarts and kill -9 as the samples do.
//
// Layout (state spaces, store/state_batch.h):
//   "forward_queue"     key: entry number (8 bytes big-endian, increasing); value: when it was
//                       queued (8 bytes), its sample count (4 bytes), then the samples as an
//                       uncompressed remote-write WriteRequest (common/write_request.h).
//   "forward_position"  key: endpoint name; value: the number of the next entry to send to it
//                       (8 bytes big-endian). Entries below every endpoint's position are deleted.
//
// Enqueueing: the queue is the write pipeline's SampleJournal. Stage() numbers the entry of one
// accepted batch and adds it to the batch's Store::Write, so the entry is durable exactly when
// the samples are, before the sender is answered 2xx. Enqueue() queues samples that are not
// stored the same way, in a state write of their own. Batches commit in any order; an entry is
// handed to senders only once every entry numbered before it has settled (written or failed),
// so a position never passes an entry that is still being written.
//
// Bound: when the entries hold more than max_pending_samples samples, the oldest entries are
// deleted, and every endpoint that had not sent them moves past them, counting them as
// dropped with reason "queue_full" (as Prometheus loses samples when its WAL is truncated under
// an unreachable receiver). The newest entry is always kept.
//
// Positions: an endpoint named for the first time starts at the next entry (it receives samples
// accepted from then on); positions of endpoints no longer configured are deleted at Open.
// Advance() makes a position durable, so after a restart sending resumes at the first entry not
// answered 2xx: an entry may be sent twice (receivers keep one value per series and timestamp),
// never skipped.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/write_request.h"
#include "forward/forward_probe.h"
#include "ingest/sample_journal.h"
#include "store/store.h"

namespace chiso::forward {

inline constexpr std::string_view kQueueSpace = "forward_queue";
inline constexpr std::string_view kPositionSpace = "forward_position";

class ForwardQueue final : public ingest::SampleJournal {
 public:
  // Reads the queue and positions from `store`. `store`, `clock` and `probe` (nullable) must
  // outlive the queue. Errors are the store's (Corruption for an unreadable entry header).
  static Result<std::unique_ptr<ForwardQueue>> Open(Store& store, const Clock& clock,
                                                    const std::vector<std::string>& endpoints,
                                                    std::size_t max_pending_samples,
                                                    ForwardProbe* probe);

  std::uint64_t Stage(const SampleBatch& batch, StateBatch& with_state) override;
  // Enforces the bound after a written entry (one store write when entries are dropped).
  void Settle(std::uint64_t ticket, bool written) override;
  // Queues `batch`, which is not stored (samples the service computes, e.g. the plan series), in
  // a store write of its own: durable when Ok. The store's error.
  Status Enqueue(const SampleBatch& batch);

  // Entries of `endpoint` from `from` (or its position when further), whole, in order, as many
  // as fit in `max_samples` (at least one), waiting up to `wait` for the first. `end` is the
  // entry number after them; an empty chunk (no samples, end = where it started) when none came
  // or Interrupt() was called. A sender with several chunks in flight passes the end of the last
  // one it took as `from`.
  struct Chunk {
    std::uint64_t end = 0;
    std::string message;  // their samples: a WriteRequest (the entries' encodings concatenated)
    std::size_t samples = 0;
  };
  Result<Chunk> Next(const std::string& endpoint, std::uint64_t from, std::size_t max_samples,
                     std::chrono::milliseconds wait);
  // Moves the position of `endpoint` to `end` (never backwards) durably, and deletes the entries
  // every endpoint has passed.
  Status Advance(const std::string& endpoint, std::uint64_t end);

  struct Backlog {
    std::size_t samples = 0;            // queued at or after the endpoint's position
    TimestampMs oldest_queued_at = -1;  // when the first of them was queued; -1 when none
  };
  Backlog PendingFor(const std::string& endpoint) const;
  std::uint64_t PositionOf(const std::string& endpoint) const;

  // Wakes every Next() waiting now, which returns an empty chunk.
  void Interrupt();

 private:
  struct Entry {
    TimestampMs queued_at = 0;
    std::size_t samples = 0;
  };
  ForwardQueue(Store& store, const Clock& clock, std::size_t max_pending_samples,
               ForwardProbe* probe);
  // The first entry number not yet readable: the oldest staged one, or the next to stage.
  std::uint64_t ReadableEndLocked() const;
  // Deletes (in `batch` and memory) entries below every position.
  void TrimLocked(StateBatch& batch);
  void DropOldestLocked(StateBatch& batch);

  Store& store_;
  const Clock& clock_;
  const std::size_t max_pending_samples_;
  ForwardProbe* probe_;

  mutable std::mutex mu_;
  std::condition_variable readable_;
  std::uint64_t next_entry_ = 1;
  std::map<std::uint64_t, Entry> staged_;   // staged, not settled
  std::map<std::uint64_t, Entry> entries_;  // written, in the store
  std::size_t queued_samples_ = 0;          // sum over entries_
  std::map<std::string, std::uint64_t, std::less<>> positions_;
  std::uint64_t interrupts_ = 0;
};

}  // namespace chiso::forward
