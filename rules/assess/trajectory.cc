#include "rules/assess/trajectory.h"

#include <algorithm>
#include <cmath>

#include "rules/assess/state_names.h"

namespace chiso::rules {
namespace {

constexpr std::size_t kForecastReadings = 12;

constexpr StateNames<IndicatorStatus, 8> kStatusNames({{
    {IndicatorStatus::kAchieved, "achieved", "Đã đạt"},
    {IndicatorStatus::kOnTrack, "on_track", "Đúng tiến độ"},
    {IndicatorStatus::kAtRisk, "at_risk", "Có nguy cơ chậm"},
    {IndicatorStatus::kOffTrack, "off_track", "Chậm tiến độ"},
    {IndicatorStatus::kOverdue, "overdue", "Quá hạn chưa đạt"},
    {IndicatorStatus::kNoData, "no_data", "Chưa có số liệu"},
    {IndicatorStatus::kStale, "stale", "Số liệu chưa cập nhật"},
    {IndicatorStatus::kInsufficientData, "insufficient_data", "Chưa đủ số liệu để đánh giá"},
}});

TimestampMs StartOfYear(int year, const TimeZone& zone) { return StartOfDay({year, 1, 1}, zone); }

// The checkpoint of milestone `m` at the end of `date` (its own date, or a year's end).
Checkpoint CheckpointOf(const catalog::Milestone& m, const CivilDate& date, const TimeZone& zone) {
  Checkpoint checkpoint;
  checkpoint.date = date;
  checkpoint.due = EndOfDay(date, zone);
  checkpoint.op = m.op;
  checkpoint.target = m.target;
  checkpoint.band = m.band;
  checkpoint.from_year = m.from_year;
  if (auto it = m.inferred.find("date"); it != m.inferred.end() && date == m.date) {
    checkpoint.date_inferred = it->second;
  }
  return checkpoint;
}

// `value` moved into the measure's domain: a percentage cannot be forecast past 100.
double WithinDomain(catalog::Measure measure, double value) {
  switch (measure) {
    case catalog::Measure::kPercent:
      return std::clamp(value, 0.0, 100.0);
    case catalog::Measure::kRatio:
      return std::clamp(value, 0.0, 1.0);
    case catalog::Measure::kCount:
      return std::max(value, 0.0);
    case catalog::Measure::kNumber:
      return value;
  }
  return value;
}

// Observed ÷ required rate from (start_at, start_value); nullopt when either is undefined.
std::optional<double> Pace(TimestampMs start_at, double start_value, const Reading& latest,
                           const Checkpoint& target) {
  if (latest.at <= start_at || target.due <= start_at || target.target == start_value) {
    return std::nullopt;
  }
  const double observed = (latest.value - start_value) / static_cast<double>(latest.at - start_at);
  const double required =
      (target.target - start_value) / static_cast<double>(target.due - start_at);
  return observed / required;
}

}  // namespace

std::string_view IndicatorStatusName(IndicatorStatus status) { return kStatusNames.Name(status); }

std::string_view IndicatorStatusLabel(IndicatorStatus status) { return kStatusNames.Label(status); }

std::optional<IndicatorStatus> ParseIndicatorStatus(std::string_view name) {
  return kStatusNames.Parse(name);
}

std::optional<double> LeastSquaresAt(std::span<const Reading> readings, TimestampMs at) {
  if (readings.size() < 2) return std::nullopt;
  // Days relative to the last reading keep the sums well conditioned.
  const TimestampMs origin = readings.back().at;
  auto x_of = [origin](TimestampMs t) { return static_cast<double>(t - origin) / kMsPerDay; };
  double mean_x = 0, mean_y = 0;
  for (const Reading& r : readings) {
    mean_x += x_of(r.at);
    mean_y += r.value;
  }
  mean_x /= static_cast<double>(readings.size());
  mean_y /= static_cast<double>(readings.size());
  double sxx = 0, sxy = 0;
  for (const Reading& r : readings) {
    const double dx = x_of(r.at) - mean_x;
    sxx += dx * dx;
    sxy += dx * (r.value - mean_y);
  }
  if (sxx == 0) return std::nullopt;
  return mean_y + sxy / sxx * (x_of(at) - mean_x);
}

bool MeetsCheckpoint(double value, const Checkpoint& checkpoint) {
  return catalog::MeetsTarget(value, checkpoint.op, checkpoint.target, checkpoint.band);
}

Trajectory::Trajectory(const catalog::Target& target, const TimeZone& zone, bool per_year,
                       bool counts, TimestampMs start_at, double start_value)
    : milestones_(target.milestones),
      zone_(zone),
      per_year_(per_year),
      counts_(counts),
      start_at_(start_at),
      start_value_(start_value) {
  if (per_year_) return;
  points_.push_back({start_at, start_value});
  for (const catalog::Milestone& m : target.milestones) {
    const TimestampMs due = EndOfDay(m.date, zone);
    if (due > start_at) points_.push_back({due, m.target});
  }
}

std::optional<Trajectory> Trajectory::Build(const catalog::Indicator& indicator,
                                            const catalog::Target& target, const TimeZone& zone,
                                            std::span<const Reading> readings) {
  const bool counts = indicator.accumulate == catalog::Indicator::Accumulate::kYear;
  if (counts || target.yearly) {
    int year = 0;
    if (!readings.empty()) {
      year = LocalDate(readings.front().at, zone).year;
    } else if (target.baseline) {
      year = target.baseline->date.year + 1;
    } else if (!target.milestones.empty()) {
      year = target.milestones.front().date.year;
    } else {
      return std::nullopt;
    }
    return Trajectory(target, zone, true, counts, StartOfYear(year, zone), 0);
  }
  if (target.baseline) {
    return Trajectory(target, zone, false, false, EndOfDay(target.baseline->date, zone),
                      target.baseline->value);
  }
  if (readings.empty()) return std::nullopt;
  return Trajectory(target, zone, false, false, readings.front().at, readings.front().value);
}

const catalog::Milestone* Trajectory::MilestoneForYear(int year) const {
  const std::vector<catalog::Milestone>& milestones = milestones_;
  for (std::size_t i = 0; i < milestones.size(); ++i) {
    const catalog::Milestone& m = milestones[i];
    if (year > m.date.year) continue;
    const int phase_start =
        m.from_year ? *m.from_year : (i == 0 ? year : milestones[i - 1].date.year + 1);
    return year >= phase_start ? &m : nullptr;
  }
  return milestones.empty() ? nullptr : &milestones.back();
}

std::optional<int> Trajectory::FirstTargetYear(int year) const {
  if (milestones_.empty()) return std::nullopt;
  const int last = std::max(year, milestones_.back().date.year);
  for (int y = year; y <= last; ++y) {
    if (MilestoneForYear(y) != nullptr) return y;
  }
  return std::nullopt;
}

double Trajectory::ExpectedAt(TimestampMs t) const {
  if (per_year_) {
    const int year = LocalDate(t, zone_).year;
    const auto target_year = FirstTargetYear(year);
    if (!target_year || (counts_ && *target_year != year)) return 0;
    const double target = MilestoneForYear(*target_year)->target;
    if (!counts_) return target;
    const TimestampMs begin = StartOfYear(year, zone_);
    const double elapsed =
        static_cast<double>(t - begin) / static_cast<double>(StartOfYear(year + 1, zone_) - begin);
    return target * elapsed;
  }
  if (t <= points_.front().at) return points_.front().value;
  if (t >= points_.back().at) return points_.back().value;
  auto next = std::lower_bound(points_.begin(), points_.end(), t,
                               [](const Point& p, TimestampMs at) { return p.at < at; });
  auto prev = std::prev(next);
  const double fraction =
      static_cast<double>(t - prev->at) / static_cast<double>(next->at - prev->at);
  return prev->value + (next->value - prev->value) * fraction;
}

Checkpoint Trajectory::YearCheckpoint(int year) const {
  const catalog::Milestone& m = *MilestoneForYear(year);
  Checkpoint checkpoint = CheckpointOf(m, {year, 12, 31}, zone_);
  checkpoint.segment_start = StartOfYear(year, zone_);
  checkpoint.segment_start_value = counts_ ? 0 : m.target;
  return checkpoint;
}

std::vector<Checkpoint> Trajectory::Checkpoints(int last_year) const {
  std::vector<Checkpoint> out;
  if (milestones_.empty()) return out;
  if (per_year_) {
    for (int year = LocalDate(start_at_, zone_).year; year <= last_year; ++year) {
      if (MilestoneForYear(year) != nullptr) out.push_back(YearCheckpoint(year));
    }
    return out;
  }
  TimestampMs segment_start = start_at_;
  for (const catalog::Milestone& m : milestones_) {
    Checkpoint checkpoint = CheckpointOf(m, m.date, zone_);
    checkpoint.segment_start = segment_start;
    checkpoint.segment_start_value = ExpectedAt(segment_start);
    out.push_back(checkpoint);
    segment_start = std::max(segment_start, checkpoint.due);
  }
  return out;
}

namespace {

// The first milestone not yet due, for a series without readings.
std::optional<Checkpoint> NextMilestone(const catalog::Target& target, const TimeZone& zone,
                                        TimestampMs now) {
  for (const catalog::Milestone& m : target.milestones) {
    Checkpoint checkpoint = CheckpointOf(m, m.date, zone);
    if (checkpoint.due >= now) return checkpoint;
  }
  return std::nullopt;
}

}  // namespace

IndicatorAssessment Assess(const TrajectoryInputs& inputs, std::span<const Reading> readings,
                           TimestampMs now) {
  const catalog::Indicator& indicator = *inputs.indicator;
  const TimeZone& zone = inputs.zone;
  IndicatorAssessment out;
  auto path = Trajectory::Build(indicator, *inputs.target, zone, readings);
  const int now_year = LocalDate(now, zone).year;
  if (readings.empty()) {
    if (path && path->per_year()) {
      if (auto year = path->FirstTargetYear(now_year)) out.target = path->YearCheckpoint(*year);
    } else {
      out.target = NextMilestone(*inputs.target, zone, now);
    }
    return out;
  }

  const Reading& latest = readings.back();
  const int latest_year = LocalDate(latest.at, zone).year;
  const TimestampMs allowance = static_cast<TimestampMs>(inputs.allowance_days) * kMsPerDay;
  out.latest = latest;
  out.expected = path->ExpectedAt(latest.at);
  const Period latest_period = PeriodContaining(indicator.period, LocalDate(latest.at, zone));
  const TimestampMs next_value_at = EndOfDay(latest_period.Next().LastDay(), zone);
  out.stale_at = inputs.stale_after ? inputs.stale_after(next_value_at) : next_value_at + allowance;

  // A checkpoint is judged once its value is known (a reading at or after it) or should be.
  auto judged = [&](const Checkpoint& c) { return latest.at >= c.due || now > c.due + allowance; };
  const std::vector<Checkpoint> checkpoints = path->Checkpoints(std::max(now_year, latest_year));
  std::optional<Checkpoint> subject;
  bool closed = false;  // the subject's date is behind us: met or overdue, nothing to forecast
  if (path->per_year()) {
    for (const Checkpoint& c : checkpoints) {
      if (c.date.year == latest_year) subject = c;
    }
    closed = subject && judged(*subject);
    // Before the first phase: the first year a target holds, which this value cannot close.
    if (!subject) {
      if (auto year = path->FirstTargetYear(latest_year)) subject = path->YearCheckpoint(*year);
    }
  } else {
    std::optional<Checkpoint> last_judged;
    for (const Checkpoint& c : checkpoints) {
      if (judged(c)) {
        last_judged = c;
      } else if (!subject) {
        subject = c;
      }
    }
    if (last_judged && (!subject || !MeetsCheckpoint(latest.value, *last_judged))) {
      subject = last_judged;
      closed = true;
    }
  }
  if (!subject) {  // a target without milestones: nothing to judge against
    out.status = IndicatorStatus::kOnTrack;
    return out;
  }
  out.target = subject;

  if (path->counts()) {
    out.pace = Pace(subject->segment_start, 0, latest, *subject);
  } else if (!path->per_year()) {
    out.pace = Pace(path->start_at(), path->start_value(), latest, *subject);
  }
  if (!closed) {
    std::vector<Reading> recent;
    if (path->counts()) recent.push_back({subject->segment_start, 0, 0});  // 0 on 1 January
    const auto first_recent =
        readings.size() > kForecastReadings ? readings.end() - kForecastReadings : readings.begin();
    for (auto it = first_recent; it != readings.end(); ++it) {
      if (it->at >= subject->segment_start || !path->per_year()) recent.push_back(*it);
    }
    if (auto forecast = LeastSquaresAt(recent, subject->due)) {
      out.forecast = WithinDomain(indicator.measure, *forecast);
    }
  }

  const bool met = MeetsCheckpoint(latest.value, *subject);
  if (!closed && !met && subject->due > latest.at) {
    constexpr double kMsPerYear = 365.25 * kMsPerDay;
    out.required_per_year = (subject->target - latest.value) /
                            (static_cast<double>(subject->due - latest.at) / kMsPerYear);
  }
  // Without a stated baseline the path starts at the first reading: one reading shows no pace.
  const bool measurable = inputs.target->baseline || path->per_year() || readings.size() >= 2;
  const double band =
      indicator.tolerance_pct / 100.0 * std::fabs(subject->target - subject->segment_start_value);
  bool within_band = indicator.direction == catalog::Direction::kUp
                         ? latest.value >= *out.expected - band
                         : latest.value <= *out.expected + band;
  if (subject->band) {  // approximate: off the path either way
    within_band = std::fabs(latest.value - *out.expected) <= std::max(band, *subject->band);
  }
  if (closed && !met) {  // a missed milestone outranks old data: newer data can only clear it
    out.status = IndicatorStatus::kOverdue;
  } else if (now > *out.stale_at) {
    out.status = IndicatorStatus::kStale;
  } else if (met) {
    out.status = IndicatorStatus::kAchieved;
  } else if (!measurable) {
    out.status = IndicatorStatus::kInsufficientData;
  } else if (within_band) {
    out.status = IndicatorStatus::kOnTrack;
  } else if (!out.forecast || MeetsCheckpoint(*out.forecast, *subject)) {
    out.status = IndicatorStatus::kAtRisk;
  } else {
    out.status = IndicatorStatus::kOffTrack;
  }
  return out;
}

}  // namespace chiso::rules
