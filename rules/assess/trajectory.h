// Trajectory and status of one indicator in one unit's plan (SPEC §2): pure functions of the
// plan target, the readings and the evaluation instant. Nothing here reads a clock or a store.
//
// The expected path (expected(t)):
//   * ordinary indicators: piecewise linear from the start through each milestone, flat after the
//     last one. The start is the baseline (end of its date, its value); with `baseline:
//     not_stated` it is the first reading, so a plan that states no baseline is never judged
//     against an invented number: until a second reading its status is insufficient_data.
//   * per-year targets, judged on each local year's own value at that year's end:
//       - per-year counts (`accumulate: year`, "≥ 2 sáng kiến mỗi năm"): the count restarts each
//         year and grows linearly from 0 on 1 January to that year's target on 31 December;
//       - yearly floors and ceilings (`yearly: true`, "ít nhất 3% tổng chi ngân sách hằng
//         năm"): the path is that year's target itself, flat.
//     A milestone's target holds for the years of the phase it closes: from its `from` year (or
//     the year after the previous milestone) through its own year; after the last milestone its
//     target carries on. A year no phase holds has no checkpoint: before the first phase the
//     subject is the first year a target holds, and a value of an earlier year cannot miss it.
//   * approximate targets ("khoảng 15%", `op: "~"`) are met within target ± band; their on-track
//     band is two-sided (an overshoot is off the path as much as a shortfall), at least the band.
//
// Status (checked in this order):
//   no_data   no reading;
//   overdue   a checkpoint (milestone, or a year end for per-year counts) has been judged and the
//             value misses it. A checkpoint is judged once a reading at or after its date exists
//             or its date plus the report allowance has passed; ordinary indicators stay overdue
//             until the value meets the missed milestone, per-year counts until a reading of the
//             next year arrives. Old data do not hide it: overdue comes before stale;
//   stale     a newer value was due and none arrived: after TrajectoryInputs::stale_after of the
//             end of the period following the latest reading's (by default that end plus the
//             report allowance; with a plan's reporting schedule, the first report that can carry
//             that value is due, see ValueAllowances::StaleAfter);
//   achieved  the value meets the target it is judged against (every milestone met, for the last);
//   insufficient_data  the plan states no baseline and there is a single reading: the path
//             starts at that reading, so no pace can be measured yet and being "on track" would
//             hold by construction (Open SDG's "not enough data" below two points). Per-year
//             counts are exempt: their path starts at 0 on 1 January;
//   on_track  value >= expected − tolerance% of the checkpoint's span (the span is the distance
//             between the path at the segment's start and the checkpoint's target; a yearly
//             floor's span is 0, so it is on track only once met);
//   at_risk   behind that band, but the forecast meets the target, or there is no forecast yet;
//   off_track behind that band and the forecast misses the target.
// For `down` indicators the band flips (value <= expected + band); `achieved` and forecast checks
// use the milestone's own operator (`<=` for a down indicator).
//
// Forecast: least-squares line through the most recent readings (at most 12; per-year counts:
// only the readings of the current year, plus 0 on 1 January; at least 2 distinct instants),
// evaluated at the target date and kept within the measure's domain (a percentage stays within
// 0..100). Pace (the Open SDG ratio R): observed rate since the start ÷ rate required to go from
// the start to the target; per-year counts measure both from 1 January at 0.
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "common/calendar.h"
#include "common/clock.h"

namespace chiso::rules {

// One value of an indicator series. `at` is the instant the value describes (a value given for a
// period sits at the last millisecond of the period); `arrived_at` is when it reached chiso;
// `first_arrived_at` is when a value for `at` was first reported, which judges report timeliness:
// as `arrived_at` unless a correction (or a later report of the same instant) replaced that
// value, as in the store (StoredSample).
struct Reading {
  Reading() = default;
  // A value never corrected: first arrived when it arrived.
  Reading(TimestampMs instant, double amount, TimestampMs arrival)
      : Reading(instant, amount, arrival, arrival) {}
  Reading(TimestampMs instant, double amount, TimestampMs arrival, TimestampMs first_arrival)
      : at(instant), value(amount), arrived_at(arrival), first_arrived_at(first_arrival) {}

  TimestampMs at = 0;
  double value = 0;
  TimestampMs arrived_at = 0;
  TimestampMs first_arrived_at = 0;

  friend bool operator==(const Reading&, const Reading&) = default;
};

enum class IndicatorStatus {
  kAchieved,
  kOnTrack,
  kAtRisk,
  kOffTrack,
  kOverdue,
  kNoData,
  kStale,
  kInsufficientData
};
inline constexpr std::array<IndicatorStatus, 8> kIndicatorStatuses = {
    IndicatorStatus::kAchieved, IndicatorStatus::kOnTrack,         IndicatorStatus::kAtRisk,
    IndicatorStatus::kOffTrack, IndicatorStatus::kOverdue,         IndicatorStatus::kNoData,
    IndicatorStatus::kStale,    IndicatorStatus::kInsufficientData};

// "achieved", "on_track", "at_risk", "off_track", "overdue", "no_data", "stale",
// "insufficient_data".
std::string_view IndicatorStatusName(IndicatorStatus status);
std::optional<IndicatorStatus> ParseIndicatorStatus(std::string_view name);
// The status as offices read it, in Vietnamese ("Chậm tiến độ").
std::string_view IndicatorStatusLabel(IndicatorStatus status);

// A dated target the value is judged against: a plan milestone, or for a per-year count the end
// of one year with that year's target.
struct Checkpoint {
  CivilDate date;
  TimestampMs due = 0;  // last millisecond of `date` in the unit's time zone
  catalog::Comparison op = catalog::Comparison::kGreaterEqual;
  double target = 0;
  std::optional<double> band;    // approximate targets: met within target ± band
  std::optional<int> from_year;  // the first year of the phase the milestone states, if stated
  // Why the encoder chose the milestone's date, when the source states none; nullopt otherwise.
  std::optional<std::string> date_inferred;
  TimestampMs segment_start = 0;   // where the path leading to this checkpoint starts
  double segment_start_value = 0;  // expected(segment_start)
};

// Whether `value` meets `checkpoint` (its operator, or its band when approximate).
bool MeetsCheckpoint(double value, const Checkpoint& checkpoint);

// expected(t) of one (unit, indicator) and the checkpoints it passes through. Immutable and
// self-contained: it keeps its own copy of the target's milestones.
class Trajectory {
 public:
  // The path of `target` (of `indicator`, in `zone`). `readings` ascending by `at`; only the
  // first one is used, as the start when the plan states no baseline. nullopt when there is no
  // start: no baseline and no reading.
  static std::optional<Trajectory> Build(const catalog::Indicator& indicator,
                                         const catalog::Target& target, const TimeZone& zone,
                                         std::span<const Reading> readings);

  double ExpectedAt(TimestampMs t) const;
  // Ordinary indicators: one per milestone. Per-year targets: one per year a phase holds, from
  // the year of the start through `last_year`.
  std::vector<Checkpoint> Checkpoints(int last_year) const;
  // Per-year targets: the first year at or after `year` that a phase holds; nullopt after none.
  std::optional<int> FirstTargetYear(int year) const;
  // Per-year targets, `year` held by a phase: the end of `year` with that year's target.
  Checkpoint YearCheckpoint(int year) const;
  bool per_year() const { return per_year_; }
  // Per-year counts restart from 0 each year; yearly floors and ceilings do not.
  bool counts() const { return counts_; }
  // The start of the path (per-year counts: of the path's first year).
  TimestampMs start_at() const { return start_at_; }
  double start_value() const { return start_value_; }

 private:
  struct Point {
    TimestampMs at;
    double value;
  };
  Trajectory(const catalog::Target& target, const TimeZone& zone, bool per_year, bool counts,
             TimestampMs start_at, double start_value);
  // Per-year targets: the milestone whose phase holds `year`; nullptr when none does.
  const catalog::Milestone* MilestoneForYear(int year) const;

  std::vector<catalog::Milestone> milestones_;  // a copy: the path outlives the target it read
  TimeZone zone_;
  bool per_year_;
  bool counts_;
  TimestampMs start_at_;
  double start_value_;
  std::vector<Point> points_;  // ordinary indicators: start, then milestones after the start
};

// What the evaluation knows about one (unit, indicator) besides its readings.
struct TrajectoryInputs {
  const catalog::Indicator* indicator = nullptr;
  const catalog::Target* target = nullptr;
  TimeZone zone;
  // Days after a period's end before its value counts as missing: the reporting schedule's due
  // days plus grace days (see ValueAllowances in timeliness.h).
  int allowance_days = 0;
  // When set: the instant after which a value is stale, given the end of the period following
  // the latest reading's (the instant the next value describes). Unset: that end plus
  // allowance_days.
  std::function<TimestampMs(TimestampMs next_value_at)> stale_after{};
};

// Everything SPEC §2 shows for one (unit, indicator).
struct IndicatorAssessment {
  IndicatorStatus status = IndicatorStatus::kNoData;
  std::optional<Reading> latest;     // the value and the instant it describes
  std::optional<double> expected;    // expected(latest->at)
  std::optional<Checkpoint> target;  // what the value is judged against
  std::optional<double> forecast;    // projected to target->due
  std::optional<double> pace;        // observed ÷ required rate
  // Change per year the value needs from the latest reading to meet `target` at its date; set
  // while that checkpoint is still ahead and unmet (the pace to show when none can be measured).
  std::optional<double> required_per_year;
  std::optional<TimestampMs> stale_at;  // the status turns stale after this instant
};

// Assesses `readings` (ascending by `at`, at most one per instant) at instant `now`.
IndicatorAssessment Assess(const TrajectoryInputs& inputs, std::span<const Reading> readings,
                           TimestampMs now);

// Least-squares line through `readings` evaluated at `at`; nullopt with fewer than two distinct
// instants.
std::optional<double> LeastSquaresAt(std::span<const Reading> readings, TimestampMs at);

}  // namespace chiso::rules
