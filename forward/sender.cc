#include "forward/sender.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <deque>
#include <iostream>
#include <utility>

namespace chiso::forward {
namespace {

using std::chrono::milliseconds;

void AddExternalLabels(Labels& labels, const Labels& external) {
  if (external.empty()) return;
  labels.reserve(labels.size() + external.size());
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
}

std::size_t LabelsHash(const Labels& labels) {
  std::size_t hash = 0;
  for (const Label& label : labels) {
    for (const std::string& part : {label.name, label.value}) {
      hash = hash * 1'000'003 ^ std::hash<std::string>{}(part);
    }
  }
  return hash;
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

std::vector<Payload> MakePayloads(const Endpoint& endpoint, std::vector<WriteRequestSeries> series,
                                  std::size_t shards) {
  std::vector<Payload> payloads(shards);
  for (WriteRequestSeries& one : series) {
    if (!Selected(endpoint, one.labels)) continue;
    AddExternalLabels(one.labels, endpoint.external_labels);
    Payload& payload = payloads[LabelsHash(one.labels) % shards];
    payload.samples += one.samples.size();
    payload.series.push_back(std::move(one));
  }
  return payloads;
}

std::vector<Payload> Cut(Payload payload, std::size_t max_samples) {
  std::vector<Payload> pieces;
  Payload piece;
  for (WriteRequestSeries& one : payload.series) {
    if (piece.samples + one.samples.size() <= max_samples) {  // whole: moved, not copied
      piece.samples += one.samples.size();
      piece.series.push_back(std::move(one));
    } else {
      std::size_t from = 0;
      while (from < one.samples.size()) {
        const std::size_t take = std::min(one.samples.size() - from, max_samples - piece.samples);
        const auto first = one.samples.begin() + static_cast<std::ptrdiff_t>(from);
        piece.series.push_back(
            {one.labels, std::vector(first, first + static_cast<std::ptrdiff_t>(take))});
        piece.samples += take;
        from += take;
        if (piece.samples == max_samples) pieces.push_back(std::exchange(piece, {}));
      }
    }
    if (piece.samples == max_samples) pieces.push_back(std::exchange(piece, {}));
  }
  if (piece.samples > 0) pieces.push_back(std::move(piece));
  return pieces;
}

// The requests waiting for one sender thread, in order, at most kDepth.
class Sender::Shard {
 public:
  static constexpr std::size_t kDepth = 4;

  // Waits for room; false when stopped first.
  bool Push(Request request) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return stopping_ || waiting_.size() < kDepth; });
    if (stopping_) return false;
    waiting_.push_back(std::move(request));
    changed_.notify_all();
    return true;
  }
  // Waits for a request; nullopt when stopped first.
  std::optional<Request> Pop() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
    if (stopping_) return std::nullopt;
    Request request = std::move(waiting_.front());
    waiting_.pop_front();
    changed_.notify_all();
    return request;
  }
  void Stop() {
    std::lock_guard lock(mu_);
    stopping_ = true;
    changed_.notify_all();
  }

  std::thread thread;
  std::minstd_rand jitter_source{std::random_device{}()};

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Request> waiting_;
  bool stopping_ = false;
};

Sender::Sender(Endpoint endpoint, const QueueOptions& options, ForwardQueue& queue,
               const Clock& clock, ForwardProbe& probe)
    : endpoint_(std::move(endpoint)),
      options_(options),
      queue_(queue),
      clock_(clock),
      probe_(probe),
      headers_([this] {
        http_client::HttpHeaders headers = {{"Content-Type", "application/x-protobuf"},
                                            {"Content-Encoding", "snappy"},
                                            {"X-Prometheus-Remote-Write-Version", "0.1.0"}};
        headers.insert(headers.end(), endpoint_.headers.begin(), endpoint_.headers.end());
        return headers;
      }()) {}

Sender::~Sender() { Stop(); }

void Sender::Start() {
  stopping_ = false;
  window_ = std::make_unique<AckWindow>(queue_.PositionOf(endpoint_.name));
  shards_.clear();
  for (std::size_t i = 0; i < std::max<std::size_t>(options_.shards, 1); ++i) {
    shards_.push_back(std::make_unique<Shard>());
  }
  for (auto& shard : shards_) shard->thread = std::thread([this, &shard = *shard] { SendFrom(shard); });
  dispatcher_ = std::thread([this] { Dispatch(); });
}

void Sender::Stop() {
  {
    std::lock_guard lock(pause_mu_);
    stopping_ = true;
  }
  pause_.notify_all();
  queue_.Interrupt();
  for (auto& shard : shards_) shard->Stop();
  if (dispatcher_.joinable()) dispatcher_.join();
  for (auto& shard : shards_) {
    if (shard->thread.joinable()) shard->thread.join();
  }
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

void Sender::SavePosition(std::optional<std::uint64_t> position) {
  if (!position) return;
  if (Status s = queue_.Advance(endpoint_.name, *position); !s.ok()) {
    std::cerr << "chiso: forwarding to " << endpoint_.name
              << ": saving the position: " << s.ToString() << "\n";
  }
}

void Sender::Dispatch() {
  std::uint64_t cursor = window_->position();
  const std::size_t chunk_samples = options_.max_samples_per_send * shards_.size();
  while (!stopping_) {
    UpdateBacklog();
    auto chunk = queue_.Next(endpoint_.name, cursor, chunk_samples, milliseconds(1000));
    if (!chunk.ok()) {
      std::cerr << "chiso: forwarding to " << endpoint_.name
                << ": reading the queue: " << chunk.status().ToString() << "\n";
      Pause(options_.max_backoff);
      continue;
    }
    if (chunk->end <= cursor) continue;  // nothing came
    std::vector<std::vector<Payload>> requests;
    int count = 0;
    for (Payload& payload :
         MakePayloads(endpoint_, std::move(chunk->series), shards_.size())) {
      requests.push_back(Cut(std::move(payload), options_.max_samples_per_send));
      count += static_cast<int>(requests.back().size());
    }
    SavePosition(window_->Dispatched(chunk->end, count));
    for (std::size_t i = 0; i < shards_.size(); ++i) {
      for (Payload& payload : requests[i]) {
        if (!shards_[i]->Push({chunk->end, std::move(payload)})) return;
      }
    }
    cursor = chunk->end;
  }
}

void Sender::SendFrom(Shard& shard) {
  while (auto request = shard.Pop()) {
    if (!Deliver(request->payload, shard.jitter_source)) return;  // sent again after a restart
    SavePosition(window_->Answered(request->chunk_end));
  }
}

bool Sender::Deliver(const Payload& payload, std::minstd_rand& jitter_source) {
  const std::string body = SnappyCompress(EncodeWriteRequest(payload.series));
  std::uniform_real_distribution<double> jitter(0, 1);
  for (int attempt = 1; !stopping_; ++attempt) {
    auto answer = http_client::HttpPost(endpoint_.url, body, headers_, endpoint_.timeout);
    std::optional<milliseconds> retry_after;
    if (answer.ok()) {
      switch (ClassifyAnswer(answer->status)) {
        case AnswerClass::kSent:
          probe_.Sent(endpoint_.name, payload.samples);
          return true;
        case AnswerClass::kRefused:
          if ((answer->status == 400 || answer->status == 413) && payload.samples > 1) {
            for (const Payload& half : Cut(payload, (payload.samples + 1) / 2)) {
              if (!Deliver(half, jitter_source)) return false;
            }
            return true;
          }
          std::cerr << "chiso: forwarding to " << endpoint_.name << ": HTTP " << answer->status
                    << ", " << payload.samples
                    << " samples dropped: " << answer->body.substr(0, 200) << "\n";
          probe_.Dropped(endpoint_.name, "http_4xx", payload.samples);
          return true;
        case AnswerClass::kRetry:
          retry_after = ParseRetryAfter(answer->retry_after, clock_.Now());
          break;
      }
    }
    probe_.Failed(endpoint_.name, payload.samples);
    UpdateBacklog();
    if (!Pause(RetryDelay(attempt, retry_after, options_, jitter(jitter_source)))) return false;
  }
  return false;
}

}  // namespace chiso::forward
