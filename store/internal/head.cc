#include "store/internal/head.h"

#include <algorithm>

#include "store/internal/coding.h"

namespace chiso::store_internal {

void AppendHeadLogSample(SeriesId id, const BlockSample& sample, TimestampMs& previous,
                         std::string& entry) {
  PutVarint64(entry, id);
  PutVarint64(entry, ZigZagEncode(sample.timestamp - previous));
  previous = sample.timestamp;
  EncodeSampleRecord(sample.ToRecord(), sample.timestamp, entry);
}

bool DecodeHeadLogEntry(std::string_view entry,
                        std::vector<std::pair<SeriesId, BlockSample>>& samples) {
  TimestampMs previous = 0;
  while (!entry.empty()) {
    SeriesId id = 0;
    std::uint64_t delta = 0;
    if (!GetVarint32(entry, id) || !GetVarint64(entry, delta)) return false;
    const TimestampMs timestamp = previous + ZigZagDecode(delta);
    SampleRecord record;
    if (!DecodeSampleRecord(entry, timestamp, record) || !Sealable(record)) return false;
    samples.emplace_back(id,
                         BlockSample{timestamp, record.value, record.writer, record.arrived_at});
    previous = timestamp;
  }
  return true;
}

void Head::Append(SeriesId id, const BlockSample& sample) {
  if (by_series_.size() <= id) by_series_.resize(id + 1);
  std::vector<BlockSample>& samples = by_series_[id];
  if (samples.empty()) occupied_.push_back(id);
  samples.push_back(sample);
  ++samples_;
}

std::span<const BlockSample> Head::Of(SeriesId id) const {
  if (id >= by_series_.size()) return {};
  return by_series_[id];
}

const BlockSample* Head::Find(SeriesId id, TimestampMs timestamp) const {
  const std::span<const BlockSample> samples = Of(id);
  const auto it = std::lower_bound(
      samples.begin(), samples.end(), timestamp,
      [](const BlockSample& sample, TimestampMs t) { return sample.timestamp < t; });
  return it != samples.end() && it->timestamp == timestamp ? &*it : nullptr;
}

void Head::CopyRange(SeriesId id, TimestampMs from, TimestampMs to,
                     std::vector<BlockSample>& out) const {
  const std::span<const BlockSample> samples = Of(id);
  const auto first = std::lower_bound(
      samples.begin(), samples.end(), from,
      [](const BlockSample& sample, TimestampMs t) { return sample.timestamp < t; });
  for (auto it = first; it != samples.end() && it->timestamp <= to; ++it) out.push_back(*it);
}

DrainSplit SplitForDrain(std::span<const BlockSample> samples) {
  DrainSplit split;
  for (std::size_t begin = 0; begin < samples.size();) {
    const TimestampMs window = BlockWindow(samples[begin].timestamp);
    std::size_t end = begin;
    while (end < samples.size() && BlockWindow(samples[end].timestamp) == window) ++end;
    const std::size_t sealed_end = end == samples.size() ? end - 1 : end;
    if (sealed_end - begin >= kMinSamplesToSeal) {
      split.blocks.push_back(samples.subspan(begin, sealed_end - begin));
    } else {
      split.rest.insert(split.rest.end(), samples.begin() + begin, samples.begin() + sealed_end);
    }
    begin = end;
  }
  if (!samples.empty()) split.rest.push_back(samples.back());
  return split;
}

std::vector<std::pair<SeriesId, DrainSplit>> SplitHeadForDrain(const Head& head) {
  std::vector<SeriesId> series = head.series();
  std::sort(series.begin(), series.end());
  std::vector<std::pair<SeriesId, DrainSplit>> splits;
  splits.reserve(series.size());
  for (SeriesId id : series) splits.emplace_back(id, SplitForDrain(head.Of(id)));
  return splits;
}

void Head::MarkCorrected(SeriesId id) {
  if (corrected_.size() <= id) corrected_.resize(id + 1);
  corrected_[id] = true;
  any_corrected_ = true;
}

Head Head::TakeAll() {
  Head taken = std::move(*this);
  *this = Head();
  return taken;
}

void Head::Restore(const Head& older) {
  for (SeriesId id : older.series()) {
    const std::span<const BlockSample> before = older.Of(id);
    if (by_series_.size() <= id) by_series_.resize(id + 1);
    std::vector<BlockSample>& samples = by_series_[id];
    if (samples.empty()) occupied_.push_back(id);
    samples_ -= samples.size();
    std::erase_if(samples, [&](const BlockSample& sample) {
      return sample.timestamp <= before.back().timestamp;
    });
    samples.insert(samples.begin(), before.begin(), before.end());
    samples_ += samples.size();
    if (older.corrected(id)) MarkCorrected(id);
  }
}

void Head::Clear() {
  for (SeriesId id : occupied_) std::vector<BlockSample>().swap(by_series_[id]);
  occupied_.clear();
  samples_ = 0;
  corrected_.clear();
  any_corrected_ = false;
}

}  // namespace chiso::store_internal
