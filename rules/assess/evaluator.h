// One evaluation cycle over the whole catalog (SPEC §2, §4, §5): every target of every plan
// assessed on its trajectory, the most recently due report of every reporting rule judged, every
// task's deadline and progress. The result is an immutable Evaluation that the status endpoints
// and the /metrics collector read; a cycle never blocks them.
//
// Readings of a unit are read once per cycle: indicator readings grouped by indicator, raw series
// for derived indicators (a derived indicator without raw series falls back to readings sent for
// it directly), report submissions grouped by report. When a unit's series cannot be read, its
// rows are left out and the reason is listed in Evaluation::problems.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/calendar.h"
#include "common/clock.h"
#include "rules/assess/reading_source.h"
#include "rules/assess/tasks.h"
#include "rules/assess/timeliness.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules {

// One row of the status table (SPEC §2). Pointers point into Evaluation::catalog.
struct IndicatorRow {
  const catalog::Unit* unit = nullptr;
  const catalog::Indicator* indicator = nullptr;
  const catalog::Target* target = nullptr;
  std::string office;  // the target's office (the plan's override or the indicator's)
  IndicatorAssessment assessment;
};

struct Evaluation {
  std::shared_ptr<const catalog::Catalog> catalog;  // keeps every row's pointers valid
  TimestampMs evaluated_at = 0;
  double duration_seconds = 0;
  std::vector<IndicatorRow> indicators;  // by unit, then plan order
  std::vector<ReportRow> reports;        // per rule, its most recently due period
  std::vector<TaskRow> tasks;            // by unit, then plan order (pointers into catalog)
  std::vector<std::string> problems;     // units whose series could not be read, and why
};

// Evaluates `catalog` at `now`. `progress`: every task progress record (any order).
Evaluation Evaluate(std::shared_ptr<const catalog::Catalog> catalog, const ReadingSource& source,
                    std::span<const TaskProgress> progress, TimestampMs now);

// Reports of the units `units` covers (every unit when unset) for report periods ending within
// [first, last], judged at `now`, in unit, plan and rule order; only those units' series are
// read. Fails when a unit's series cannot be read.
Result<std::vector<ReportRow>> AssessReports(const catalog::Catalog& catalog,
                                             const ReadingSource& source,
                                             const UnitPredicate& units, const CivilDate& first,
                                             const CivilDate& last, TimestampMs now);

// Runs cycles and keeps the latest result for readers. Thread-safe: Run may be called from an
// evaluation thread while Latest is read from request threads.
class Evaluator {
 public:
  // All three must outlive the evaluator.
  Evaluator(const ReadingSource* source, const TaskProgressLog* progress, const Clock* clock);

  // Evaluates `catalog` at the clock's now and publishes the result. A progress log that fails
  // to load is listed in the result's problems and tasks are judged without records.
  std::shared_ptr<const Evaluation> Run(std::shared_ptr<const catalog::Catalog> catalog);
  // The latest published evaluation; nullptr before the first Run.
  std::shared_ptr<const Evaluation> Latest() const { return latest_.load(); }

 private:
  const ReadingSource* source_;
  const TaskProgressLog* progress_;
  const Clock* clock_;
  std::atomic<std::shared_ptr<const Evaluation>> latest_;
};

}  // namespace chiso::rules
