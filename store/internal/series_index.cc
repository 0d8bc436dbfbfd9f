#include "store/internal/series_index.h"

#include <algorithm>
#include <iterator>
#include <numeric>

namespace chiso::store_internal {

SeriesId SeriesIndex::Add(const Labels& labels, std::string_view canonical_labels) {
  const auto id = static_cast<SeriesId>(label_sets_.Add(canonical_labels));
  series_.push_back({static_cast<std::uint32_t>(label_symbols_.size()),
                     static_cast<std::uint32_t>(labels.size())});
  for (const Label& label : labels) {
    const Symbol name = Intern(label.name);
    const Symbol value = Intern(label.value);
    label_symbols_.emplace_back(name, value);
    postings_[name][value].push_back(id);
  }
  return id;
}

Labels SeriesIndex::LabelsOf(SeriesId id) const {
  Labels labels;
  labels.reserve(series_[id].label_count);
  for (const auto& [name, value] : LabelSymbolsOf(id)) {
    labels.push_back({std::string(symbols_.Text(name)), std::string(symbols_.Text(value))});
  }
  return labels;
}

std::string_view SeriesIndex::MetricName(SeriesId id) const {
  const auto name = FindSymbol(kMetricNameLabel);
  for (const auto& [label, value] : LabelSymbolsOf(id)) {
    if (label == name) return symbols_.Text(value);
  }
  return {};
}

// Equality matchers use their postings list in place; the others are computed. The intersection
// starts from the shortest list, and looks each survivor up in a much longer list by binary
// search, so `{__name__="m", unit="u"}` costs about the unit's list, not the metric's.
std::vector<SeriesId> SeriesIndex::Match(std::span<const LabelMatcher> matchers) const {
  if (matchers.empty()) return AllExcept({});
  std::vector<std::vector<SeriesId>> computed;
  computed.reserve(matchers.size());  // `lists` points into it
  std::vector<std::span<const SeriesId>> lists;
  for (const LabelMatcher& matcher : matchers) {
    if (const auto postings = EqualPostings(matcher)) {
      lists.push_back(*postings);
    } else {
      lists.push_back(computed.emplace_back(MatchOne(matcher)));
    }
  }
  std::sort(lists.begin(), lists.end(),
            [](const auto& a, const auto& b) { return a.size() < b.size(); });
  std::vector<SeriesId> result(lists.front().begin(), lists.front().end());
  for (const std::span<const SeriesId> list : std::span(lists).subspan(1)) {
    if (result.empty()) break;
    if (result.size() * 16 < list.size()) {
      auto from = list.begin();
      std::erase_if(result, [&](SeriesId id) {
        from = std::lower_bound(from, list.end(), id);
        return from == list.end() || *from != id;
      });
    } else {
      std::vector<SeriesId> both;
      std::set_intersection(result.begin(), result.end(), list.begin(), list.end(),
                            std::back_inserter(both));
      result = std::move(both);
    }
  }
  return result;
}

std::optional<std::span<const SeriesId>> SeriesIndex::EqualPostings(
    const LabelMatcher& matcher) const {
  if (matcher.op() != LabelMatcher::Op::kEqual || matcher.value().empty()) return std::nullopt;
  const ValuePostings* values = PostingsOf(matcher.name());
  const auto value = FindSymbol(matcher.value());
  if (values == nullptr || !value) return std::span<const SeriesId>();
  const auto it = values->find(*value);
  if (it == values->end()) return std::span<const SeriesId>();
  return std::span<const SeriesId>(it->second);
}

// A string may be interned as a value without ever being a label name.
const SeriesIndex::ValuePostings* SeriesIndex::PostingsOf(std::string_view name) const {
  const auto symbol = FindSymbol(name);
  if (!symbol) return nullptr;
  const auto it = postings_.find(*symbol);
  return it == postings_.end() ? nullptr : &it->second;
}

std::vector<std::string> SeriesIndex::LabelNames() const {
  std::vector<std::string> names;
  for (const auto& [name, values] : postings_) names.push_back(std::string(symbols_.Text(name)));
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> SeriesIndex::LabelValues(std::string_view name) const {
  std::vector<std::string> values;
  const ValuePostings* postings = PostingsOf(name);
  if (postings == nullptr) return values;
  for (const auto& [value, ids] : *postings) values.push_back(std::string(symbols_.Text(value)));
  std::sort(values.begin(), values.end());
  return values;
}

SeriesIndex::Symbol SeriesIndex::Intern(std::string_view text) {
  const std::uint64_t hash = InternTable::Hash(text);
  if (const auto found = symbols_.Find(text, hash)) return *found;
  return symbols_.Add(text, hash);
}

// A series lacking the label counts as having "" (Prometheus): a matcher accepting "" selects
// every series except those whose value it rejects; otherwise exactly those whose value it
// accepts. Lists of distinct values of one label are disjoint, so concatenation needs no dedup.
std::vector<SeriesId> SeriesIndex::MatchOne(const LabelMatcher& matcher) const {
  const ValuePostings* values = PostingsOf(matcher.name());
  const bool selects_absent = matcher.Matches("");
  if (values == nullptr) return selects_absent ? AllExcept({}) : std::vector<SeriesId>{};

  std::vector<SeriesId> ids;
  for (const auto& [value, value_ids] : *values) {
    if (matcher.Matches(symbols_.Text(value)) != selects_absent) {
      ids.insert(ids.end(), value_ids.begin(), value_ids.end());
    }
  }
  std::sort(ids.begin(), ids.end());
  return selects_absent ? AllExcept(std::move(ids)) : ids;
}

std::vector<SeriesId> SeriesIndex::AllExcept(std::vector<SeriesId> excluded) const {
  std::vector<SeriesId> all(series_.size());
  std::iota(all.begin(), all.end(), SeriesId{0});
  if (excluded.empty()) return all;
  std::vector<SeriesId> rest;
  rest.reserve(all.size() - excluded.size());
  std::set_difference(all.begin(), all.end(), excluded.begin(), excluded.end(),
                      std::back_inserter(rest));
  return rest;
}

}  // namespace chiso::store_internal
