#include "rules/store_backed/store_source.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "rules/store_backed/state_codec.h"

namespace chiso::rules {
namespace {

// Every entry of a state space, decoded; the first entry that does not decode fails the load.
template <typename Value>
Result<std::vector<Value>> LoadStateSpace(const Store& store, std::string_view space,
                                          Result<Value> (*decode)(std::string_view key,
                                                                  std::string_view value)) {
  auto entries = store.ScanState(space);
  if (!entries.ok()) return entries.status();
  std::vector<Value> out;
  out.reserve(entries->size());
  for (const StateEntry& entry : *entries) {
    auto value = decode(entry.key, entry.value);
    if (!value.ok()) return value.status();
    out.push_back(std::move(value.value()));
  }
  return out;
}

Reading ReadingOf(const StoredSample& sample) {
  return {sample.timestamp, sample.value, sample.arrived_at, sample.first_arrived_at};
}

void AppendReadings(const std::vector<StoredSample>& samples, std::vector<Reading>* out) {
  std::transform(samples.begin(), samples.end(), std::back_inserter(*out), ReadingOf);
}

// Series selected by label equalities, and a key naming the selection (and whatever else the
// question asks) unambiguously.
struct Question {
  std::vector<LabelMatcher> matchers;
  std::string key;

  Question(std::string_view metric, std::string_view unit) {
    Select(kMetricNameLabel, metric);
    Select(kUnitLabel, unit);
  }
  void Select(std::string_view name, std::string_view value) {
    matchers.push_back(LabelMatcher::Equal(std::string(name), std::string(value)));
    Append(name);
    Append(value);
  }
  void Append(std::string_view part) {
    key.append(std::to_string(part.size())).append(":").append(part);
  }
};

ReadingsByLabel GroupedBy(std::string_view label, const std::vector<SeriesSamples>& selected) {
  ReadingsByLabel out;
  for (const SeriesSamples& series : selected) {
    const std::string_view group = LabelValue(series.labels, label);
    if (group.empty()) continue;
    std::vector<Reading>& readings = out[std::string(group)];
    if (readings.empty()) readings.reserve(series.samples.size());  // mostly one series a group
    AppendReadings(series.samples, &readings);
  }
  for (auto& [group, readings] : out) KeepLatestPerInstant(&readings);
  return out;
}

std::vector<Reading> Merged(const std::vector<SeriesSamples>& selected) {
  std::size_t count = 0;
  for (const SeriesSamples& series : selected) count += series.samples.size();
  std::vector<Reading> out;
  out.reserve(count);
  for (const SeriesSamples& series : selected) AppendReadings(series.samples, &out);
  std::stable_sort(out.begin(), out.end(),
                   [](const Reading& a, const Reading& b) { return a.at < b.at; });
  return out;
}

}  // namespace

template <typename Answer, typename Build>
Result<Answer> StoreReadingSource::Answered(Cache<Answer>& cache, const std::string& key,
                                            const std::vector<LabelMatcher>& matchers,
                                            Build build) const {
  std::optional<std::uint64_t> cached_at;
  {
    std::lock_guard lock(mu_);
    if (auto it = cache.find(key); it != cache.end()) {
      cached_at = it->second.generation;
      it->second.asked_in = period_;
    }
  }
  const SeriesChanges changes = store_->ChangedSeries(matchers, cached_at.value_or(0));
  if (cached_at && changes.series.empty()) {
    // Current up to changes.generation; another call may have cached a later answer meanwhile.
    std::lock_guard lock(mu_);
    if (auto it = cache.find(key); it != cache.end()) {
      it->second.generation = std::max(it->second.generation, changes.generation);
      return it->second.answer;
    }
    // Dropped meanwhile by DropUnasked: read it again below.
  }
  // Holds at least every change up to changes.generation.
  ++store_reads_;
  auto selected = store_->Select(matchers, kMinSampleTimestamp, kMaxSampleTimestamp);
  if (!selected.ok()) return selected.status();
  Answer answer = build(*selected);
  std::lock_guard lock(mu_);
  Cached<Answer>& cached = cache[key];
  if (cached.generation < changes.generation) cached = {changes.generation, answer};
  cached.asked_in = period_;
  return answer;
}

void StoreReadingSource::DropUnasked() {
  std::lock_guard lock(mu_);
  auto drop = [this](auto& cache) {
    std::erase_if(cache, [this](const auto& entry) { return entry.second.asked_in != period_; });
  };
  drop(grouped_);
  drop(selected_);
  ++period_;
}

std::size_t StoreReadingSource::TEST_CachedAnswers() const {
  std::lock_guard lock(mu_);
  return grouped_.size() + selected_.size();
}

Result<ReadingsByLabel> StoreReadingSource::GroupedReadings(std::string_view unit,
                                                            std::string_view metric,
                                                            std::string_view label) const {
  Question question(metric, unit);
  question.Append(label);
  return Answered(
      grouped_, question.key, question.matchers,
      [label](const std::vector<SeriesSamples>& selected) { return GroupedBy(label, selected); });
}

Result<std::vector<Reading>> StoreReadingSource::SelectedReadings(
    std::string_view unit, const catalog::SeriesSelector& selector) const {
  Question question(selector.metric, unit);
  for (const auto& [name, value] : selector.match) question.Select(name, value);
  return Answered(selected_, question.key, question.matchers, Merged);
}

Result<std::vector<TaskProgress>> StoreTaskProgressLog::Load() const {
  return LoadStateSpace(*store_, kTaskStateSpace, DecodeTaskProgress);
}

Status StoreTaskProgressLog::Record(const TaskProgress& record) {
  return store_->PutState(kTaskStateSpace, TaskProgressKey(record), EncodeTaskProgress(record));
}

Result<std::vector<Alert>> StoreAlertLog::Load() const {
  return LoadStateSpace(*store_, kAlertStateSpace, DecodeAlert);
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
