#include "forward/sender.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <iostream>

#include "http_client/http_post.h"

namespace chiso::forward {
namespace {

using std::chrono::milliseconds;

Labels WithExternalLabels(Labels labels, const Labels& external) {
  for (const Label& label : external) {
    const auto same = std::find_if(labels.begin(), labels.end(),
                                   [&](const Label& l) { return l.name == label.name; });
    if (same != labels.end()) {
      same->value = label.value;
    } else {
      labels.push_back(label);
    }
  }
  SortLabels(labels);
  return labels;
}

bool Selected(const Endpoint& endpoint, const Labels& labels) {
  return std::all_of(endpoint.match.begin(), endpoint.match.end(), [&](const LabelMatcher& m) {
    const auto found = std::find_if(labels.begin(), labels.end(),
                                    [&](const Label& l) { return l.name == m.name(); });
    return m.Matches(found == labels.end() ? std::string_view() : found->value);
  });
}

}  // namespace

AnswerClass ClassifyAnswer(unsigned status) {
  if (status >= 200 && status < 300) return AnswerClass::kSent;
  if (status == 429 || status >= 500) return AnswerClass::kRetry;
  return AnswerClass::kRefused;
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value, TimestampMs now) {
  if (value.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && end == value.data() + value.size() && seconds >= 0) {
    return milliseconds(seconds * 1000);
  }
  std::tm date{};
  const std::string text(value);
  const char* parsed = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &date);
  if (parsed == nullptr || *parsed != '\0') return std::nullopt;
  const std::int64_t at = static_cast<std::int64_t>(timegm(&date)) * 1000;
  return milliseconds(std::max<std::int64_t>(0, at - now));
}

milliseconds RetryDelay(int attempt, std::optional<milliseconds> retry_after,
                        const QueueOptions& options, double jitter) {
  if (retry_after) return *retry_after;
  double backoff = static_cast<double>(options.min_backoff.count());
  for (int i = 1; i < attempt && backoff < static_cast<double>(options.max_backoff.count()); ++i) {
    backoff *= 2;
  }
  backoff = std::min(backoff, static_cast<double>(options.max_backoff.count()));
  return milliseconds(static_cast<std::int64_t>(std::ceil(backoff * (0.5 + jitter / 2))));
}

Payload MakePayload(const Endpoint& endpoint, const std::vector<WriteRequestSeries>& series) {
  std::vector<WriteRequestSeries> selected;
  Payload payload;
  for (const WriteRequestSeries& one : series) {
    if (!Selected(endpoint, one.labels)) continue;
    selected.push_back({WithExternalLabels(one.labels, endpoint.external_labels), one.samples});
    payload.samples += one.samples.size();
  }
  payload.message = EncodeWriteRequest(selected);
  return payload;
}

Sender::Sender(Endpoint endpoint, const QueueOptions& options, ForwardQueue& queue,
               const Clock& clock, ForwardProbe& probe)
    : endpoint_(std::move(endpoint)),
      options_(options),
      queue_(queue),
      clock_(clock),
      probe_(probe),
      jitter_source_(std::random_device{}()) {}

Sender::~Sender() { Stop(); }

void Sender::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Sender::Stop() {
  {
    std::lock_guard lock(pause_mu_);
    stopping_ = true;
  }
  pause_.notify_all();
  queue_.Interrupt();
  if (thread_.joinable()) thread_.join();
}

bool Sender::Pause(milliseconds delay) {
  std::unique_lock lock(pause_mu_);
  return !pause_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void Sender::UpdateBacklog() {
  const ForwardQueue::Backlog backlog = queue_.PendingFor(endpoint_.name);
  const double age = backlog.oldest_queued_at < 0
                         ? 0
                         : static_cast<double>(clock_.Now() - backlog.oldest_queued_at) / 1000;
  probe_.Pending(endpoint_.name, backlog.samples, std::max(0.0, age));
}

void Sender::Run() {
  while (!stopping_) {
    UpdateBacklog();
    auto chunk = queue_.Next(endpoint_.name, options_.max_samples_per_send, milliseconds(1000));
    if (!chunk.ok()) {
      std::cerr << "chiso: forwarding to " << endpoint_.name
                << ": reading the queue: " << chunk.status().ToString() << "\n";
      Pause(options_.max_backoff);
      continue;
    }
    if (chunk->end == queue_.PositionOf(endpoint_.name)) continue;
    const Payload payload = MakePayload(endpoint_, chunk->series);
    if (payload.samples > 0) Deliver(payload);
    if (stopping_) return;  // not delivered: sent again after the restart
    if (Status s = queue_.Advance(endpoint_.name, chunk->end); !s.ok()) {
      std::cerr << "chiso: forwarding to " << endpoint_.name
                << ": saving the position: " << s.ToString() << "\n";
    }
  }
}

void Sender::Deliver(const Payload& payload) {
  const std::string body = SnappyCompress(payload.message);
  http_client::HttpHeaders headers = {{"Content-Type", "application/x-protobuf"},
                                      {"Content-Encoding", "snappy"},
                                      {"X-Prometheus-Remote-Write-Version", "0.1.0"}};
  headers.insert(headers.end(), endpoint_.headers.begin(), endpoint_.headers.end());
  std::uniform_real_distribution<double> jitter(0, 1);
  for (int attempt = 1; !stopping_; ++attempt) {
    auto answer = http_client::HttpPost(endpoint_.url, body, headers, endpoint_.timeout);
    std::optional<milliseconds> retry_after;
    if (answer.ok()) {
      switch (ClassifyAnswer(answer->status)) {
        case AnswerClass::kSent:
          probe_.Sent(endpoint_.name, payload.samples);
          return;
        case AnswerClass::kRefused:
          std::cerr << "chiso: forwarding to " << endpoint_.name << ": HTTP " << answer->status
                    << ", " << payload.samples
                    << " samples dropped: " << answer->body.substr(0, 200) << "\n";
          probe_.Dropped(endpoint_.name, "http_4xx", payload.samples);
          return;
        case AnswerClass::kRetry:
          retry_after = ParseRetryAfter(answer->retry_after, clock_.Now());
          break;
      }
    }
    probe_.Failed(endpoint_.name, payload.samples);
    UpdateBacklog();
    if (!Pause(RetryDelay(attempt, retry_after, options_, jitter(jitter_source_)))) return;
  }
}

}  // namespace chiso::forward
