// The store's test support: temporary directories, sample and option builders. Header-only;
// not part of chiso_store.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

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
