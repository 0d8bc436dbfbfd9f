#include "forward/gauge_refresh.h"

#include <algorithm>
#include <utility>

namespace chiso::forward {
namespace {

Sample At(const Labels& labels, TimestampMs at, double value) {
  Sample sample;
  sample.labels = labels;
  sample.timestamp = at;
  sample.value = value;
  return sample;
}

bool SameLabels(const GaugeRefresh::Gauges& a, const GaugeRefresh::Gauges& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return x.first == y.first; });
}

}  // namespace

GaugeRefresh::GaugeRefresh(std::chrono::milliseconds refresh, Send send)
    : refresh_(refresh), send_(std::move(send)) {}

Status GaugeRefresh::Update(const GaugesAt& gauges_at, TimestampMs now) {
  auto current = gauges_at(now);
  if (!current.ok()) return current.status();
  bool due = sent_at_ < 0 || now - sent_at_ >= refresh_.count() || !SameLabels(*current, sent_);
  if (!due) {
    auto then = gauges_at(sent_at_);
    if (!then.ok()) return then.status();
    due = *then != sent_;
  }
  if (!due) return Status::Ok();
  SampleBatch batch;
  batch.reserve(current->size());
  for (const auto& [labels, value] : *current) batch.push_back(At(labels, now, value));
  for (const auto& [labels, value] : sent_) {
    if (!current->contains(labels)) batch.push_back(At(labels, now, kStaleNaN));
  }
  if (!batch.empty()) {
    if (Status sent = send_(batch); !sent.ok()) return sent;
  }
  sent_ = std::move(*current);
  sent_at_ = now;
  return Status::Ok();
}

}  // namespace chiso::forward
