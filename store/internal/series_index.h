// SeriesIndex: the in-memory view of every series, rebuilt from the series and samples column
// families at Open. It maps label sets to dense series ids, resolves label matchers through
// postings lists (label name -> value -> ascending ids), and tracks each series' latest sample
// timestamp, which lets the write path skip the read of an existing sample for the common case of
// a sample newer than everything stored for its series. A change generation (a counter that grows
// with every change of stored samples, and each series' generation of its last change) lets
// readers re-read only what changed.
//
// Strings are interned: 200,000 series of 3-5 labels take a few tens of MiB.
//
// Not thread-safe; StoreImpl guards it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/label_matcher.h"
#include "store/internal/intern_table.h"
#include "store/internal/keys.h"
#include "store/sample.h"

namespace chiso::store_internal {

// Marks a series without samples.
inline constexpr TimestampMs kNoSample = -1;

class SeriesIndex {
 public:
  // Series ids are 0..size()-1.
  std::size_t size() const { return series_.size(); }
  std::optional<SeriesId> Find(std::string_view canonical_labels) const {
    return Find(canonical_labels, HashLabels(canonical_labels));
  }
  // The lookup in two steps, for many label sets at once: hash each, prefetch a few ahead, find.
  static std::uint64_t HashLabels(std::string_view canonical_labels) {
    return InternTable::Hash(canonical_labels);
  }
  void Prefetch(std::uint64_t hash) const { label_sets_.Prefetch(hash); }
  std::optional<SeriesId> Find(std::string_view canonical_labels, std::uint64_t hash) const {
    return label_sets_.Find(canonical_labels, hash);
  }
  // Registers the next series (id == size()); `canonical_labels` is EncodeLabels(labels).
  SeriesId Add(const Labels& labels, std::string_view canonical_labels);

  Labels LabelsOf(SeriesId id) const;
  std::string_view MetricName(SeriesId id) const;
  TimestampMs latest_timestamp(SeriesId id) const { return series_[id].latest; }
  void set_latest_timestamp(SeriesId id, TimestampMs timestamp) { series_[id].latest = timestamp; }

  // The current generation: 1 after loading, one more after each change.
  std::uint64_t generation() const { return generation_; }
  // Starts the next generation and returns it; pass it to MarkChanged for the series it changed.
  std::uint64_t NextGeneration() { return ++generation_; }
  void MarkChanged(SeriesId id, std::uint64_t generation) { series_[id].changed = generation; }
  // Whether a change of `id` came after generation `since`.
  bool ChangedSince(SeriesId id, std::uint64_t since) const { return series_[id].changed > since; }

  // Ascending ids of the series selected by every matcher (all series when there are none).
  std::vector<SeriesId> Match(std::span<const LabelMatcher> matchers) const;
  std::vector<std::string> LabelNames() const;
  std::vector<std::string> LabelValues(std::string_view name) const;

 private:
  using Symbol = InternTable::Id;
  using ValuePostings = std::unordered_map<Symbol, std::vector<SeriesId>>;
  using LabelSymbols = std::pair<Symbol, Symbol>;  // (name, value)
  struct Series {
    std::uint32_t first_label = 0;  // in label_symbols_; the labels are sorted by name
    std::uint32_t label_count = 0;
    TimestampMs latest = kNoSample;
    std::uint64_t changed = 1;  // generation of the last change; loaded series count as changed
  };

  std::span<const LabelSymbols> LabelSymbolsOf(SeriesId id) const {
    return std::span(label_symbols_).subspan(series_[id].first_label, series_[id].label_count);
  }
  Symbol Intern(std::string_view text);
  std::optional<Symbol> FindSymbol(std::string_view text) const { return symbols_.Find(text); }
  std::vector<SeriesId> MatchOne(const LabelMatcher& matcher) const;
  // The ids an equality matcher with a non-empty value selects, without copying; nullopt for
  // every other matcher.
  std::optional<std::span<const SeriesId>> EqualPostings(const LabelMatcher& matcher) const;
  const ValuePostings* PostingsOf(std::string_view name) const;  // nullptr: no such label
  std::vector<SeriesId> AllExcept(std::vector<SeriesId> excluded) const;

  InternTable symbols_;     // label names and values
  InternTable label_sets_;  // canonical label sets; a set's id is its series id
  std::vector<Series> series_;
  std::vector<LabelSymbols> label_symbols_;             // of every series, one after the other
  std::unordered_map<Symbol, ValuePostings> postings_;  // label name -> value -> series ids
  std::uint64_t generation_ = 1;
};

}  // namespace chiso::store_internal
