#include "notify/notifier.h"

#include <algorithm>

#include "notify/alert_payload.h"

namespace chiso::notify {

struct Notifier::Channel {
  Receiver receiver;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> queue;  // JSON bodies
  bool stopping = false;
  // What was last queued per fingerprint: the state and when.
  std::map<std::string, std::pair<rules::AlertState, TimestampMs>> sent;
  std::thread thread;
};

Notifier::Notifier(std::vector<Receiver> receivers, NotifierOptions options, HttpPoster* poster,
                   prometheus::Family<prometheus::Counter>* results)
    : options_(std::move(options)), poster_(poster), results_(results) {
  for (Receiver& receiver : receivers) {
    auto channel = std::make_unique<Channel>();
    channel->receiver = std::move(receiver);
    channels_.push_back(std::move(channel));
  }
}

Notifier::~Notifier() { Stop(); }

void Notifier::Start() {
  for (auto& channel : channels_) {
    std::lock_guard lock(channel->mutex);
    if (channel->thread.joinable() || channel->stopping) continue;
    channel->thread = std::thread([this, c = channel.get()] { Deliver(c); });
  }
}

void Notifier::Stop() {
  for (auto& channel : channels_) {
    {
      std::lock_guard lock(channel->mutex);
      channel->stopping = true;
    }
    channel->changed.notify_all();
    if (channel->thread.joinable()) channel->thread.join();
  }
}

void Notifier::Count(const Channel& channel, const char* result) {
  if (results_ == nullptr) return;
  results_->Add({{"receiver", channel.receiver.name}, {"result", result}}).Increment();
}

void Notifier::Notify(std::span<const rules::Alert> alerts, TimestampMs now) {
  const TimestampMs resend = options_.resend_interval.count();
  for (auto& channel : channels_) {
    const Receiver& receiver = channel->receiver;
    std::vector<rules::Alert> due;
    std::lock_guard lock(channel->mutex);
    std::map<std::string, std::pair<rules::AlertState, TimestampMs>> still_known;
    for (const rules::Alert& alert : alerts) {
      if (alert.state == rules::AlertState::kPending) continue;
      if (alert.state == rules::AlertState::kResolved &&
          now - alert.resolved_at >= rules::kResolvedRetentionMs) {
        continue;
      }
      auto office = alert.labels.find("office");
      if (!receiver.offices.empty() && (office == alert.labels.end() ||
                                        std::find(receiver.offices.begin(), receiver.offices.end(),
                                                  office->second) == receiver.offices.end())) {
        continue;
      }
      const std::string fingerprint = alert.Fingerprint();
      auto last = channel->sent.find(fingerprint);
      const bool is_due = last == channel->sent.end() || last->second.first != alert.state ||
                          now - last->second.second >= resend;
      still_known[fingerprint] = is_due ? std::pair{alert.state, now} : last->second;
      if (is_due) due.push_back(alert);
    }
    channel->sent = std::move(still_known);
    if (due.empty()) continue;
    const std::string body =
        receiver.kind == Receiver::Kind::kAlertmanager
            ? AlertmanagerPayload(due, now, options_.resend_interval, options_.external_url)
            : WebhookPayload(due, receiver.name, now, options_.resend_interval,
                             options_.external_url);
    if (channel->queue.size() >= options_.max_queue) {
      channel->queue.pop_front();
      Count(*channel, "dropped");
    }
    channel->queue.push_back(body);
    channel->changed.notify_all();
  }
}

void Notifier::Deliver(Channel* channel) {
  const std::string url = channel->receiver.kind == Receiver::Kind::kAlertmanager
                              ? channel->receiver.url + "/api/v2/alerts"
                              : channel->receiver.url;
  std::unique_lock lock(channel->mutex);
  while (true) {
    channel->changed.wait(lock, [&] { return channel->stopping || !channel->queue.empty(); });
    if (channel->stopping) return;
    const std::string body = std::move(channel->queue.front());
    channel->queue.pop_front();
    std::chrono::milliseconds backoff = options_.initial_backoff;
    bool delivered = false;
    for (int attempt = 1; attempt <= options_.max_attempts && !channel->stopping; ++attempt) {
      lock.unlock();
      delivered = poster_->Post(url, body, options_.timeout).ok();
      lock.lock();
      if (delivered || attempt == options_.max_attempts) break;
      channel->changed.wait_for(lock, backoff, [&] { return channel->stopping; });
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
    Count(*channel, delivered ? "success" : "failure");
  }
}

}  // namespace chiso::notify
