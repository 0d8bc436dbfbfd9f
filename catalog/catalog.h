// The catalog: units, offices, indicators and the plans of each unit, as loaded from the YAML
// files described in docs/catalog-format.md. A Catalog is immutable once built; a reload builds
// a new one and swaps the pointer, so readers hold a std::shared_ptr<const Catalog> and never
// see a half-loaded state.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/calendar.h"

namespace chiso::catalog {

// Where an entry was written, for messages that point a person at the line to fix.
struct SourceLocation {
  std::string file;
  int line = 0;
};

// Đơn vị hành chính: a commune or the province/city it belongs to.
struct Unit {
  enum class Level { kProvince, kCommune };
  std::string id;
  std::string name;
  Level level = Level::kCommune;
  std::string parent;  // empty for a province
  TimeZone zone;
  SourceLocation defined_at;
};

// Cơ quan / phòng: a body that leads, coordinates or reports. Alerts are routed by office.
struct Office {
  std::string code;
  std::string name;
  SourceLocation defined_at;
};

enum class Measure { kPercent, kRatio, kCount, kNumber };
enum class Direction { kUp, kDown };
// How a value is compared with a target: a plan milestone (>=, >, <=, <, =) or an alert rule's
// threshold (all six).
enum class Comparison { kGreaterEqual, kGreater, kLessEqual, kLess, kEqual, kNotEqual };

std::string_view MeasureName(Measure measure);
std::string_view DirectionName(Direction direction);
// ">=", ">", "<=", "<", "=", "!=".
std::string_view ComparisonSymbol(Comparison comparison);
// Whether `value op target` holds; `=` and `!=` allow a relative difference of 1e-9. NaN meets
// only `!=`.
bool Meets(double value, Comparison op, double target);

// Whether `value` lies in the measure's domain (percent 0..100, ratio 0..1, count >= 0).
bool InMeasureDomain(Measure measure, double value);

// A set of raw series of one metric, narrowed by exact label values. The unit label is implied:
// a derived indicator of unit U reads only U's series.
struct SeriesSelector {
  std::string metric;
  std::vector<std::pair<std::string, std::string>> match;  // sorted by label name
};

// value = scale * sum(numerator over the period) / sum(denominator over the period)
struct Formula {
  SeriesSelector numerator;
  SeriesSelector denominator;
  double scale = 1.0;
};

// Chỉ tiêu: a catalog entry. `version` changes when the definition changes; readings stored
// under an older version stay as they were.
struct Indicator {
  enum class Kind { kReported, kDerived };
  enum class Accumulate { kNone, kYear };  // kYear: a count restarting each year, target per year

  std::string code;
  int version = 1;
  std::string name;
  Measure measure = Measure::kNumber;
  Direction direction = Direction::kUp;
  PeriodKind period = PeriodKind::kYear;
  std::string office;
  Kind kind = Kind::kReported;
  std::optional<Formula> formula;  // set exactly when kind == kDerived
  Accumulate accumulate = Accumulate::kNone;
  double tolerance_pct = 5.0;  // on-track band, % of the milestone span
  std::string description;
  SourceLocation defined_at;
};

struct Baseline {
  CivilDate date;
  double value = 0;
  std::string source;
};

// Which of an entry's fields the encoder inferred rather than read in the source, each with
// the basis of the inference ("Văn bản không nêu cơ quan; chọn theo chức năng quản lý"). A field
// not listed is stated by the source.
using Inferred = std::map<std::string, std::string, std::less<>>;

struct Milestone {
  CivilDate date;
  Comparison op = Comparison::kGreaterEqual;
  double target = 0;
  std::string source;
  std::string note;
  // Set for an approximate target ("khoảng 15%", written `op: "~"`): the value meets it when it
  // lies within target ± band; `op` is then kEqual. The plan states the band or it defaults to
  // kDefaultApproximateBandPct of the target.
  std::optional<double> band{};
  // The first year of the phase the milestone closes ("giai đoạn 2031 - 2035" → 2031); unset:
  // the phase starts after the previous milestone. Per-year targets hold only within a phase.
  std::optional<int> from_year{};
  Inferred inferred{};  // "date"
};

// The band of an approximate target whose plan states none: this percentage of the target.
inline constexpr double kDefaultApproximateBandPct = 10.0;

// Whether `value` meets milestone-like target `op target` with an optional approximate band.
bool MeetsTarget(double value, Comparison op, double target, std::optional<double> band);

// One indicator's trajectory in a unit's plan. With no baseline (the source states none), the
// trajectory starts at the first reading.
//
// A yearly target (`yearly: true`, "ít nhất 3% tổng chi ngân sách hằng năm") is a floor or
// ceiling every year's own value must meet at that year's end, within the phases its milestones
// give; per-year counts (accumulate: year) are always judged so.
struct Target {
  std::string indicator;
  std::string office;  // resolved: the plan's override or the indicator's office
  std::optional<Baseline> baseline;
  std::vector<Milestone> milestones;  // strictly increasing dates
  std::string note;
  SourceLocation defined_at;
  bool yearly = false;
  Inferred inferred{};  // "office"; a target without an office override infers the catalog's
};

struct OneOffDeadline {
  CivilDate due;
};
struct YearlyRecurrence {
  int month = 12;
  int day = 31;
  int from_year = 0;
  std::optional<int> until_year;
};
// "Thường xuyên": a duty without end. With a review period (the source gives a rhythm) each
// period is an occurrence that can be overdue; without one the duty is tracked but never due.
struct ContinuousDuty {
  std::optional<PeriodKind> review;
};
struct EventTrigger {
  std::string event;  // e.g. "Khi tỉnh ban hành hướng dẫn"
};
using TaskSchedule = std::variant<OneOffDeadline, YearlyRecurrence, ContinuousDuty, EventTrigger>;

// Nhiệm vụ: a duty with a lead body and a schedule.
struct Task {
  std::string id;
  std::string title;
  std::string lead;
  std::string main_office;
  std::vector<std::string> coordinating;
  std::string deadline_text;  // verbatim from the source
  TaskSchedule schedule;
  std::string source;
  std::string note;
  SourceLocation defined_at;
  Inferred inferred{};  // "lead", "main_office", "deadline"
};

// Báo cáo định kỳ: which office reports, how often, and by when.
struct ReportingRule {
  std::string id;
  std::string office;
  std::string recipient;
  // How often a report is due: month, quarter, half, nine_months (the "9 tháng" review, January
  // to September) or year; never day.
  PeriodKind period = PeriodKind::kMonth;
  // Exactly one of the three due rules is set.
  std::optional<int> due_days_after_period_end;
  std::optional<std::pair<int, int>> due_month_day;  // (month, day) within the period's year
  int grace_days = 0;
  // The indicators the report carries: nullopt = every indicator of the plan; an empty list =
  // none (a narrative report on activities, e.g. mass mobilisation work).
  std::optional<std::vector<std::string>> indicators;
  std::string source;
  std::string note;
  SourceLocation defined_at;
  // In Vietnamese, as officers call it ("Báo cáo 6 tháng của Ban Chỉ đạo"); a rule the plan
  // does not name is called by its rhythm ("Báo cáo quý").
  std::string name{};
  // That day of the period's last month ("trước ngày 05 … tháng cuối quý": 5 March for Q1).
  std::optional<int> due_day_of_last_month{};
  Inferred inferred{};  // "office", "period", "due"
};

struct Plan {
  std::string unit;
  std::string title;
  std::string issuer;
  std::string source;
  std::string note;
  std::vector<Target> targets;
  std::vector<Task> tasks;
  std::vector<ReportingRule> reporting;
  SourceLocation defined_at;
};

class Catalog {
 public:
  std::vector<Unit> units;
  std::vector<Office> offices;
  std::vector<Indicator> indicators;
  std::vector<Plan> plans;

  // Lookups by code; nullptr when absent. Valid after BuildIndex().
  const Unit* FindUnit(const std::string& id) const;
  const Office* FindOffice(const std::string& code) const;
  const Indicator* FindIndicator(const std::string& code) const;
  // All plans of a unit (a unit may have several source documents).
  std::vector<const Plan*> PlansOf(const std::string& unit) const;
  // Whether `unit` is one of `units` or lies under one of them in the unit tree (a commune under
  // its province). A unit the catalog does not know is within only when listed itself; the walk
  // up is bounded by the number of units, so a malformed tree cannot loop.
  bool WithinUnits(std::string_view unit, const std::vector<std::string>& units) const;
  // The province `unit` belongs to: the unit itself when it is a province, the nearest province
  // above it otherwise; "" when the catalog does not know the unit or no province is above it.
  std::string_view ProvinceOf(std::string_view unit) const;

  // Rebuilds the lookup maps; call after the vectors are final.
  void BuildIndex();

 private:
  std::map<std::string, std::size_t, std::less<>> unit_index_;
  std::map<std::string, std::size_t, std::less<>> office_index_;
  std::map<std::string, std::size_t, std::less<>> indicator_index_;
};

}  // namespace chiso::catalog
