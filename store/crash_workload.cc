#include "store/crash_workload.h"

namespace chiso::crash {
namespace {

constexpr TimestampMs kStart = 1'735'689'600'000;  // 2025-01-01T00:00:00Z

Sample At(Labels labels, std::uint64_t batch, double value, std::string writer,
          std::optional<std::string> comment) {
  return Sample{std::move(labels), Instant(batch),        value,
                std::move(writer), Instant(batch) + 1000, std::move(comment)};
}

}  // namespace

TimestampMs Instant(std::uint64_t batch) {
  return kStart + static_cast<TimestampMs>(batch) * kBatchInterval;
}

double FirstValue(std::uint64_t batch, int series) {
  return static_cast<double>(batch) * 100 + series + 0.5;
}

double CorrectedValue(std::uint64_t batch, int series) { return -FirstValue(batch, series); }

Labels ValueSeries(int series) {
  return {{"__name__", "crash_value"}, {"series", std::to_string(series)}};
}

Labels MarkerSeries() { return {{"__name__", "crash_marker"}}; }

SampleBatch MakeBatch(std::uint64_t batch) {
  SampleBatch samples;
  samples.push_back(At(MarkerSeries(), batch, static_cast<double>(batch), "crash", std::nullopt));
  for (int i = 0; i < kSeries; ++i) {
    samples.push_back(At(ValueSeries(i), batch, FirstValue(batch, i), "crash", std::nullopt));
    for (std::uint64_t lag : {kCorrectionLag, 2 * kCorrectionLag}) {
      if (batch <= lag) continue;
      samples.push_back(
          At(ValueSeries(i), batch - lag, CorrectedValue(batch - lag, i), "corrector", "fix"));
    }
  }
  return samples;
}

Result<std::uint64_t> LastStoredBatch(const Store& store) {
  const std::vector<LabelMatcher> marker{LabelMatcher::Equal("__name__", "crash_marker")};
  auto latest = store.Latest(marker);
  if (!latest.ok()) return latest.status();
  if (latest->empty()) return std::uint64_t{0};
  return static_cast<std::uint64_t>(latest->front().sample.value);
}

}  // namespace chiso::crash
