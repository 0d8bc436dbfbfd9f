#include "rules/store_source.h"

#include <algorithm>
#include <iterator>

namespace chiso::rules {
namespace {

Reading ReadingOf(const StoredSample& sample) {
  return {sample.timestamp, sample.value, sample.arrived_at};
}

void AppendReadings(const std::vector<StoredSample>& samples, std::vector<Reading>* out) {
  std::transform(samples.begin(), samples.end(), std::back_inserter(*out), ReadingOf);
}

Result<std::vector<SeriesSamples>> SelectAll(const Store& store,
                                             const std::vector<LabelMatcher>& matchers) {
  return store.Select(matchers, kMinSampleTimestamp, kMaxSampleTimestamp);
}

}  // namespace

Result<ReadingsByLabel> StoreReadingSource::GroupedReadings(std::string_view unit,
                                                            std::string_view metric,
                                                            std::string_view label) const {
  auto selected =
      SelectAll(*store_, {LabelMatcher::Equal(std::string(kMetricNameLabel), std::string(metric)),
                          LabelMatcher::Equal(std::string(kUnitLabel), std::string(unit))});
  if (!selected.ok()) return selected.status();
  ReadingsByLabel out;
  for (const SeriesSamples& series : *selected) {
    const std::string_view group = LabelValue(series.labels, label);
    if (group.empty()) continue;
    std::vector<Reading>& readings = out[std::string(group)];
    if (readings.empty()) readings.reserve(series.samples.size());  // mostly one series a group
    AppendReadings(series.samples, &readings);
  }
  for (auto& [group, readings] : out) KeepLatestPerInstant(&readings);
  return out;
}

Result<std::vector<Reading>> StoreReadingSource::SelectedReadings(
    std::string_view unit, const SeriesSelector& selector) const {
  std::vector<LabelMatcher> matchers = {
      LabelMatcher::Equal(std::string(kMetricNameLabel), selector.metric),
      LabelMatcher::Equal(std::string(kUnitLabel), std::string(unit))};
  for (const auto& [name, value] : selector.match)
    matchers.push_back(LabelMatcher::Equal(name, value));
  auto selected = SelectAll(*store_, matchers);
  if (!selected.ok()) return selected.status();
  std::size_t count = 0;
  for (const SeriesSamples& series : *selected) count += series.samples.size();
  std::vector<Reading> out;
  out.reserve(count);
  for (const SeriesSamples& series : *selected) AppendReadings(series.samples, &out);
  std::stable_sort(out.begin(), out.end(),
                   [](const Reading& a, const Reading& b) { return a.at < b.at; });
  return out;
}

Result<std::vector<TaskProgress>> StoreTaskProgressLog::Load() const {
  auto entries = store_->ScanState(kTaskStateSpace);
  if (!entries.ok()) return entries.status();
  std::vector<TaskProgress> out;
  out.reserve(entries->size());
  for (const StateEntry& entry : *entries) {
    auto record = DecodeTaskProgress(entry.key, entry.value);
    if (!record.ok()) return record.status();
    out.push_back(std::move(record.value()));
  }
  return out;
}

Status StoreTaskProgressLog::Record(const TaskProgress& record) {
  return store_->PutState(kTaskStateSpace, TaskProgressKey(record), EncodeTaskProgress(record));
}

Result<std::vector<Alert>> StoreAlertLog::Load() const {
  auto entries = store_->ScanState(kAlertStateSpace);
  if (!entries.ok()) return entries.status();
  std::vector<Alert> out;
  out.reserve(entries->size());
  for (const StateEntry& entry : *entries) {
    auto alert = DecodeAlert(entry.key, entry.value);
    if (!alert.ok()) return alert.status();
    out.push_back(std::move(alert.value()));
  }
  return out;
}

Status StoreAlertLog::Apply(const AlertChanges& changes) {
  StateBatch batch;
  for (const Alert& alert : changes.upserted) {
    batch.Put(kAlertStateSpace, alert.Fingerprint(), EncodeAlert(alert));
  }
  for (const std::string& fingerprint : changes.removed)
    batch.Delete(kAlertStateSpace, fingerprint);
  if (batch.empty()) return Status::Ok();
  return store_->WriteState(batch);
}

}  // namespace chiso::rules
