#include "rules/assess/tasks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chiso::rules {
namespace {

const TimeZone kZone;  // UTC+7
constexpr TimestampMs kHour = 3'600'000;

TimestampMs Noon(CivilDate date) { return StartOfDay(date, kZone) + 12 * kHour; }

catalog::Task TaskWith(catalog::TaskSchedule schedule) {
  catalog::Task task;
  task.id = "nd_01";
  task.lead = "ubnd";
  task.schedule = std::move(schedule);
  return task;
}

TaskProgress Done(std::string occurrence, CivilDate when) {
  return {"gia_loc", "nd_01", std::move(occurrence), TaskState::kDone, "xong", "token", Noon(when)};
}

TEST(Tasks, OneOffDeadlineIsOverdueUntilDone) {
  const catalog::Task task = TaskWith(catalog::OneOffDeadline{{2025, 12, 31}});
  const TaskAssessment before = AssessTask(task, "gia_loc", kZone, {}, Noon({2025, 12, 20}));
  EXPECT_FALSE(before.overdue);
  ASSERT_TRUE(before.occurrence.has_value());
  EXPECT_EQ(before.occurrence->due_at, EndOfDay({2025, 12, 31}, kZone));
  EXPECT_TRUE(before.DueWithin(Noon({2025, 12, 20}), 14));
  EXPECT_FALSE(before.DueWithin(Noon({2025, 12, 20}), 7));

  const TaskAssessment after = AssessTask(task, "gia_loc", kZone, {}, Noon({2026, 1, 2}));
  EXPECT_TRUE(after.overdue);
  EXPECT_EQ(after.state, TaskState::kNotStarted);
  EXPECT_FALSE(after.DueWithin(Noon({2026, 1, 2}), 14));

  const std::vector<TaskProgress> done = {Done("", {2026, 1, 5})};
  const TaskAssessment finished = AssessTask(task, "gia_loc", kZone, done, Noon({2026, 2, 1}));
  EXPECT_FALSE(finished.overdue);
  EXPECT_EQ(finished.state, TaskState::kDone);
  EXPECT_EQ(finished.progress->note, "xong");
}

TEST(Tasks, YearlyRecurrenceJudgesTheLastPassedYear) {
  const catalog::Task task = TaskWith(catalog::YearlyRecurrence{12, 31, 2025, 2030});
  const std::vector<TaskProgress> records = {Done("2025", {2025, 12, 28})};
  const TaskAssessment in_2026 = AssessTask(task, "gia_loc", kZone, records, Noon({2026, 3, 1}));
  EXPECT_FALSE(in_2026.overdue);
  EXPECT_EQ(in_2026.occurrence->key, "2026");
  EXPECT_EQ(in_2026.state, TaskState::kNotStarted);

  const TaskAssessment in_2027 = AssessTask(task, "gia_loc", kZone, records, Noon({2027, 3, 1}));
  EXPECT_TRUE(in_2027.overdue);
  EXPECT_EQ(in_2027.occurrence->key, "2026");

  const TaskAssessment before_start = AssessTask(task, "gia_loc", kZone, {}, Noon({2024, 6, 1}));
  EXPECT_FALSE(before_start.overdue);
  EXPECT_EQ(before_start.occurrence->key, "2025");

  const TaskAssessment after_end = AssessTask(task, "gia_loc", kZone, {}, Noon({2032, 6, 1}));
  EXPECT_TRUE(after_end.overdue);
  EXPECT_EQ(after_end.occurrence->key, "2030");
}

TEST(Tasks, ContinuousDutyIsReviewedEachPeriod) {
  const catalog::Task task = TaskWith(catalog::ContinuousDuty{PeriodKind::kQuarter});
  const std::vector<TaskProgress> records = {Done("2025-Q3", {2025, 9, 25})};
  const TaskAssessment q4 = AssessTask(task, "gia_loc", kZone, records, Noon({2025, 11, 1}));
  EXPECT_FALSE(q4.overdue);
  EXPECT_EQ(q4.occurrence->key, "2025-Q4");
  EXPECT_EQ(q4.occurrence->deadline, (CivilDate{2025, 12, 31}));
  const TaskAssessment next_q1 = AssessTask(task, "gia_loc", kZone, records, Noon({2026, 1, 3}));
  EXPECT_TRUE(next_q1.overdue);
  EXPECT_EQ(next_q1.occurrence->key, "2025-Q4");
}

TEST(Tasks, UndatedDutyIsTrackedButNeverOverdue) {
  // "Thường xuyên" with no rhythm in the text: progress is kept under "", nothing falls due.
  const catalog::Task task = TaskWith(catalog::ContinuousDuty{});
  const std::vector<TaskProgress> records = {
      {"gia_loc", "nd_01", "", TaskState::kInProgress, "", "t", Noon({2026, 2, 1})}};
  const TaskAssessment got = AssessTask(task, "gia_loc", kZone, records, Noon({2026, 11, 30}));
  EXPECT_FALSE(got.overdue);
  EXPECT_FALSE(got.occurrence.has_value());
  EXPECT_EQ(got.state, TaskState::kInProgress);
  EXPECT_TRUE(ValidateOccurrence(task.schedule, "").ok());
  EXPECT_FALSE(ValidateOccurrence(task.schedule, "2026-Q3").ok());
}

TEST(Tasks, TriggeredTaskHasNoDeadline) {
  const catalog::Task task = TaskWith(catalog::EventTrigger{"Khi tỉnh ban hành hướng dẫn"});
  const std::vector<TaskProgress> records = {
      {"gia_loc", "nd_01", "", TaskState::kInProgress, "", "t", Noon({2025, 5, 1})}};
  const TaskAssessment got = AssessTask(task, "gia_loc", kZone, records, Noon({2026, 1, 1}));
  EXPECT_FALSE(got.overdue);
  EXPECT_FALSE(got.occurrence.has_value());
  EXPECT_EQ(got.state, TaskState::kInProgress);
  EXPECT_FALSE(got.DueWithin(Noon({2026, 1, 1}), 365));
}

TEST(Tasks, LatestRecordOfAnOccurrenceWins) {
  const catalog::Task task = TaskWith(catalog::OneOffDeadline{{2025, 12, 31}});
  std::vector<TaskProgress> records = {Done("", {2025, 11, 1})};
  records.push_back(
      {"gia_loc", "nd_01", "", TaskState::kInProgress, "mở lại", "t", Noon({2025, 11, 5})});
  EXPECT_EQ(AssessTask(task, "gia_loc", kZone, records, Noon({2025, 11, 6})).state,
            TaskState::kInProgress);
}

TEST(Tasks, ValidatesOccurrenceKeys) {
  EXPECT_TRUE(ValidateOccurrence(catalog::YearlyRecurrence{12, 31, 2025, 2030}, "2026").ok());
  EXPECT_FALSE(ValidateOccurrence(catalog::YearlyRecurrence{12, 31, 2025, 2030}, "2031").ok());
  EXPECT_FALSE(ValidateOccurrence(catalog::YearlyRecurrence{12, 31, 2025, 2030}, "2026-Q1").ok());
  EXPECT_TRUE(ValidateOccurrence(catalog::ContinuousDuty{PeriodKind::kQuarter}, "2025-Q3").ok());
  EXPECT_FALSE(ValidateOccurrence(catalog::ContinuousDuty{PeriodKind::kQuarter}, "2025-07").ok());
  EXPECT_TRUE(ValidateOccurrence(catalog::OneOffDeadline{{2025, 12, 31}}, "").ok());
  EXPECT_FALSE(ValidateOccurrence(catalog::EventTrigger{"x"}, "2025").ok());
}

TEST(AssessTasks, SelectsByUnitTaskLeadStateAndDeadline) {
  catalog::Catalog catalog;
  catalog.units.push_back({"gia_loc", "Gia Lộc", catalog::Unit::Level::kCommune, "", kZone, {}});
  catalog.units.push_back({"tu_ky", "Tứ Kỳ", catalog::Unit::Level::kCommune, "", kZone, {}});
  catalog::Task overdue = TaskWith(catalog::OneOffDeadline{{2025, 12, 31}});
  catalog::Task soon = TaskWith(catalog::OneOffDeadline{{2026, 1, 10}});
  soon.id = "nd_02";
  soon.lead = "vhxh";
  catalog::Plan gia_loc;
  gia_loc.unit = "gia_loc";
  gia_loc.tasks = {overdue, soon};
  catalog::Plan tu_ky;
  tu_ky.unit = "tu_ky";
  tu_ky.tasks = {overdue};
  catalog::Plan dangling;  // a unit the catalog lacks: never listed
  dangling.unit = "nowhere";
  dangling.tasks = {overdue};
  catalog.plans = {gia_loc, tu_ky, dangling};
  catalog.BuildIndex();
  // Tứ Kỳ finished nd_01 (Gia Lộc did not); Gia Lộc has started nd_02.
  TaskProgress tu_ky_done = Done("", {2025, 12, 30});
  tu_ky_done.unit = "tu_ky";
  TaskProgress started = Done("", {2025, 12, 30});
  started.task = "nd_02";
  started.state = TaskState::kInProgress;
  const std::vector<TaskProgress> progress = {tu_ky_done, started};
  const TimestampMs now = Noon({2026, 1, 2});

  auto keys = [&](const TaskFilter& filter) {
    std::vector<std::string> out;
    for (const TaskRow& row : AssessTasks(catalog, progress, filter, now)) {
      out.push_back(row.unit->id + "/" + row.assessment.task->id);
    }
    return out;
  };
  using Keys = std::vector<std::string>;
  TaskFilter filter;
  EXPECT_EQ(keys(filter), (Keys{"gia_loc/nd_01", "gia_loc/nd_02", "tu_ky/nd_01"}));
  filter.units = [](std::string_view unit) { return unit == "tu_ky"; };
  EXPECT_EQ(keys(filter), (Keys{"tu_ky/nd_01"}));
  const auto tu_ky_rows = AssessTasks(catalog, progress, filter, now);
  ASSERT_EQ(tu_ky_rows.size(), 1u);
  EXPECT_EQ(tu_ky_rows[0].assessment.state, TaskState::kDone);
  EXPECT_EQ(tu_ky_rows[0].assessment.unit, "tu_ky");
  filter = {};
  filter.id = "nd_01";
  EXPECT_EQ(keys(filter), (Keys{"gia_loc/nd_01", "tu_ky/nd_01"}));
  filter = {};
  filter.lead = "vhxh";
  EXPECT_EQ(keys(filter), (Keys{"gia_loc/nd_02"}));
  filter = {};
  filter.overdue = true;
  EXPECT_EQ(keys(filter), (Keys{"gia_loc/nd_01"}));
  filter.overdue = false;
  EXPECT_EQ(keys(filter), (Keys{"gia_loc/nd_02", "tu_ky/nd_01"}));
  filter = {};
  filter.state = TaskState::kInProgress;
  EXPECT_EQ(keys(filter), (Keys{"gia_loc/nd_02"}));
  filter.state = TaskState::kDone;
  EXPECT_EQ(keys(filter), (Keys{"tu_ky/nd_01"}));
  filter = {};
  filter.due_within_days = 30;
  EXPECT_EQ(keys(filter), (Keys{"gia_loc/nd_02"}));
  filter.due_within_days = 7;
  EXPECT_EQ(keys(filter), Keys{});
}

TEST(MemoryTaskProgressLog, KeepsTheLatestPerOccurrence) {
  MemoryTaskProgressLog log;
  ASSERT_TRUE(log.Record(Done("", {2025, 1, 1})).ok());
  TaskProgress again = Done("", {2025, 1, 2});
  again.state = TaskState::kInProgress;
  ASSERT_TRUE(log.Record(again).ok());
  auto loaded = log.Load();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front().state, TaskState::kInProgress);
}

TEST(TaskStates, NamesRoundTrip) {
  for (TaskState s : {TaskState::kNotStarted, TaskState::kInProgress, TaskState::kDone}) {
    EXPECT_EQ(ParseTaskState(TaskStateName(s)), s);
  }
  EXPECT_EQ(TaskStateLabel(TaskState::kDone), "Đã hoàn thành");
}

}  // namespace
}  // namespace chiso::rules
