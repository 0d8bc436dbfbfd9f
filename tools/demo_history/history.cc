#include "tools/demo_history/history.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

#include "rules/assess/timeliness.h"
#include "rules/assess/trajectory.h"

namespace chiso::rules::demo {
namespace {

constexpr TimestampMs kMsPerHour = 3'600'000;
constexpr CivilDate kHistoryStart{2025, 1, 1};
constexpr CivilDate kLastReportOfStalled{2026, 5, 31};

std::uint64_t Fnv(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// A number in [0, 1) drawn from `hash`; `salt` picks different bits.
double Fraction(std::uint64_t hash, int salt) {
  return static_cast<double>((hash >> salt) % 1000) / 1000.0;
}

enum class Profile { kAhead, kSlipping, kStalled, kSilent };

Profile ProfileOf(std::uint64_t hash) {
  const std::uint64_t r = hash % 20;
  if (r < 12) return Profile::kAhead;
  if (r < 16) return Profile::kSlipping;
  if (r < 18) return Profile::kStalled;
  return Profile::kSilent;
}

// Share of the planned progress the profile makes.
double ProgressFactor(Profile profile) { return profile == Profile::kSlipping ? 0.5 : 1.04; }

double Clamp(catalog::Measure measure, double value) {
  switch (measure) {
    case catalog::Measure::kPercent:
      return std::clamp(std::round(value * 10) / 10, 0.0, 100.0);
    case catalog::Measure::kRatio:
      return std::clamp(value, 0.0, 1.0);
    case catalog::Measure::kCount:
      return std::max(0.0, std::round(value));
    case catalog::Measure::kNumber:
      return value;
  }
  return value;
}

// When the unit's office sends the value of a period (nullopt: never). `allowance`: due + grace
// days of the reporting rule.
std::optional<TimestampMs> ArrivalOf(const catalog::Unit& unit, const Period& period,
                                     int allowance) {
  int delay_days = 2;
  if (unit.id == "kim_thanh" && period.year == 2026 && period.kind == PeriodKind::kMonth &&
      period.index == 9) {
    return std::nullopt;
  }
  if (unit.id == "tay_giang") delay_days = allowance + 3;
  if (unit.id == "nghia_dan" && period.year == 2026) delay_days = allowance + 6;
  const std::int64_t day = DaysFromCivil(period.LastDay()) + delay_days;
  return StartOfDay(CivilFromDays(day), unit.zone) + 9 * kMsPerHour;
}

// The value an indicator with `profile` shows at `at`.
class ValueModel {
 public:
  ValueModel(const catalog::Indicator& indicator, const catalog::Target& target,
             const TimeZone& zone, std::uint64_t hash)
      : indicator_(indicator), target_(target), profile_(ProfileOf(hash)), hash_(hash) {
    const catalog::Milestone& first = target.milestones.front();
    const bool up = indicator.direction == catalog::Direction::kUp;
    start_ = up ? first.target * (0.55 + 0.25 * Fraction(hash, 8))
                : first.target * (1.5 + Fraction(hash, 8)) + 3 + 5 * Fraction(hash, 16);
    catalog::Target with_baseline = target;
    with_baseline.baseline = catalog::Baseline{{2024, 12, 31}, start_, ""};
    path_ = Trajectory::Build(indicator, with_baseline, zone, {});
  }

  Profile profile() const { return profile_; }

  double At(TimestampMs at, const TimeZone& zone) const {
    if (indicator_.accumulate == catalog::Indicator::Accumulate::kYear) return CountAt(at, zone);
    const double planned = path_->ExpectedAt(at) - start_;
    const double noise = (Fraction(hash_ ^ static_cast<std::uint64_t>(at), 4) - 0.5) * 0.03 *
                         std::fabs(target_.milestones.front().target - start_);
    return Clamp(indicator_.measure, start_ + ProgressFactor(profile_) * planned + noise);
  }

 private:
  // Per-year counts: the count so far this year.
  double CountAt(TimestampMs at, const TimeZone& zone) const {
    const CivilDate date = LocalDate(at, zone);
    const catalog::Milestone* yearly = &target_.milestones.back();
    for (const catalog::Milestone& m : target_.milestones) {
      if (m.date.year >= date.year) {
        yearly = &m;
        break;
      }
    }
    const TimestampMs begin = StartOfDay({date.year, 1, 1}, zone);
    const double elapsed = static_cast<double>(at - begin) /
                           static_cast<double>(StartOfDay({date.year + 1, 1, 1}, zone) - begin);
    if (indicator_.direction ==
        catalog::Direction::kDown) {  // incidents: the slipping ones get one
      return profile_ == Profile::kSlipping && date.year == 2026 && date.month > 3 ? 1 : 0;
    }
    if (profile_ == Profile::kSlipping) return std::floor(yearly->target * elapsed * 0.5 + 0.2);
    return std::floor(yearly->target * std::min(1.0, elapsed * 1.25) + 0.8);
  }

  const catalog::Indicator& indicator_;
  const catalog::Target& target_;
  Profile profile_;
  std::uint64_t hash_;
  double start_ = 0;
  std::optional<Trajectory> path_;
};

// metric{unit, extra...}, sorted.
Labels SeriesLabels(std::string_view metric, const std::string& unit, Labels extra = {}) {
  extra.push_back({std::string(kMetricNameLabel), std::string(metric)});
  extra.push_back({std::string(kUnitLabel), unit});
  SortLabels(extra);
  return extra;
}

// Raw series feeding a derived indicator: the numerator's series, and its complement within the
// denominator (channel "online" → "offline").
void AddDerived(const catalog::Indicator& indicator, const catalog::Unit& unit,
                const ValueModel& model, std::uint64_t hash,
                const std::vector<std::pair<Period, TimestampMs>>& periods, DemoHistory* out) {
  const catalog::Formula& formula = *indicator.formula;
  Labels part_labels, rest_labels;
  for (const auto& [name, value] : formula.numerator.match) {
    part_labels.push_back({name, value});
    rest_labels.push_back({name, value == "online" ? "offline" : "other"});
  }
  DemoSeries part{SeriesLabels(formula.numerator.metric, unit.id, std::move(part_labels)), {}};
  DemoSeries rest{SeriesLabels(formula.denominator.metric, unit.id, std::move(rest_labels)), {}};
  for (const auto& [period, arrived_at] : periods) {
    const CivilDate mid{period.LastDay().year, period.LastDay().month, 15};
    const TimestampMs at = StartOfDay(mid, unit.zone) + 12 * kMsPerHour;
    const double total = 150 + static_cast<double>((hash >> period.index) % 200);
    const double share = model.At(EndOfDay(period.LastDay(), unit.zone), unit.zone) / formula.scale;
    const double numerator = std::round(total * std::clamp(share, 0.0, 1.0));
    part.readings.push_back({at, numerator, arrived_at});
    rest.readings.push_back({at, total - numerator, arrived_at});
  }
  out->series.push_back(std::move(part));
  out->series.push_back(std::move(rest));
}

void AddTarget(const catalog::Catalog& catalog, const catalog::Unit& unit,
               std::span<const catalog::Plan* const> plans, const catalog::Target& target,
               TimestampMs now, DemoHistory* out) {
  const catalog::Indicator* indicator = catalog.FindIndicator(target.indicator);
  if (indicator == nullptr || target.milestones.empty()) return;
  const std::uint64_t hash = Fnv(unit.id + "/" + indicator->code);
  const ValueModel model(*indicator, target, unit.zone, hash);
  if (model.profile() == Profile::kSilent) return;
  const int allowance = ValueAllowances(catalog, plans).DaysFor(*indicator);

  std::vector<std::pair<Period, TimestampMs>> periods;  // with their arrival
  for (Period p = PeriodContaining(indicator->period, kHistoryStart);
       EndOfDay(p.LastDay(), unit.zone) < now; p = p.Next()) {
    if (model.profile() == Profile::kStalled && p.LastDay() > kLastReportOfStalled) break;
    auto arrival = ArrivalOf(unit, p, allowance);
    if (arrival && *arrival <= now) periods.emplace_back(p, *arrival);
  }
  if (indicator->formula) {
    AddDerived(*indicator, unit, model, hash, periods, out);
    return;
  }
  DemoSeries series{
      SeriesLabels(kReadingMetric, unit.id, {{std::string(kIndicatorLabel), indicator->code}}), {}};
  for (const auto& [period, arrived_at] : periods) {
    const TimestampMs at = EndOfDay(period.LastDay(), unit.zone);
    series.readings.push_back({at, model.At(at, unit.zone), arrived_at});
  }
  out->series.push_back(std::move(series));
}

// Offices mark most reports as sent (narrative ones included) through the submission series.
void AddSubmissions(const catalog::Plan& plan, const catalog::Unit& unit, TimestampMs now,
                    DemoHistory* out) {
  for (const catalog::ReportingRule& rule : plan.reporting) {
    if (Fnv(unit.id + "/" + rule.id) % 5 == 0) continue;  // this office never marks its reports
    DemoSeries series{
        SeriesLabels(kReportSubmissionMetric, unit.id, {{std::string(kReportLabel), rule.id}}), {}};
    for (const Period& period :
         PeriodsEndingWithin(rule.period, kHistoryStart, LocalDate(now, unit.zone))) {
      const TimestampMs due_at = ReportDueAt(rule, period, unit.zone);
      TimestampMs arrived_at = due_at - kMsPerDay;
      if (unit.id == "tay_giang") arrived_at = due_at + 3 * kMsPerDay;
      if (unit.id == "nghia_dan" && period.year == 2026) arrived_at = due_at + 6 * kMsPerDay;
      if (unit.id == "kim_thanh" && period.year == 2026 && period.LastDay().month == 9) continue;
      if (arrived_at > now) continue;
      series.readings.push_back({EndOfDay(period.LastDay(), unit.zone), 1, arrived_at});
    }
    out->series.push_back(std::move(series));
  }
}

void AddProgress(const catalog::Plan& plan, const catalog::Unit& unit, TimestampMs now,
                 DemoHistory* out) {
  for (const catalog::Task& task : plan.tasks) {
    const std::uint64_t hash = Fnv(unit.id + "/" + task.id);
    const TaskOccurrences around = OccurrencesAround(task.schedule, unit.zone, now);
    const std::optional<TaskOccurrence>& occurrence =
        around.previous ? around.previous : around.next;
    if (!occurrence || hash % 2 == 0) continue;
    const TimestampMs recorded_at = std::min(now, occurrence->due_at - 10 * kMsPerDay);
    out->progress.push_back({unit.id, task.id, occurrence->key,
                             hash % 4 == 1 ? TaskState::kDone : TaskState::kInProgress,
                             "Báo cáo tiến độ (dữ liệu minh họa)", "demo", recorded_at});
  }
}

}  // namespace

std::size_t DemoHistory::reading_count() const {
  std::size_t count = 0;
  for (const DemoSeries& s : series) count += s.readings.size();
  return count;
}

DemoHistory GenerateHistory(const catalog::Catalog& catalog, TimestampMs now) {
  DemoHistory out;
  for (const catalog::Plan& plan : catalog.plans) {
    const catalog::Unit* unit = catalog.FindUnit(plan.unit);
    if (unit == nullptr) continue;
    const std::vector<const catalog::Plan*> plans = catalog.PlansOf(plan.unit);
    for (const catalog::Target& target : plan.targets)
      AddTarget(catalog, *unit, plans, target, now, &out);
    AddSubmissions(plan, *unit, now, &out);
    AddProgress(plan, *unit, now, &out);
  }
  return out;
}

}  // namespace chiso::rules::demo
