#include "rules/assess/reading_source.h"

#include <algorithm>

namespace chiso::rules {
void KeepLatestPerInstant(std::vector<Reading>* readings) {
  auto before = [](const Reading& a, const Reading& b) {
    return a.at < b.at || (a.at == b.at && a.arrived_at < b.arrived_at);
  };
  if (!std::is_sorted(readings->begin(), readings->end(), before)) {
    std::stable_sort(readings->begin(), readings->end(), before);
  }
  // Of each run of equal instants keep the last (latest arrival) with the run's earliest first
  // arrival, in place.
  auto kept = readings->begin();
  for (auto it = readings->begin(); it != readings->end(); ++it) {
    if (kept != readings->begin() && std::prev(kept)->at == it->at) {
      Reading& previous = *std::prev(kept);
      const TimestampMs first = std::min(previous.first_arrived_at, it->first_arrived_at);
      previous = *it;
      previous.first_arrived_at = first;
    } else {
      *kept++ = *it;
    }
  }
  readings->erase(kept, readings->end());
}

void MemoryReadingSource::Add(Labels labels, std::vector<Reading> readings) {
  SortLabels(labels);
  auto& unit_series = by_unit_[std::string(LabelValue(labels, kUnitLabel))];
  for (Series& series : unit_series) {
    if (series.labels == labels) {
      series.readings.insert(series.readings.end(), readings.begin(), readings.end());
      return;
    }
  }
  unit_series.push_back({std::move(labels), std::move(readings)});
}

void MemoryReadingSource::AddIndicatorReadings(const std::string& unit,
                                               const std::string& indicator,
                                               std::vector<Reading> readings) {
  Add({{std::string(kMetricNameLabel), std::string(kReadingMetric)},
       {std::string(kIndicatorLabel), indicator},
       {std::string(kUnitLabel), unit}},
      std::move(readings));
}

Result<ReadingsByLabel> MemoryReadingSource::GroupedReadings(std::string_view unit,
                                                             std::string_view metric,
                                                             std::string_view label) const {
  ReadingsByLabel out;
  auto it = by_unit_.find(unit);
  if (it == by_unit_.end()) return out;
  for (const Series& series : it->second) {
    if (LabelValue(series.labels, kMetricNameLabel) != metric) continue;
    const std::string_view group = LabelValue(series.labels, label);
    if (group.empty()) continue;
    auto& readings = out[std::string(group)];
    readings.insert(readings.end(), series.readings.begin(), series.readings.end());
  }
  for (auto& [group, readings] : out) KeepLatestPerInstant(&readings);
  return out;
}

Result<std::vector<Reading>> MemoryReadingSource::SelectedReadings(
    std::string_view unit, const catalog::SeriesSelector& selector) const {
  std::vector<Reading> out;
  auto it = by_unit_.find(unit);
  if (it == by_unit_.end()) return out;
  for (const Series& series : it->second) {
    if (LabelValue(series.labels, kMetricNameLabel) != selector.metric) continue;
    const bool matches =
        std::all_of(selector.match.begin(), selector.match.end(),
                    [&](const auto& m) { return LabelValue(series.labels, m.first) == m.second; });
    if (matches) out.insert(out.end(), series.readings.begin(), series.readings.end());
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Reading& a, const Reading& b) { return a.at < b.at; });
  return out;
}

}  // namespace chiso::rules
