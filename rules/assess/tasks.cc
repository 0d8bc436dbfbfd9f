#include "rules/assess/tasks.h"

#include <algorithm>

#include "rules/assess/state_names.h"

namespace chiso::rules {
namespace {

constexpr StateNames<TaskState, 3> kStateNames({{
    {TaskState::kNotStarted, "not_started", "Chưa bắt đầu"},
    {TaskState::kInProgress, "in_progress", "Đang thực hiện"},
    {TaskState::kDone, "done", "Đã hoàn thành"},
}});

TaskOccurrence OccurrenceOn(std::string key, const CivilDate& deadline, const TimeZone& zone) {
  return {std::move(key), deadline, EndOfDay(deadline, zone)};
}

TaskOccurrence YearlyOccurrence(const catalog::YearlyRecurrence& r, int year,
                                const TimeZone& zone) {
  return OccurrenceOn(std::to_string(year),
                      {year, r.month, std::min(r.day, DaysInMonth(year, r.month))}, zone);
}

TaskOccurrences Around(const catalog::OneOffDeadline& d, const TimeZone& zone, TimestampMs now) {
  TaskOccurrence only = OccurrenceOn("", d.due, zone);
  if (only.due_at < now) return {only, std::nullopt};
  return {std::nullopt, only};
}

TaskOccurrences Around(const catalog::YearlyRecurrence& r, const TimeZone& zone, TimestampMs now) {
  const int year = LocalDate(now, zone).year;
  const bool this_year_passed = YearlyOccurrence(r, year, zone).due_at < now;
  TaskOccurrences out;
  const int previous = std::min(this_year_passed ? year : year - 1, r.until_year.value_or(year));
  if (previous >= r.from_year) out.previous = YearlyOccurrence(r, previous, zone);
  const int next = std::max(this_year_passed ? year + 1 : year, r.from_year);
  if (!r.until_year || next <= *r.until_year) out.next = YearlyOccurrence(r, next, zone);
  return out;
}

TaskOccurrences Around(const catalog::ContinuousDuty& c, const TimeZone& zone, TimestampMs now) {
  if (!c.review) return {};  // no rhythm in the source: tracked, never due
  const Period current = PeriodContaining(*c.review, LocalDate(now, zone));
  const Period previous =
      PeriodContaining(*c.review, CivilFromDays(DaysFromCivil(current.FirstDay()) - 1));
  return {OccurrenceOn(previous.ToString(), previous.LastDay(), zone),
          OccurrenceOn(current.ToString(), current.LastDay(), zone)};
}

TaskOccurrences Around(const catalog::EventTrigger&, const TimeZone&, TimestampMs) { return {}; }

// The latest record of `occurrence`, if any.
std::optional<TaskProgress> LatestFor(std::span<const TaskProgress> progress,
                                      const std::string& occurrence) {
  std::optional<TaskProgress> latest;
  for (const TaskProgress& p : progress) {
    if (p.occurrence == occurrence && (!latest || p.recorded_at >= latest->recorded_at)) latest = p;
  }
  return latest;
}

}  // namespace

std::string_view TaskStateName(TaskState state) { return kStateNames.Name(state); }

std::string_view TaskStateLabel(TaskState state) { return kStateNames.Label(state); }

std::optional<TaskState> ParseTaskState(std::string_view name) { return kStateNames.Parse(name); }

TaskOccurrences OccurrencesAround(const catalog::TaskSchedule& schedule, const TimeZone& zone,
                                  TimestampMs now) {
  return std::visit([&](const auto& s) { return Around(s, zone, now); }, schedule);
}

Status ValidateOccurrence(const catalog::TaskSchedule& schedule, std::string_view key) {
  const std::string quoted = "occurrence '" + std::string(key) + "'";
  if (const auto* yearly = std::get_if<catalog::YearlyRecurrence>(&schedule)) {
    auto period = ParsePeriod(key);
    if (!period.ok() || period->kind != PeriodKind::kYear || period->year < yearly->from_year ||
        (yearly->until_year && period->year > *yearly->until_year)) {
      return Status::InvalidArgument(quoted + " is not a year this yearly task recurs in");
    }
    return Status::Ok();
  }
  const auto* continuous = std::get_if<catalog::ContinuousDuty>(&schedule);
  if (continuous != nullptr && continuous->review) {
    auto period = ParsePeriod(key);
    if (!period.ok() || period->kind != *continuous->review) {
      return Status::InvalidArgument(quoted + " is not a " +
                                     std::string(PeriodKindName(*continuous->review)) +
                                     " review period (e.g. 2025-Q3, 2025-10)");
    }
    return Status::Ok();
  }
  if (!key.empty()) {
    return Status::InvalidArgument(quoted + ": this task has a single occurrence; omit it");
  }
  return Status::Ok();
}

bool TaskAssessment::DueWithin(TimestampMs now, int days) const {
  return occurrence && !overdue && state != TaskState::kDone &&
         occurrence->due_at - now <= static_cast<TimestampMs>(days) * kMsPerDay;
}

TaskAssessment AssessTask(const catalog::Task& task, const std::string& unit, const TimeZone& zone,
                          std::span<const TaskProgress> progress, TimestampMs now) {
  TaskAssessment out;
  out.task = &task;
  out.unit = unit;
  const TaskOccurrences around = OccurrencesAround(task.schedule, zone, now);
  std::optional<TaskProgress> previous_record;
  if (around.previous) previous_record = LatestFor(progress, around.previous->key);
  out.overdue = around.previous && (!previous_record || previous_record->state != TaskState::kDone);
  if (around.previous && (out.overdue || !around.next)) {
    out.occurrence = around.previous;
    out.progress = previous_record;
  } else {
    out.occurrence = around.next;
    // Event-triggered tasks and undated duties have no occurrence; their records carry the key "".
    out.progress = LatestFor(progress, around.next ? around.next->key : "");
  }
  if (out.progress) out.state = out.progress->state;
  return out;
}

std::vector<TaskRow> AssessTasks(const catalog::Catalog& catalog,
                                 std::span<const TaskProgress> progress, const TaskFilter& filter,
                                 TimestampMs now) {
  // Records by "unit/task", each group keeping the order of `progress`.
  std::map<std::string, std::vector<TaskProgress>, std::less<>> by_task;
  for (const TaskProgress& record : progress) {
    if (!filter.units || filter.units(record.unit)) {
      by_task[record.unit + "/" + record.task].push_back(record);
    }
  }
  std::vector<TaskRow> out;
  for (const catalog::Plan& plan : catalog.plans) {
    const catalog::Unit* unit = catalog.FindUnit(plan.unit);
    if (unit == nullptr || (filter.units && !filter.units(plan.unit))) continue;
    for (const catalog::Task& task : plan.tasks) {
      if ((!filter.id.empty() && task.id != filter.id) ||
          (!filter.lead.empty() && task.lead != filter.lead)) {
        continue;
      }
      std::span<const TaskProgress> records;
      if (auto it = by_task.find(plan.unit + "/" + task.id); it != by_task.end()) {
        records = it->second;
      }
      TaskAssessment a = AssessTask(task, plan.unit, unit->zone, records, now);
      if ((filter.state && a.state != *filter.state) ||
          (filter.overdue && a.overdue != *filter.overdue) ||
          (filter.due_within_days && !a.DueWithin(now, *filter.due_within_days))) {
        continue;
      }
      out.push_back({unit, std::move(a)});
    }
  }
  return out;
}

Result<std::vector<TaskProgress>> MemoryTaskProgressLog::Load() const {
  std::lock_guard lock(mutex_);
  std::vector<TaskProgress> out;
  for (const auto& [key, record] : records_) out.push_back(record);
  return out;
}

Status MemoryTaskProgressLog::Record(const TaskProgress& record) {
  std::lock_guard lock(mutex_);
  records_[TaskProgressKey(record)] = record;
  return Status::Ok();
}

std::string TaskProgressKey(const TaskProgress& record) {
  return record.unit + "/" + record.task + "/" + record.occurrence;
}

}  // namespace chiso::rules
