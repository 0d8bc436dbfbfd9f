// Sender: sends the ForwardQueue of one endpoint as remote write 1.0 (snappy protobuf
// WriteRequest), with `shards` requests in flight, and moves the endpoint's durable position once
// the receiver has answered.
//
// A dispatcher thread takes chunks of whole entries from the queue in order (up to
// max_samples_per_send × shards samples), keeps the series the endpoint's `match` selects, adds
// its external labels, and hands each series to one of `shards` sender threads by a hash of its
// labels; each thread sends its share in requests of at most max_samples_per_send samples, one at
// a time, in the order received. So the samples of one series reach the receiver in queue order
// (as Prometheus' shards keep them), while different series travel in parallel and may arrive in
// any order. The position passes a chunk only when every request of it and of every chunk before
// it was answered (AckWindow), so a kill -9 never skips an unsent sample. At most 4 requests wait
// per shard; then the dispatcher waits.
//
// Per request, the answer decides (ClassifyAnswer):
//   2xx                   sent: chiso_forward_samples_sent_total;
//   429, 5xx, no answer   retried after RetryDelay, for ever (counted in _failed_total), the
//                         backlog meanwhile held by the queue's bound; the shard waits, others go
//                         on;
//   400, 413              with more than one sample: split in halves, each sent alike, so only the
//                         samples refused on their own are dropped. A Prometheus-TSDB receiver
//                         answers 400 for the whole request when one sample is out of order, a
//                         duplicate with a new value, or too old, and stores none of it;
//   other status (4xx…)   refused: dropped, _dropped_total{reason="http_4xx"} (resending the same
//                         samples would fail again).
// A chunk whose series the match excludes entirely moves the position without a request.
// Ingest never waits for a sender: senders only read the queue.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "forward/ack_window.h"
#include "forward/forward_probe.h"
#include "forward/queue.h"
#include "forward/remote_write_config.h"
#include "http_client/http_post.h"

namespace chiso::forward {

enum class AnswerClass { kSent, kRetry, kRefused };
AnswerClass ClassifyAnswer(unsigned status);

// A Retry-After value, delay-seconds or an HTTP-date (RFC 9110 IMF-fixdate), as a delay from
// `now`; nullopt when absent or unreadable. A date in the past is a delay of 0.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value, TimestampMs now);

// How long to wait before attempt `attempt` + 1 (attempt >= 1 failed attempts so far): the
// receiver's Retry-After when given, else min_backoff doubled per earlier failure, capped at
// max_backoff, scaled by a jitter in [0.5, 1) (`jitter` in [0, 1) picks it).
std::chrono::milliseconds RetryDelay(int attempt,
                                     std::optional<std::chrono::milliseconds> retry_after,
                                     const QueueOptions& options, double jitter);

// One request: an uncompressed WriteRequest and how many samples it holds.
struct Payload {
  std::string message;
  std::size_t samples = 0;
};

// The requests for the series of `message` (an uncompressed WriteRequest) that `endpoint`
// selects, with its external labels: per shard (of `shards`, by a hash of the series' labels, so
// a series always lands in the same one), requests of at most `max_samples` (>= 1) samples in
// the order of `message`, a series cut between samples when it does not fit. Works on the encoded
// series, copying bytes, without decoding samples. InvalidArgument when `message` does not read
// as a WriteRequest.
Result<std::vector<std::vector<Payload>>> MakeRequests(const Endpoint& endpoint,
                                                       std::string_view message, std::size_t shards,
                                                       std::size_t max_samples);

class Sender {
 public:
  // `queue`, `clock` and `probe` must outlive the sender.
  Sender(Endpoint endpoint, const QueueOptions& options, ForwardQueue& queue, const Clock& clock,
         ForwardProbe& probe);
  ~Sender();  // Stop()s
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void Start();
  // Ends the threads after the requests in flight, if any (at most the endpoint's timeout).
  // Requests not answered yet are sent again after the next Start.
  void Stop();

 private:
  struct Request {
    std::uint64_t chunk_end = 0;
    Payload payload;
  };
  class Shard;

  void Dispatch();
  void SendFrom(Shard& shard);
  // Sends `payload` until it is answered (sent, or refused after splitting), retrying; false
  // when the sender stopped first.
  bool Deliver(const Payload& payload, std::minstd_rand& jitter_source);
  void SavePosition(std::optional<std::uint64_t> position);
  void UpdateBacklog();
  // Sleeps `delay` unless stopped first; false when stopped.
  bool Pause(std::chrono::milliseconds delay);

  const Endpoint endpoint_;
  const QueueOptions options_;
  ForwardQueue& queue_;
  const Clock& clock_;
  ForwardProbe& probe_;
  const http_client::HttpHeaders headers_;
  std::atomic<bool> stopping_{false};
  std::mutex pause_mu_;
  std::condition_variable pause_;
  std::unique_ptr<AckWindow> window_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::thread dispatcher_;
};

}  // namespace chiso::forward
