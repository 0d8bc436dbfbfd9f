// The evaluation's view of the store: a ReadingSource over Store::Select, a TaskProgressLog over
// the store's "tasks" state space and an AlertLog over its "alerts" state space. Kept apart from
// the rest of the rules module (library chiso_rules_store) so that trajectory and timeliness code
// never depends on the store.
//
// Thread-safe (the store is). All classes borrow the store, which must outlive them.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "rules/alerting/alerts.h"
#include "rules/assess/reading_source.h"
#include "rules/assess/tasks.h"
#include "store/store.h"

namespace chiso::rules {

// Keeps every answer it gave, with the store generation it is current up to
// (Store::ChangedSeries), and reads the store again only when one of the series the question
// selects changed since (written, corrected, deleted by retention, or new). Every call asks the
// store first, so an answer holds every write acknowledged before the call; an unchanged answer
// costs one in-memory lookup in the store and a copy. Answers stay cached, one per question
// asked (per unit: its indicator readings, report submissions and formula series; about the size
// of those readings), until a call of DropUnasked finds them not asked for since the previous
// call: the service calls it after every evaluation cycle, so the answers of a unit or indicator
// that a reload removed from the catalog go at the end of the first cycle without it.
class StoreReadingSource final : public ReadingSource {
 public:
  explicit StoreReadingSource(const Store* store) : store_(store) {}

  // Errors are the store's (ResourceExhausted, Corruption, Unavailable…); nothing is cached then.
  Result<ReadingsByLabel> GroupedReadings(std::string_view unit, std::string_view metric,
                                          std::string_view label) const override;
  Result<std::vector<Reading>> SelectedReadings(
      std::string_view unit, const catalog::SeriesSelector& selector) const override;

  // How many calls read the store (the question was new, or a series it selects had changed).
  std::uint64_t StoreReads() const { return store_reads_.load(); }

  // Forgets every answer not asked for since the previous call (or since construction).
  void DropUnasked();
  // How many answers are cached.
  std::size_t TEST_CachedAnswers() const;

 private:
  template <typename Answer>
  struct Cached {
    std::uint64_t generation = 0;  // no selected series changed after this one
    Answer answer;
    std::uint64_t asked_in = 0;  // the period (between DropUnasked calls) last asked in
  };
  template <typename Answer>
  using Cache = std::map<std::string, Cached<Answer>, std::less<>>;

  // The answer for `key` (naming the question), from `cache` when no series `matchers` select
  // changed since it was cached; otherwise `build` of their samples, cached.
  template <typename Answer, typename Build>
  Result<Answer> Answered(Cache<Answer>& cache, const std::string& key,
                          const std::vector<LabelMatcher>& matchers, Build build) const;

  const Store* store_;
  mutable std::mutex mu_;  // guards the caches, never held while reading the store
  mutable Cache<ReadingsByLabel> grouped_;
  mutable Cache<std::vector<Reading>> selected_;
  std::uint64_t period_ = 0;  // guarded by mu_; DropUnasked calls so far
  mutable std::atomic<std::uint64_t> store_reads_{0};
};

class StoreTaskProgressLog final : public TaskProgressLog {
 public:
  explicit StoreTaskProgressLog(Store* store) : store_(store) {}

  // Corruption naming the key when a stored record cannot be decoded.
  Result<std::vector<TaskProgress>> Load() const override;
  Status Record(const TaskProgress& record) override;

 private:
  Store* store_;
};

class StoreAlertLog final : public AlertLog {
 public:
  explicit StoreAlertLog(Store* store) : store_(store) {}

  // Corruption naming the key when a stored alert cannot be decoded.
  Result<std::vector<Alert>> Load() const override;
  // One atomic state write.
  Status Apply(const AlertChanges& changes) override;

 private:
  Store* store_;
};

}  // namespace chiso::rules
