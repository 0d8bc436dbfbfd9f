// Notifier: sends firing and resolved alerts to every configured receiver — Alertmanager's API v2
// and/or plain webhooks (alert_payload.h) — without ever slowing ingest or evaluation:
//
//   * Notify() only decides what is due and queues it; each receiver has its own bounded queue
//     and delivery thread, so a dead or slow receiver delays nobody else;
//   * an alert is sent when it starts firing or resolves, and again every resend_interval while
//     it fires and for the 15 minutes a resolved alert is kept; pending alerts are never sent;
//   * a failed delivery is retried with doubling backoff up to max_attempts; when a queue is full
//     its oldest delivery is dropped;
//   * every delivery ends in chiso_notifications_total{receiver, result="success"|"failure"|
//     "dropped"}.
//
// Thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "rules/alerting/alerts.h"

namespace chiso::notify {

struct Receiver {
  enum class Kind { kAlertmanager, kWebhook };
  std::string name;
  Kind kind = Kind::kAlertmanager;
  // Alertmanager: its base URL (http://127.0.0.1:9093); webhook: the full URL to POST to.
  std::string url;
  // Only alerts whose office label is listed; empty = every office.
  std::vector<std::string> offices;
};

struct NotifierOptions {
  // How often a firing (or recently resolved) alert is sent again. Default: 1 min.
  std::chrono::milliseconds resend_interval{60'000};
  // Deliveries waiting per receiver; when full, the oldest is dropped. Default: 100.
  std::size_t max_queue = 100;
  // Attempts per delivery. Default: 5.
  int max_attempts = 5;
  // Wait before the first retry, doubling up to max_backoff. Default: 1 s, 30 s.
  std::chrono::milliseconds initial_backoff{1'000};
  std::chrono::milliseconds max_backoff{30'000};
  // Time one HTTP request may take. Default: 10 s.
  std::chrono::milliseconds timeout{10'000};
  // How receivers can reach chiso (generatorURL, externalURL). Default: http://127.0.0.1:9157.
  std::string external_url = "http://127.0.0.1:9157";
};

// One HTTP POST of a JSON body; ok on a 2xx answer. Implementations are thread-safe.
class HttpPoster {
 public:
  virtual ~HttpPoster() = default;
  virtual Status Post(const std::string& url, const std::string& json_body,
                      std::chrono::milliseconds timeout) = 0;
};

class Notifier {
 public:
  // `poster` and `results` (nullable) must outlive the notifier.
  Notifier(std::vector<Receiver> receivers, NotifierOptions options, HttpPoster* poster,
           prometheus::Family<prometheus::Counter>* results);
  ~Notifier();  // Stop()s
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  void Start();
  // Stops the delivery threads; queued deliveries are abandoned (they are re-sent after a
  // restart, when the alerts are next due).
  void Stop();

  // Queues, per receiver, the alerts of `alerts` that are due at `now`. Never blocks on I/O.
  void Notify(std::span<const rules::Alert> alerts, TimestampMs now);

 private:
  struct Channel;
  void Deliver(Channel* channel);
  void Count(const Channel& channel, const char* result);

  NotifierOptions options_;
  HttpPoster* poster_;
  prometheus::Family<prometheus::Counter>* results_;
  std::vector<std::unique_ptr<Channel>> channels_;
};

}  // namespace chiso::notify
