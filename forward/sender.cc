#include "forward/sender.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <deque>
#include <iostream>
#include <span>
#include <utility>

namespace chiso::forward {
namespace {

using std::chrono::milliseconds;

using LabelView = WriteRequestSeriesView::Label;

std::size_t LabelsHash(std::span<const LabelView> labels) {
  std::size_t hash = 0;
  for (const LabelView& label : labels) {
    for (std::string_view part : {label.name, label.value}) {
      hash = hash * 1'000'003 ^ std::hash<std::string_view>{}(part);
    }
  }
  return hash;
}

std::string_view ValueOf(std::span<const LabelView> labels, std::string_view name) {
  for (const LabelView& label : labels) {
    if (label.name == name) return label.value;
  }
  return {};
}

bool Selected(const Endpoint& endpoint, std::span<const LabelView> labels) {
  return std::all_of(endpoint.match.begin(), endpoint.match.end(),
                     [&](const LabelMatcher& m) { return m.Matches(ValueOf(labels, m.name())); });
}

// `labels` with `external` set (replacing a label of the same name), sorted by name when changed.
void AddExternalLabels(std::vector<LabelView>& labels, const Labels& external) {
  if (external.empty()) return;
  for (const Label& label : external) {
    const auto same = std::find_if(labels.begin(), labels.end(),
                                   [&](const LabelView& l) { return l.name == label.name; });
    if (same != labels.end()) {
      same->value = label.value;
    } else {
      labels.push_back({label.name, label.value});
    }
  }
  std::sort(labels.begin(), labels.end(),
            [](const LabelView& a, const LabelView& b) { return a.name < b.name; });
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

Result<std::vector<std::vector<Payload>>> MakeRequests(const Endpoint& endpoint,
                                                       std::string_view message, std::size_t shards,
                                                       std::size_t max_samples) {
  std::vector<std::vector<Payload>> requests(shards);
  std::vector<LabelView> labels;
  const Status read = ForEachSeriesView(message, [&](const WriteRequestSeriesView& series) {
    if (!Selected(endpoint, series.labels)) return;
    labels.assign(series.labels.begin(), series.labels.end());
    AddExternalLabels(labels, endpoint.external_labels);
    std::vector<Payload>& shard = requests[LabelsHash(labels) % shards];
    std::span<const std::string_view> samples = series.samples;
    while (!samples.empty()) {
      if (shard.empty() || shard.back().samples >= max_samples) shard.emplace_back();
      Payload& request = shard.back();
      const std::size_t take = std::min(samples.size(), max_samples - request.samples);
      AppendSeries(request.message, labels, samples.first(take));
      request.samples += take;
      samples = samples.subspan(take);
    }
  });
  if (!read.ok()) return read;
  return requests;
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
  for (auto& shard : shards_)
    shard->thread = std::thread([this, &shard = *shard] { SendFrom(shard); });
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
    auto requests =
        MakeRequests(endpoint_, chunk->message, shards_.size(), options_.max_samples_per_send);
    if (!requests.ok()) {
      std::cerr << "chiso: forwarding to " << endpoint_.name
                << ": reading the queue: " << requests.status().ToString() << "\n";
      Pause(options_.max_backoff);
      continue;
    }
    int count = 0;
    for (const std::vector<Payload>& shard : *requests) count += static_cast<int>(shard.size());
    SavePosition(window_->Dispatched(chunk->end, count));
    for (std::size_t i = 0; i < shards_.size(); ++i) {
      for (Payload& payload : (*requests)[i]) {
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
  const std::string body = SnappyCompress(payload.message);
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
            // The halves, in order: the same request read again with no selection to apply.
            auto halves = MakeRequests(Endpoint{}, payload.message, 1, (payload.samples + 1) / 2);
            if (halves.ok()) {
              for (const Payload& half : halves->front()) {
                if (!Deliver(half, jitter_source)) return false;
              }
              return true;
            }
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
