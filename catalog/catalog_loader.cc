#include "catalog/catalog_loader.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/yaml_fields.h"

namespace chiso::catalog {
namespace {

const std::vector<std::pair<std::string_view, Measure>> kMeasures = {{"percent", Measure::kPercent},
                                                                     {"ratio", Measure::kRatio},
                                                                     {"count", Measure::kCount},
                                                                     {"number", Measure::kNumber}};
const std::vector<std::pair<std::string_view, Direction>> kDirections = {
    {"up", Direction::kUp}, {"down", Direction::kDown}};
const std::vector<std::pair<std::string_view, PeriodKind>> kIndicatorPeriods = {
    {"month", PeriodKind::kMonth},
    {"quarter", PeriodKind::kQuarter},
    {"half", PeriodKind::kHalf},
    {"year", PeriodKind::kYear}};
// A reporting rule may also report on nine months; an indicator or a review period may not.
const std::vector<std::pair<std::string_view, PeriodKind>> kRulePeriods = {
    {"month", PeriodKind::kMonth},
    {"quarter", PeriodKind::kQuarter},
    {"half", PeriodKind::kHalf},
    {"nine_months", PeriodKind::kNineMonths},
    {"year", PeriodKind::kYear}};
const std::vector<std::pair<std::string_view, Indicator::Kind>> kKinds = {
    {"reported", Indicator::Kind::kReported}, {"derived", Indicator::Kind::kDerived}};
const std::vector<std::pair<std::string_view, Indicator::Accumulate>> kAccumulate = {
    {"none", Indicator::Accumulate::kNone}, {"year", Indicator::Accumulate::kYear}};
const std::vector<std::pair<std::string_view, Comparison>> kComparisons = {
    {">=", Comparison::kGreaterEqual},
    {">", Comparison::kGreater},
    {"<=", Comparison::kLessEqual},
    {"<", Comparison::kLess},
    {"=", Comparison::kEqual},
    {"~", Comparison::kEqual}};  // approximate: kEqual with a band
const std::vector<std::pair<std::string_view, Unit::Level>> kLevels = {
    {"province", Unit::Level::kProvince}, {"commune", Unit::Level::kCommune}};

// Why a target without an office override names the indicator's catalog office.
constexpr const char* kCatalogOfficeBasis =
    "Văn bản không giao cơ quan cho chỉ tiêu; dùng cơ quan mặc định của chỉ tiêu trong danh mục";

std::string At(const SourceLocation& where) {
  return where.file + ":" + std::to_string(where.line);
}

bool IsMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// What a reporting rule without a `name` is called: its rhythm in Vietnamese.
std::string DefaultReportName(PeriodKind period) {
  switch (period) {
    case PeriodKind::kMonth:
      return "Báo cáo tháng";
    case PeriodKind::kQuarter:
      return "Báo cáo quý";
    case PeriodKind::kHalf:
      return "Báo cáo 6 tháng";
    case PeriodKind::kNineMonths:
      return "Báo cáo 9 tháng";
    default:
      return "Báo cáo năm";
  }
}

// "MM-DD" as (month, day); February 29 is refused because it does not exist every year.
std::optional<std::pair<int, int>> ParseMonthDay(const std::string& text) {
  auto date = ParseIsoDate("2001-" + text);
  if (!date.ok() || text.size() != 5) return std::nullopt;
  return std::make_pair(date->month, date->day);
}

// Reads the items of a list-valued top-level key, calling `read` for each mapping.
template <typename Fn>
void ForEachItem(const YAML::Node& list, const char* key, const std::string& file,
                 Diagnostics* problems, Fn read) {
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) {
    problems->push_back({file, LineOf(list), std::string("'") + key + "' must be a list"});
    return;
  }
  for (const YAML::Node& item : list) read(item);
}

class Loader {
 public:
  explicit Loader(Diagnostics* problems) : problems_(problems) {}

  void ReadCatalogFile(const SourceFile& file) {
    auto doc = ParseYamlDocument(file.path, file.text, problems_);
    if (!doc) {
      catalog_incomplete_ = true;
      return;
    }
    YamlFields top(*doc, "catalog file", file.path, problems_);
    ForEachItem(top.Child("units", Presence::kOptional), "units", file.path, problems_,
                [&](const YAML::Node& n) { ReadUnit(n, file.path); });
    ForEachItem(top.Child("offices", Presence::kOptional), "offices", file.path, problems_,
                [&](const YAML::Node& n) { ReadOffice(n, file.path); });
    ForEachItem(top.Child("indicators", Presence::kOptional), "indicators", file.path, problems_,
                [&](const YAML::Node& n) { ReadIndicator(n, file.path); });
    top.RejectUnknownKeys();
  }

  void ReadPlanFile(const SourceFile& file) {
    auto doc = ParseYamlDocument(file.path, file.text, problems_);
    if (!doc) return;
    YamlFields top(*doc, "plan file", file.path, problems_);
    Plan plan;
    plan.defined_at = {file.path, top.line()};
    YAML::Node header = top.Child("plan", Presence::kRequired);
    if (header.IsDefined() && !header.IsNull()) {
      YamlFields f(header, "plan", file.path, problems_);
      plan.unit = f.Slug("unit", Presence::kRequired).value_or("");
      plan.title = f.String("title", Presence::kRequired).value_or("");
      plan.issuer = f.String("issuer", Presence::kOptional).value_or("");
      plan.source = f.String("source", Presence::kRequired).value_or("");
      plan.note = f.String("note", Presence::kOptional).value_or("");
      plan.defined_at.line = f.line();
      f.RejectUnknownKeys();
    }
    ForEachItem(top.Child("targets", Presence::kOptional), "targets", file.path, problems_,
                [&](const YAML::Node& n) { ReadTarget(n, file.path, &plan); });
    ForEachItem(top.Child("tasks", Presence::kOptional), "tasks", file.path, problems_,
                [&](const YAML::Node& n) { ReadTask(n, file.path, &plan); });
    ForEachItem(top.Child("reporting", Presence::kOptional), "reporting", file.path, problems_,
                [&](const YAML::Node& n) { ReadReportingRule(n, file.path, &plan); });
    top.RejectUnknownKeys();
    catalog_.plans.push_back(std::move(plan));
  }

  // Makes units, offices and indicators findable while plans are read.
  void IndexCatalog() { catalog_.BuildIndex(); }

  // Cross-references, once every file is read. Skipped when a catalog file could not be parsed:
  // every reference into it would be reported as missing, burying the one real problem.
  void CheckReferences() {
    if (catalog_incomplete_) return;
    for (const Unit& unit : catalog_.units) {
      if (unit.level == Unit::Level::kCommune && unit.parent.empty()) {
        Problem(unit.defined_at, "unit '" + unit.id + "': a commune needs a parent province");
      }
      if (unit.parent.empty()) continue;
      const Unit* parent = catalog_.FindUnit(unit.parent);
      if (parent == nullptr) {
        Problem(unit.defined_at,
                "unit '" + unit.id + "': parent '" + unit.parent + "' is not a known unit");
      } else if (parent->level != Unit::Level::kProvince) {
        Problem(unit.defined_at,
                "unit '" + unit.id + "': parent '" + unit.parent + "' is not a province");
      }
    }
    for (const Indicator& indicator : catalog_.indicators) {
      RequireOffice(indicator.office, indicator.defined_at, "indicator '" + indicator.code + "'");
    }
    for (Plan& plan : catalog_.plans) CheckPlan(plan);
  }

  Catalog Take() {
    catalog_.BuildIndex();
    return std::move(catalog_);
  }

 private:
  void Problem(const SourceLocation& where, std::string message) {
    problems_->push_back({where.file, where.line, std::move(message)});
  }

  // Records `code` as defined at `where`; reports a duplicate and returns false.
  bool Claim(std::map<std::string, SourceLocation>* seen, const std::string& kind,
             const std::string& code, const SourceLocation& where) {
    auto [it, inserted] = seen->emplace(code, where);
    if (!inserted) {
      Problem(where, kind + " '" + code + "' is defined twice; first at " + At(it->second));
    }
    return inserted;
  }

  // An entry whose code parsed but whose other fields did not: already reported, so references
  // to it are not reported again.
  bool IsBroken(const std::string& code) const { return broken_codes_.contains(code); }

  void RequireOffice(const std::string& code, const SourceLocation& where,
                     const std::string& what) {
    if (!code.empty() && catalog_.FindOffice(code) == nullptr && !IsBroken(code)) {
      Problem(where, what + ": office '" + code + "' is not in the catalog");
    }
  }

  // The optional `inferred:` map of an entry: each key one of `fields`, each value the basis.
  Inferred ReadInferred(YamlFields& f, std::initializer_list<std::string_view> fields) {
    Inferred out;
    YAML::Node map = f.Child("inferred", Presence::kOptional);
    if (!map.IsDefined() || map.IsNull()) return out;
    std::string allowed;
    for (std::string_view field : fields)
      allowed += (allowed.empty() ? "" : ", ") + std::string(field);
    if (!map.IsMap()) {
      f.ErrorAt(map, "inferred must map fields (" + allowed + ") to the basis of the inference");
      return out;
    }
    for (const auto& entry : map) {
      const std::string field = entry.first.Scalar();
      if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
        f.ErrorAt(entry.first, "inferred names '" + field + "', which is not one of " + allowed);
      } else if (!entry.second.IsScalar() || entry.second.Scalar().empty()) {
        f.ErrorAt(entry.second, "inferred '" + field + "' needs the basis of the inference");
      } else {
        out[field] = entry.second.Scalar();
      }
    }
    return out;
  }

  void ReadUnit(const YAML::Node& node, const std::string& file) {
    YamlFields f(node, "unit", file, problems_);
    Unit unit;
    unit.defined_at = {file, f.line()};
    auto id = f.Slug("id", Presence::kRequired);
    auto name = f.String("name", Presence::kRequired);
    auto level = f.Enum("level", kLevels, Presence::kRequired);
    unit.parent = f.Slug("parent", Presence::kOptional).value_or("");
    if (auto zone_text = f.String("timezone", Presence::kOptional)) {
      auto zone = ParseTimeZone(*zone_text);
      if (zone.ok()) {
        unit.zone = *zone;
      } else {
        f.ErrorAt(FieldOf(node, "timezone"), zone.status().message());
      }
    }
    f.RejectUnknownKeys();
    if (id && (!name || !level)) broken_codes_.insert(*id);
    if (!id || !name || !level) return;
    unit.id = *id;
    unit.name = *name;
    unit.level = *level;
    if (Claim(&unit_codes_, "unit", unit.id, unit.defined_at))
      catalog_.units.push_back(std::move(unit));
  }

  void ReadOffice(const YAML::Node& node, const std::string& file) {
    YamlFields f(node, "office", file, problems_);
    auto code = f.Slug("code", Presence::kRequired);
    auto name = f.String("name", Presence::kRequired);
    f.RejectUnknownKeys();
    if (code && !name) broken_codes_.insert(*code);
    if (!code || !name) return;
    Office office{*code, *name, {file, f.line()}};
    if (Claim(&office_codes_, "office", office.code, office.defined_at)) {
      catalog_.offices.push_back(std::move(office));
    }
  }

  std::optional<SeriesSelector> ReadSelector(const YAML::Node& node, const std::string& what,
                                             const std::string& file) {
    YamlFields f(node, what, file, problems_);
    SeriesSelector selector;
    auto metric = f.String("metric", Presence::kRequired);
    if (metric && !IsMetricName(*metric)) {
      f.ErrorAt(FieldOf(node, "metric"),
                "metric '" + *metric + "' is not a valid Prometheus metric name");
      metric.reset();
    }
    YAML::Node match = f.Child("match", Presence::kOptional);
    if (match.IsDefined() && !match.IsNull()) {
      if (!match.IsMap()) {
        f.ErrorAt(match, "match must map label names to values");
      } else {
        for (const auto& entry : match) {
          const std::string label = entry.first.Scalar();
          if (label == "unit") f.ErrorAt(entry.first, "match must not name 'unit': it is implied");
          selector.match.emplace_back(label, entry.second.Scalar());
        }
        std::sort(selector.match.begin(), selector.match.end());
      }
    }
    f.RejectUnknownKeys();
    if (!metric) return std::nullopt;
    selector.metric = *metric;
    return selector;
  }

  void ReadIndicator(const YAML::Node& node, const std::string& file) {
    std::string what = "indicator";
    if (node.IsMap() && FieldOf(node, "code").IsScalar())
      what += " '" + FieldOf(node, "code").Scalar() + "'";
    YamlFields f(node, what, file, problems_);
    Indicator ind;
    ind.defined_at = {file, f.line()};
    auto code = f.Slug("code", Presence::kRequired);
    auto version = f.Integer("version", Presence::kOptional);
    if (version && *version < 1) f.ErrorAt(FieldOf(node, "version"), "version must be 1 or more");
    ind.version = static_cast<int>(version.value_or(1));
    auto name = f.String("name", Presence::kRequired);
    auto measure = f.Enum("measure", kMeasures, Presence::kRequired);
    auto direction = f.Enum("direction", kDirections, Presence::kRequired);
    auto period = f.Enum("period", kIndicatorPeriods, Presence::kRequired);
    auto office = f.Slug("office", Presence::kRequired);
    auto kind = f.Enum("kind", kKinds, Presence::kRequired);
    ind.accumulate = f.Enum("accumulate", kAccumulate, Presence::kOptional)
                         .value_or(Indicator::Accumulate::kNone);
    if (auto tolerance = f.Number("tolerance", Presence::kOptional)) {
      if (*tolerance < 0 || *tolerance > 100) {
        f.ErrorAt(FieldOf(node, "tolerance"),
                  "tolerance must be a percentage of the milestone span, 0..100");
      }
      ind.tolerance_pct = *tolerance;
    }
    ind.description = f.String("description", Presence::kOptional).value_or("");
    YAML::Node formula = f.Child("formula", Presence::kOptional);
    const bool has_formula = formula.IsDefined() && !formula.IsNull();
    if (kind == Indicator::Kind::kDerived && !has_formula) {
      f.Error("a derived indicator needs a formula (numerator and denominator)");
    }
    if (kind == Indicator::Kind::kReported && has_formula) {
      f.ErrorAt(formula, "a reported indicator must not have a formula; use kind: derived");
    }
    if (has_formula) {
      YamlFields ff(formula, what + " formula", file, problems_);
      auto numerator =
          ReadSelector(ff.Child("numerator", Presence::kRequired), what + " numerator", file);
      auto denominator =
          ReadSelector(ff.Child("denominator", Presence::kRequired), what + " denominator", file);
      auto scale = ff.Number("scale", Presence::kOptional);
      if (scale && *scale <= 0) ff.ErrorAt(FieldOf(formula, "scale"), "scale must be positive");
      ff.RejectUnknownKeys();
      if (numerator && denominator)
        ind.formula = Formula{*numerator, *denominator, scale.value_or(1.0)};
    }
    if (ind.accumulate == Indicator::Accumulate::kYear && measure && *measure != Measure::kCount) {
      f.ErrorAt(FieldOf(node, "accumulate"), "accumulate: year only applies to measure: count");
    }
    f.RejectUnknownKeys();
    const bool complete = name && measure && direction && period && office && kind;
    if (code && !complete) broken_codes_.insert(*code);
    if (!code || !complete) return;
    ind.code = *code;
    ind.name = *name;
    ind.measure = *measure;
    ind.direction = *direction;
    ind.period = *period;
    ind.office = *office;
    ind.kind = *kind;
    if (Claim(&indicator_codes_, "indicator", ind.code, ind.defined_at)) {
      catalog_.indicators.push_back(std::move(ind));
    }
  }

  void ReadTarget(const YAML::Node& node, const std::string& file, Plan* plan) {
    std::string what = "target";
    if (node.IsMap() && FieldOf(node, "indicator").IsScalar())
      what += " '" + FieldOf(node, "indicator").Scalar() + "'";
    YamlFields f(node, what, file, problems_);
    Target target;
    target.defined_at = {file, f.line()};
    auto indicator = f.Slug("indicator", Presence::kRequired);
    target.office = f.Slug("office", Presence::kOptional).value_or("");
    target.note = f.String("note", Presence::kOptional).value_or("");
    target.yearly = f.Bool("yearly", Presence::kOptional).value_or(false);
    target.inferred = ReadInferred(f, {"office"});
    YAML::Node baseline = f.Child("baseline", Presence::kRequired);
    if (baseline.IsScalar()) {
      if (baseline.Scalar() != "not_stated") {
        f.ErrorAt(baseline, "baseline must be not_stated or {date, value, source}");
      }
    } else if (baseline.IsMap()) {
      YamlFields bf(baseline, what + " baseline", file, problems_);
      auto date = bf.Date("date", Presence::kRequired);
      auto value = bf.Number("value", Presence::kRequired);
      auto source = bf.String("source", Presence::kRequired);
      bf.RejectUnknownKeys();
      if (date && value && source) target.baseline = Baseline{*date, *value, *source};
    }
    // The default comparison follows the indicator's direction (catalog files are read first).
    const Indicator* known = indicator ? catalog_.FindIndicator(*indicator) : nullptr;
    const Comparison default_op = known != nullptr && known->direction == Direction::kDown
                                      ? Comparison::kLessEqual
                                      : Comparison::kGreaterEqual;
    YAML::Node milestones = f.Child("milestones", Presence::kRequired);
    if (milestones.IsDefined() && (!milestones.IsSequence() || milestones.size() == 0)) {
      f.ErrorAt(milestones, "milestones must be a non-empty list");
    } else if (milestones.IsSequence()) {
      for (const YAML::Node& m : milestones) {
        YamlFields mf(m, what + " milestone", file, problems_);
        auto date = mf.Date("date", Presence::kRequired);
        auto op = mf.Enum("op", kComparisons, Presence::kOptional);
        auto value = mf.Number("target", Presence::kRequired);
        auto band = mf.Number("band", Presence::kOptional);
        auto from = mf.Integer("from", Presence::kOptional);
        auto source = mf.String("source", Presence::kRequired);
        auto note = mf.String("note", Presence::kOptional);
        Inferred inferred = ReadInferred(mf, {"date"});
        const bool approximate = FieldOf(m, "op").IsScalar() && FieldOf(m, "op").Scalar() == "~";
        if (band && !approximate) {
          mf.ErrorAt(FieldOf(m, "band"), "band applies only to an approximate target (op: \"~\")");
        } else if (band && *band <= 0) {
          mf.ErrorAt(FieldOf(m, "band"), "band must be positive");
        }
        if (from && date && *from > date->year) {
          mf.ErrorAt(FieldOf(m, "from"), "from " + std::to_string(*from) +
                                             " is after the milestone's year " +
                                             std::to_string(date->year));
        }
        mf.RejectUnknownKeys();
        if (!date || !value || !source) continue;
        Milestone milestone{*date, op.value_or(default_op), *value, *source, note.value_or("")};
        if (approximate) {
          milestone.band = band.value_or(kDefaultApproximateBandPct / 100.0 * std::fabs(*value));
        }
        if (from) milestone.from_year = static_cast<int>(*from);
        milestone.inferred = std::move(inferred);
        target.milestones.push_back(std::move(milestone));
      }
    }
    f.RejectUnknownKeys();
    if (!indicator) return;
    target.indicator = *indicator;
    plan->targets.push_back(std::move(target));
  }

  std::optional<TaskSchedule> ReadSchedule(YamlFields& f, const YAML::Node& node) {
    int present = 0;
    for (const char* key : {"due", "recurrence", "continuous", "trigger"}) {
      if (FieldOf(node, key).IsDefined()) ++present;
    }
    if (present != 1) {
      for (const char* key : {"due", "recurrence", "continuous", "trigger"})
        f.Child(key, Presence::kOptional);
      f.Error("needs exactly one of due, recurrence, continuous, trigger (found " +
              std::to_string(present) + ")");
      return std::nullopt;
    }
    if (auto due = f.Date("due", Presence::kOptional)) return OneOffDeadline{*due};
    if (auto trigger = f.String("trigger", Presence::kOptional)) return EventTrigger{*trigger};
    YAML::Node continuous = f.Child("continuous", Presence::kOptional);
    if (continuous.IsDefined()) {
      YamlFields cf(continuous, "task continuous", f.file(), problems_);
      const bool has_review = FieldOf(continuous, "review").IsDefined();
      auto review = cf.Enum("review", kIndicatorPeriods, Presence::kOptional);
      cf.RejectUnknownKeys();
      if (has_review && !review) return std::nullopt;
      return ContinuousDuty{review};
    }
    YAML::Node recurrence = f.Child("recurrence", Presence::kOptional);
    if (!recurrence.IsDefined()) return std::nullopt;  // `due` was present but invalid
    YamlFields rf(recurrence, "task recurrence", f.file(), problems_);
    auto every = rf.String("every", Presence::kRequired);
    if (every && *every != "year") rf.ErrorAt(FieldOf(recurrence, "every"), "every must be 'year'");
    auto month_day = rf.String("month_day", Presence::kRequired);
    auto from = rf.Integer("from", Presence::kRequired);
    auto until = rf.Integer("until", Presence::kOptional);
    rf.RejectUnknownKeys();
    std::optional<std::pair<int, int>> md;
    if (month_day && !(md = ParseMonthDay(*month_day))) {
      rf.ErrorAt(FieldOf(recurrence, "month_day"),
                 "month_day '" + *month_day + "' is not a valid MM-DD");
    }
    if (from && until && *until < *from) {
      rf.ErrorAt(FieldOf(recurrence, "until"), "until is before from");
      return std::nullopt;
    }
    if (!md || !from || (every && *every != "year")) return std::nullopt;
    YearlyRecurrence r{md->first, md->second, static_cast<int>(*from), std::nullopt};
    if (until) r.until_year = static_cast<int>(*until);
    return r;
  }

  void ReadTask(const YAML::Node& node, const std::string& file, Plan* plan) {
    std::string what = "task";
    if (node.IsMap() && FieldOf(node, "id").IsScalar())
      what += " '" + FieldOf(node, "id").Scalar() + "'";
    YamlFields f(node, what, file, problems_);
    Task task;
    task.defined_at = {file, f.line()};
    auto id = f.Slug("id", Presence::kRequired);
    auto title = f.String("title", Presence::kRequired);
    auto lead = f.Slug("lead", Presence::kRequired);
    task.main_office = f.Slug("main_office", Presence::kOptional).value_or("");
    task.coordinating =
        f.SlugList("coordinating", Presence::kOptional).value_or(std::vector<std::string>{});
    auto deadline_text = f.String("deadline_text", Presence::kRequired);
    auto source = f.String("source", Presence::kRequired);
    task.note = f.String("note", Presence::kOptional).value_or("");
    task.inferred = ReadInferred(f, {"lead", "main_office", "deadline"});
    auto schedule = ReadSchedule(f, node);
    f.RejectUnknownKeys();
    if (!id || !title || !lead || !deadline_text || !source || !schedule) return;
    task.id = *id;
    task.title = *title;
    task.lead = *lead;
    task.deadline_text = *deadline_text;
    task.source = *source;
    task.schedule = *schedule;
    plan->tasks.push_back(std::move(task));
  }

  void ReadReportingRule(const YAML::Node& node, const std::string& file, Plan* plan) {
    std::string what = "reporting rule";
    if (node.IsMap() && FieldOf(node, "id").IsScalar())
      what += " '" + FieldOf(node, "id").Scalar() + "'";
    YamlFields f(node, what, file, problems_);
    ReportingRule rule;
    rule.defined_at = {file, f.line()};
    auto id = f.Slug("id", Presence::kRequired);
    auto name = f.String("name", Presence::kOptional);
    auto office = f.Slug("office", Presence::kRequired);
    rule.inferred = ReadInferred(f, {"office", "period", "due"});
    rule.recipient = f.String("recipient", Presence::kOptional).value_or("");
    auto period = f.Enum("period", kRulePeriods, Presence::kRequired);
    auto source = f.String("source", Presence::kRequired);
    rule.note = f.String("note", Presence::kOptional).value_or("");
    auto grace = f.Integer("grace_days", Presence::kOptional);
    if (grace && (*grace < 0 || *grace > 366))
      f.ErrorAt(FieldOf(node, "grace_days"), "grace_days must be 0..366");
    rule.grace_days = static_cast<int>(grace.value_or(0));
    YAML::Node due = f.Child("due", Presence::kRequired);
    if (due.IsDefined() && !due.IsNull()) {
      YamlFields df(due, what + " due", file, problems_);
      auto days = df.Integer("days_after_period_end", Presence::kOptional);
      auto month_day = df.String("month_day", Presence::kOptional);
      auto last_month_day = df.Integer("day_of_last_month", Presence::kOptional);
      df.RejectUnknownKeys();
      if (days.has_value() + month_day.has_value() + last_month_day.has_value() != 1) {
        df.Error("needs exactly one of days_after_period_end, month_day, day_of_last_month");
      } else if (last_month_day) {
        if (*last_month_day < 1 || *last_month_day > 28)
          df.ErrorAt(FieldOf(due, "day_of_last_month"), "day_of_last_month must be 1..28");
        rule.due_day_of_last_month = static_cast<int>(*last_month_day);
      } else if (days) {
        if (*days < 0 || *days > 366)
          df.ErrorAt(FieldOf(due, "days_after_period_end"), "days_after_period_end must be 0..366");
        rule.due_days_after_period_end = static_cast<int>(*days);
      } else if (auto md = ParseMonthDay(*month_day)) {
        rule.due_month_day = *md;
      } else {
        df.ErrorAt(FieldOf(due, "month_day"),
                   "month_day '" + *month_day + "' is not a valid MM-DD");
      }
    }
    YAML::Node indicators = f.Child("indicators", Presence::kOptional);
    if (indicators.IsSequence()) {
      rule.indicators = f.SlugList("indicators", Presence::kOptional);
    } else if (indicators.IsDefined() && !indicators.IsNull() &&
               !(indicators.IsScalar() && indicators.Scalar() == "all")) {
      f.ErrorAt(indicators, "indicators must be 'all' or a list of indicator codes");
    }
    f.RejectUnknownKeys();
    if (!id || !office || !period || !source) return;
    rule.id = *id;
    rule.name = name ? *name : DefaultReportName(*period);
    rule.office = *office;
    rule.period = *period;
    rule.source = *source;
    plan->reporting.push_back(std::move(rule));
  }

  void CheckPlan(Plan& plan) {
    const std::string what = "plan of '" + plan.unit + "'";
    if (!plan.unit.empty() && catalog_.FindUnit(plan.unit) == nullptr && !IsBroken(plan.unit)) {
      Problem(plan.defined_at, what + ": unit '" + plan.unit + "' is not in the catalog");
    }
    std::map<std::string, SourceLocation> target_codes;
    for (Target& target : plan.targets) {
      const std::string twhat = "target '" + target.indicator + "'";
      Claim(&target_codes, "target for indicator", target.indicator, target.defined_at);
      const Indicator* indicator = catalog_.FindIndicator(target.indicator);
      if (indicator == nullptr && IsBroken(target.indicator)) continue;
      if (indicator == nullptr) {
        Problem(target.defined_at,
                twhat + ": indicator '" + target.indicator + "' is not in the catalog");
        continue;
      }
      RequireOffice(target.office, target.defined_at, twhat);
      if (target.office.empty()) {
        target.office = indicator->office;
        target.inferred.try_emplace("office", kCatalogOfficeBasis);
      }
      if (target.yearly && indicator->accumulate == Indicator::Accumulate::kYear) {
        Problem(target.defined_at, twhat + ": yearly: true is for indicators that do not " +
                                       "accumulate; a per-year count is already judged every year");
      }
      CheckMilestones(target, *indicator);
    }
    std::map<std::string, SourceLocation> task_ids;
    for (const Task& task : plan.tasks) {
      const std::string twhat = "task '" + task.id + "'";
      Claim(&task_ids, "task", task.id, task.defined_at);
      RequireOffice(task.lead, task.defined_at, twhat + " lead");
      RequireOffice(task.main_office, task.defined_at, twhat + " main_office");
      for (const std::string& office : task.coordinating) {
        RequireOffice(office, task.defined_at, twhat + " coordinating");
      }
    }
    std::map<std::string, SourceLocation> rule_ids;
    for (const ReportingRule& rule : plan.reporting) {
      const std::string rwhat = "reporting rule '" + rule.id + "'";
      Claim(&rule_ids, "reporting rule", rule.id, rule.defined_at);
      RequireOffice(rule.office, rule.defined_at, rwhat);
      for (const std::string& code : rule.indicators.value_or(std::vector<std::string>{})) {
        if (catalog_.FindIndicator(code) == nullptr && !IsBroken(code)) {
          Problem(rule.defined_at, rwhat + ": indicator '" + code + "' is not in the catalog");
        }
      }
    }
  }

  void CheckMilestones(const Target& target, const Indicator& indicator) {
    const std::string what = "target '" + target.indicator + "'";
    const std::string domain = std::string(MeasureName(indicator.measure));
    if (target.baseline && !InMeasureDomain(indicator.measure, target.baseline->value)) {
      Problem(target.defined_at, what + ": baseline " + FormatNumber(target.baseline->value) +
                                     " is outside the domain of a " + domain);
    }
    const CivilDate* previous = target.baseline ? &target.baseline->date : nullptr;
    for (const Milestone& m : target.milestones) {
      if (!InMeasureDomain(indicator.measure, m.target)) {
        Problem(target.defined_at, what + ": milestone " + m.date.ToString() + " target " +
                                       FormatNumber(m.target) + " is outside the domain of a " +
                                       domain +
                                       (indicator.measure == Measure::kPercent ? " (0..100)" : ""));
      }
      if (m.from_year && previous != nullptr && *m.from_year <= previous->year) {
        Problem(target.defined_at, what + ": milestone " + m.date.ToString() + " phase from " +
                                       std::to_string(*m.from_year) +
                                       " overlaps the previous milestone's year " +
                                       std::to_string(previous->year));
      }
      if (previous != nullptr && !(*previous < m.date)) {
        Problem(target.defined_at, what + ": milestone " + m.date.ToString() +
                                       " is not after the previous date " + previous->ToString() +
                                       "; dates must strictly increase from the baseline");
      }
      previous = &m.date;
    }
  }

  static std::string FormatNumber(double value) {
    std::string text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
  }

  Diagnostics* problems_;
  Catalog catalog_;
  std::map<std::string, SourceLocation> unit_codes_, office_codes_, indicator_codes_;
  std::set<std::string, std::less<>> broken_codes_;
  bool catalog_incomplete_ = false;
};

}  // namespace

CatalogLoad LoadCatalog(const std::vector<SourceFile>& catalog_files,
                        const std::vector<SourceFile>& plan_files) {
  CatalogLoad load;
  Loader loader(&load.problems);
  for (const SourceFile& file : catalog_files) loader.ReadCatalogFile(file);
  loader.IndexCatalog();
  for (const SourceFile& file : plan_files) loader.ReadPlanFile(file);
  loader.CheckReferences();
  load.catalog = std::make_shared<Catalog>(loader.Take());
  return load;
}

namespace {

// Counts one field of an entry as stated or inferred.
void CountField(const Inferred& inferred, std::string_view field, ProvenanceCount* count) {
  ++(inferred.contains(field) ? count->inferred : count->stated);
}

bool FallsDue(const TaskSchedule& schedule) {
  if (const auto* continuous = std::get_if<ContinuousDuty>(&schedule)) {
    return continuous->review.has_value();
  }
  return !std::holds_alternative<EventTrigger>(schedule);
}

std::string Pair(const ProvenanceCount& count) {
  return std::to_string(count.stated) + " / " + std::to_string(count.inferred);
}

}  // namespace

std::vector<PlanSummary> SummarizePlans(const Catalog& catalog) {
  std::vector<PlanSummary> out;
  for (const Plan& plan : catalog.plans) {
    PlanSummary s{plan.unit, plan.source};
    for (const Target& target : plan.targets) {
      if (!target.milestones.empty()) ++s.targets;
      s.milestones += target.milestones.size();
      CountField(target.inferred, "office", &s.offices);
      for (const Milestone& m : target.milestones) CountField(m.inferred, "date", &s.deadlines);
    }
    for (const Task& task : plan.tasks) {
      CountField(task.inferred, "lead", &s.offices);
      if (!task.main_office.empty()) CountField(task.inferred, "main_office", &s.offices);
      if (FallsDue(task.schedule)) CountField(task.inferred, "deadline", &s.deadlines);
    }
    for (const ReportingRule& rule : plan.reporting) {
      CountField(rule.inferred, "office", &s.offices);
      CountField(rule.inferred, "due", &s.due_days);
      CountField(rule.inferred, "period", &s.periods);
    }
    s.tasks = plan.tasks.size();
    s.reporting_rules = plan.reporting.size();
    out.push_back(std::move(s));
  }
  return out;
}

std::string PlanSummaryTable(const std::vector<PlanSummary>& summaries) {
  std::string out =
      "| unit | source | targets | milestones | tasks | reporting rules | offices stated / "
      "inferred | deadlines stated / inferred | due days stated / inferred | periods stated / "
      "inferred |\n"
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const PlanSummary& s : summaries) {
    out += "| " + s.unit + " | " + s.source + " | " + std::to_string(s.targets) + " | " +
           std::to_string(s.milestones) + " | " + std::to_string(s.tasks) + " | " +
           std::to_string(s.reporting_rules) + " | " + Pair(s.offices) + " | " + Pair(s.deadlines) +
           " | " + Pair(s.due_days) + " | " + Pair(s.periods) + " |\n";
  }
  return out;
}

}  // namespace chiso::catalog
