// Sender: one thread per endpoint that takes chunks of the ForwardQueue from the endpoint's
// position, sends them as remote write 1.0 (snappy protobuf WriteRequest), and moves the
// position on once the receiver has answered.
//
// Per chunk: the series the endpoint's `match` selects, with its external labels, are POSTed
// with the remote-write headers. The answer decides (ClassifyAnswer):
//   2xx                         sent: position moves on; chiso_forward_samples_sent_total;
//   429, 5xx, no answer         retried after RetryDelay, for ever (counted in _failed_total),
//                               the backlog meanwhile held by the queue's bound;
//   any other status (4xx…)     refused: dropped, _dropped_total{reason="http_4xx"}, position
//                               moves on (resending the same samples would fail again).
// A chunk whose series the match excludes entirely moves the position without a request.
// Ingest never waits for a sender: senders only read the queue.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include "common/clock.h"
#include "forward/forward_probe.h"
#include "forward/queue.h"
#include "forward/remote_write_config.h"

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

// The uncompressed WriteRequest of the series of `series` that `endpoint` selects, with its
// external labels, and how many samples it holds.
struct Payload {
  std::string message;
  std::size_t samples = 0;
};
Payload MakePayload(const Endpoint& endpoint, const std::vector<WriteRequestSeries>& series);

class Sender {
 public:
  // `queue`, `clock` and `probe` must outlive the sender.
  Sender(Endpoint endpoint, const QueueOptions& options, ForwardQueue& queue, const Clock& clock,
         ForwardProbe& probe);
  ~Sender();  // Stop()s
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void Start();
  // Ends the thread after the request in flight, if any (at most the endpoint's timeout).
  void Stop();

 private:
  void Run();
  // Sends one payload until it is sent or refused, or the sender stops.
  void Deliver(const Payload& payload);
  void UpdateBacklog();
  // Sleeps `delay` unless stopped first; false when stopped.
  bool Pause(std::chrono::milliseconds delay);

  const Endpoint endpoint_;
  const QueueOptions options_;
  ForwardQueue& queue_;
  const Clock& clock_;
  ForwardProbe& probe_;
  std::minstd_rand jitter_source_;
  std::atomic<bool> stopping_{false};
  std::mutex pause_mu_;
  std::condition_variable pause_;
  std::thread thread_;
};

}  // namespace chiso::forward
