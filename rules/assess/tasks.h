// Tasks (nhiệm vụ): deadlines from the plan's schedules, progress that offices record through the
// API, and the overdue / due-soon facts that rules and dashboards use.
//
// A task's schedule yields occurrences, each with a deadline and a key that progress records
// name: a one-off deadline has one occurrence (key ""); a yearly recurrence one per year of
// from..until (key "2025"); a continuous duty one per review period (key "2025-Q3"), due at the
// period's end; a continuous duty without a review period (the source gives no rhythm) and a
// task waiting for an outside event ("Khi tỉnh ban hành hướng dẫn") have none: they are tracked
// (progress under the key "") but never due, so never overdue.
// A task is overdue when its most recent past occurrence was not recorded as done; until the
// next occurrence passes, that occurrence is the one shown.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/calendar.h"
#include "common/status.h"

namespace chiso::rules {

enum class TaskState { kNotStarted, kInProgress, kDone };
// "not_started", "in_progress", "done".
std::string_view TaskStateName(TaskState state);
std::optional<TaskState> ParseTaskState(std::string_view name);
// In Vietnamese ("Đang thực hiện").
std::string_view TaskStateLabel(TaskState state);

// One progress record of one occurrence of a task, as an office reported it.
struct TaskProgress {
  std::string unit;
  std::string task;
  std::string occurrence;  // TaskOccurrence::key
  TaskState state = TaskState::kNotStarted;
  std::string note;
  std::string recorded_by;  // token name
  TimestampMs recorded_at = 0;

  friend bool operator==(const TaskProgress&, const TaskProgress&) = default;
};

struct TaskOccurrence {
  std::string key;
  CivilDate deadline;
  TimestampMs due_at = 0;  // end of the deadline day in the unit's time zone
};

// The most recent occurrence due before `now` and the first due at or after it.
struct TaskOccurrences {
  std::optional<TaskOccurrence> previous;
  std::optional<TaskOccurrence> next;
};
TaskOccurrences OccurrencesAround(const catalog::TaskSchedule& schedule, const TimeZone& zone,
                                  TimestampMs now);

// Ok when `key` names an occurrence `schedule` can have ("" for one-off and event-triggered
// tasks, a year within from..until, a review period such as "2025-Q3"); InvalidArgument saying
// what is expected otherwise.
Status ValidateOccurrence(const catalog::TaskSchedule& schedule, std::string_view key);

struct TaskAssessment {
  const catalog::Task* task = nullptr;
  std::string unit;
  std::optional<TaskOccurrence> occurrence;  // the one shown; none for event-triggered tasks
  TaskState state = TaskState::kNotStarted;  // of that occurrence
  std::optional<TaskProgress> progress;      // its latest record
  bool overdue = false;

  // Whether the shown occurrence is not done and due within `days` days of `now` (not overdue).
  bool DueWithin(TimestampMs now, int days) const;
};

// `progress`: records of this task of this unit, any order; the latest per occurrence counts.
TaskAssessment AssessTask(const catalog::Task& task, const std::string& unit, const TimeZone& zone,
                          std::span<const TaskProgress> progress, TimestampMs now);

// One task of one unit, judged. `unit` and `assessment.task` point into the catalog.
struct TaskRow {
  const catalog::Unit* unit = nullptr;
  TaskAssessment assessment;
};

// Which units a selection covers, by unit id: one unit, or a province and the units under it
// (catalog::Catalog::WithinUnits), narrowed by a reader's scope. Unset: every unit.
using UnitPredicate = std::function<bool(std::string_view unit)>;

// Which tasks AssessTasks returns; an empty or unset field does not narrow the selection.
struct TaskFilter {
  UnitPredicate units;
  std::string id;                  // task id
  std::string lead;                // the task's lead office
  std::optional<TaskState> state;  // of the shown occurrence
  std::optional<bool> overdue;
  std::optional<int> due_within_days;  // TaskAssessment::DueWithin(now, days)
};

// Every task of the catalog's plans that `filter` selects, judged at `now`, in plan order (plans
// whose unit is not in the catalog are skipped). `progress`: every record, any order. Both the
// evaluation cycle and the task endpoints list tasks through this.
std::vector<TaskRow> AssessTasks(const catalog::Catalog& catalog,
                                 std::span<const TaskProgress> progress, const TaskFilter& filter,
                                 TimestampMs now);

// Where progress records live: the store's "tasks" state space in the service, memory in tests.
// Implementations are thread-safe.
class TaskProgressLog {
 public:
  virtual ~TaskProgressLog() = default;
  // The latest record of every (unit, task, occurrence).
  virtual Result<std::vector<TaskProgress>> Load() const = 0;
  // Stores `record`, replacing the one of the same (unit, task, occurrence). Durable when ok.
  virtual Status Record(const TaskProgress& record) = 0;
};

// Records kept in memory: for tests, and for a service running without a store.
class MemoryTaskProgressLog final : public TaskProgressLog {
 public:
  Result<std::vector<TaskProgress>> Load() const override;
  Status Record(const TaskProgress& record) override;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, TaskProgress> records_;  // by TaskProgressKey
};

// A record's identity, "unit/task/occurrence": the key of its state-space entry in the store.
std::string TaskProgressKey(const TaskProgress& record);

}  // namespace chiso::rules
