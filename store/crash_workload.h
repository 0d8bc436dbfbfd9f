// The deterministic workload of the crash test, shared by the writer process (crash_writer.cc)
// and the checker (crash_test.cc).
//
// Batch k (k = 1, 2, ...) writes, atomically:
//   * a marker sample {__name__="crash_marker"} at Instant(k), so that after a crash the highest
//     batch the store holds is the marker's latest timestamp;
//   * kSeries new samples {__name__="crash_value", series="i"} at Instant(k), value FirstValue;
//   * for k > kCorrectionLag, a correction of batch k - kCorrectionLag (value CorrectedValue):
//     an overwrite with one audit entry each;
//   * for k > 2 * kCorrectionLag, the same correction of batch k - 2 * kCorrectionLag again: an
//     identical rewrite that must change nothing.
// After a successful Write it stores state ("crash", "last") = k, then acknowledges k.
// Batches lie kBatchInterval apart, 144 a day, and the writer seals often: a run spans days, so
// the store seals complete days into blocks under the kill, and the corrections and identical
// rewrites of the last batches of a day reach sealed samples.
#pragma once

#include <cstdint>
#include <string>

#include "store/sample.h"
#include "store/store.h"

namespace chiso::crash {

inline constexpr int kSeries = 20;
inline constexpr std::uint64_t kCorrectionLag = 10;
inline constexpr TimestampMs kBatchInterval = 600'000;  // ten minutes
inline constexpr std::string_view kStateSpace = "crash";
inline constexpr std::string_view kStateKey = "last";

TimestampMs Instant(std::uint64_t batch);
double FirstValue(std::uint64_t batch, int series);
double CorrectedValue(std::uint64_t batch, int series);
Labels ValueSeries(int series);
Labels MarkerSeries();

SampleBatch MakeBatch(std::uint64_t batch);

// The highest batch stored (0 for none), read from the marker series.
Result<std::uint64_t> LastStoredBatch(const Store& store);

}  // namespace chiso::crash
