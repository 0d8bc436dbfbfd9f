// The evaluation's view of the store: a ReadingSource over Store::Select, a TaskProgressLog over
// the store's "tasks" state space and an AlertLog over its "alerts" state space. Kept apart from
// the rest of the rules module (library chiso_rules_store) so that trajectory and timeliness code
// never depends on the store.
//
// Thread-safe (the store is). Both classes borrow the store, which must outlive them.
#pragma once

#include "rules/alerts.h"
#include "rules/reading_source.h"
#include "rules/tasks.h"
#include "store/store.h"

namespace chiso::rules {

class StoreReadingSource final : public ReadingSource {
 public:
  explicit StoreReadingSource(const Store* store) : store_(store) {}

  // Errors are the store's (ResourceExhausted, Corruption, Unavailable…).
  Result<ReadingsByLabel> GroupedReadings(std::string_view unit, std::string_view metric,
                                          std::string_view label) const override;
  Result<std::vector<Reading>> SelectedReadings(std::string_view unit,
                                                const SeriesSelector& selector) const override;

 private:
  const Store* store_;
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
