#include "store/internal/series_index.h"

#include <algorithm>
#include <iterator>
#include <numeric>

namespace chiso::store_internal {

std::optional<SeriesId> SeriesIndex::Find(std::string_view canonical_labels) const {
  const auto it = ids_by_labels_.find(canonical_labels);
  if (it == ids_by_labels_.end()) return std::nullopt;
  return it->second;
}

SeriesId SeriesIndex::Add(const Labels& labels, std::string canonical_labels) {
  const auto id = static_cast<SeriesId>(series_.size());
  Series series;
  series.labels.reserve(labels.size());
  for (const Label& label : labels) {
    const Symbol name = Intern(label.name);
    const Symbol value = Intern(label.value);
    series.labels.emplace_back(name, value);
    postings_[name][value].push_back(id);
  }
  series_.push_back(std::move(series));
  ids_by_labels_.emplace(std::move(canonical_labels), id);
  return id;
}

Labels SeriesIndex::LabelsOf(SeriesId id) const {
  Labels labels;
  labels.reserve(series_[id].labels.size());
  for (const auto& [name, value] : series_[id].labels) {
    labels.push_back({symbol_text_[name], symbol_text_[value]});
  }
  return labels;
}

std::string_view SeriesIndex::MetricName(SeriesId id) const {
  const auto name = FindSymbol(kMetricNameLabel);
  for (const auto& [label, value] : series_[id].labels) {
    if (label == name) return symbol_text_[value];
  }
  return {};
}

std::vector<SeriesId> SeriesIndex::Match(std::span<const LabelMatcher> matchers) const {
  if (matchers.empty()) return AllExcept({});
  std::vector<SeriesId> result = MatchOne(matchers.front());
  for (const LabelMatcher& matcher : matchers.subspan(1)) {
    if (result.empty()) break;
    const std::vector<SeriesId> next = MatchOne(matcher);
    std::vector<SeriesId> both;
    std::set_intersection(result.begin(), result.end(), next.begin(), next.end(),
                          std::back_inserter(both));
    result = std::move(both);
  }
  return result;
}

std::vector<std::string> SeriesIndex::LabelNames() const {
  std::vector<std::string> names;
  for (const auto& [name, values] : postings_) names.push_back(symbol_text_[name]);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> SeriesIndex::LabelValues(std::string_view name) const {
  std::vector<std::string> values;
  const auto symbol = FindSymbol(name);
  if (!symbol) return values;
  for (const auto& [value, ids] : postings_.at(*symbol)) values.push_back(symbol_text_[value]);
  std::sort(values.begin(), values.end());
  return values;
}

SeriesIndex::Symbol SeriesIndex::Intern(std::string_view text) {
  if (const auto found = FindSymbol(text)) return *found;
  const auto symbol = static_cast<Symbol>(symbol_text_.size());
  symbol_text_.emplace_back(text);
  symbols_.emplace(symbol_text_.back(), symbol);
  return symbol;
}

std::optional<SeriesIndex::Symbol> SeriesIndex::FindSymbol(std::string_view text) const {
  const auto it = symbols_.find(text);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

// A series lacking the label counts as having "" (Prometheus): a matcher accepting "" selects
// every series except those whose value it rejects; otherwise exactly those whose value it
// accepts. Lists of distinct values of one label are disjoint, so concatenation needs no dedup.
std::vector<SeriesId> SeriesIndex::MatchOne(const LabelMatcher& matcher) const {
  const auto name = FindSymbol(matcher.name());
  const ValuePostings* values = nullptr;
  if (name) values = &postings_.at(*name);
  const bool selects_absent = matcher.Matches("");
  if (values == nullptr) return selects_absent ? AllExcept({}) : std::vector<SeriesId>{};

  if (matcher.op() == LabelMatcher::Op::kEqual && !selects_absent) {
    const auto value = FindSymbol(matcher.value());
    if (!value) return {};
    const auto it = values->find(*value);
    return it == values->end() ? std::vector<SeriesId>{} : it->second;
  }
  std::vector<SeriesId> ids;
  for (const auto& [value, value_ids] : *values) {
    if (matcher.Matches(symbol_text_[value]) != selects_absent) {
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
