// The store's test support: temporary directories, sample and option builders. Header-only;
// not part of chiso_store.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sample.h"
#include "store/store.h"

namespace chiso::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/chiso_store_XXXXXX";
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Labels of metric `name` with the given extra labels, sorted.
inline Labels SeriesLabels(std::string name,
                           std::initializer_list<std::pair<std::string, std::string>> labels = {}) {
  Labels result{{std::string(kMetricNameLabel), std::move(name)}};
  for (const auto& [label, value] : labels) result.push_back({label, value});
  SortLabels(result);
  return result;
}

// Matchers selecting exactly the series `labels`.
inline std::vector<LabelMatcher> ExactMatchers(const Labels& labels) {
  std::vector<LabelMatcher> matchers;
  for (const Label& label : labels)
    matchers.push_back(LabelMatcher::Equal(label.name, label.value));
  return matchers;
}

inline Sample MakeSample(Labels labels, TimestampMs timestamp, double value,
                         std::string writer = "test", std::optional<TimestampMs> arrived_at = {},
                         std::optional<std::string> comment = {}) {
  return Sample{
      std::move(labels), timestamp, value, std::move(writer), arrived_at.value_or(timestamp),
      std::move(comment)};
}

// Same series with the same samples in the same order, compared field by field (-0.0 and 0.0
// told apart); the failure names the first difference.
inline ::testing::AssertionResult SameSeriesSamples(const std::vector<SeriesSamples>& got,
                                                    const std::vector<SeriesSamples>& want) {
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << got.size() << " series, want " << want.size();
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].labels != want[i].labels) return ::testing::AssertionFailure() << "series " << i;
    if (got[i].samples.size() != want[i].samples.size()) {
      return ::testing::AssertionFailure()
             << LabelsToString(want[i].labels) << ": " << got[i].samples.size() << " samples, want "
             << want[i].samples.size();
    }
    for (std::size_t k = 0; k < got[i].samples.size(); ++k) {
      const StoredSample& g = got[i].samples[k];
      const StoredSample& w = want[i].samples[k];
      if (!(g == w) || std::signbit(g.value) != std::signbit(w.value)) {
        return ::testing::AssertionFailure()
               << LabelsToString(want[i].labels) << " sample " << k << ": got {" << g.timestamp
               << ", " << g.value << ", rev " << g.revision << ", " << g.writer << ", "
               << g.arrived_at << "}, want {" << w.timestamp << ", " << w.value << ", rev "
               << w.revision << ", " << w.writer << ", " << w.arrived_at << "}";
      }
    }
  }
  return ::testing::AssertionSuccess();
}

inline StoreOptions OptionsFor(const std::filesystem::path& dir) {
  StoreOptions options;
  options.data_dir = dir;
  options.block_cache_bytes = 8 << 20;
  options.write_buffer_bytes = 16 << 20;
  return options;
}

inline std::unique_ptr<Store> OpenOrDie(const StoreOptions& options) {
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

}  // namespace chiso::testing
