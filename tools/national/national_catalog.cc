#include "tools/national/national_catalog.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace chiso::tools {
namespace {

const TimeZone kZone;  // Vietnam time
constexpr const char* kOffices[] = {"ubnd", "phong_vhxh", "phong_kinh_te", "trung_tam_phvhc",
                                    "cong_an_xa"};

std::string Code(const char* prefix, int i, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%0*d", prefix, digits, i);
  return buf;
}

void AddIndicators(const NationalShape& shape, catalog::Catalog* catalog) {
  const int per_year_from = shape.indicators - shape.indicators / 10;
  const int down_from = per_year_from - shape.indicators * 2 / 15;
  for (int i = 0; i < shape.indicators; ++i) {
    catalog::Indicator indicator;
    indicator.code = Code("indicator_", i, 4);
    indicator.name = indicator.code;
    indicator.period = PeriodKind::kMonth;
    indicator.office = kOffices[i % 5];
    const bool per_year = i >= per_year_from;
    indicator.measure = per_year ? catalog::Measure::kCount : catalog::Measure::kPercent;
    indicator.accumulate =
        per_year ? catalog::Indicator::Accumulate::kYear : catalog::Indicator::Accumulate::kNone;
    indicator.direction =
        i >= down_from && !per_year ? catalog::Direction::kDown : catalog::Direction::kUp;
    catalog->indicators.push_back(indicator);
  }
}

catalog::Plan PlanOf(const catalog::Catalog& catalog, const NationalShape& shape,
                     const std::string& unit) {
  catalog::Plan plan;
  plan.unit = unit;
  for (const catalog::Indicator& indicator : catalog.indicators) {
    catalog::Target& target = plan.targets.emplace_back();
    target.indicator = indicator.code;
    target.office = indicator.office;
    const bool down = indicator.direction == catalog::Direction::kDown;
    const bool count = indicator.measure == catalog::Measure::kCount;
    const double first = count ? 2 : down ? 20 : 70;
    const double second = count ? 5 : down ? 5 : 90;
    const catalog::Comparison op =
        down ? catalog::Comparison::kLessEqual : catalog::Comparison::kGreaterEqual;
    target.milestones = {{{2026, 12, 31}, op, first, "", ""}, {{2030, 12, 31}, op, second, "", ""}};
  }
  const PeriodKind periods[] = {PeriodKind::kMonth, PeriodKind::kQuarter, PeriodKind::kHalf,
                                PeriodKind::kNineMonths, PeriodKind::kYear};
  for (int r = 0; r < std::min(shape.reporting_rules, 5); ++r) {
    catalog::ReportingRule rule;
    rule.id = std::string(PeriodKindName(periods[r]));
    rule.office = "ubnd";
    rule.period = periods[r];
    rule.due_days_after_period_end = 5;
    rule.grace_days = 3;
    plan.reporting.push_back(rule);
  }
  for (int t = 0; t < shape.tasks; ++t) {
    catalog::Task task;
    task.id = Code("task_", t, 4);
    task.lead = kOffices[t % 5];
    switch (t % 4) {
      case 0:
        task.schedule = catalog::OneOffDeadline{{2026, 6, 30}};
        break;
      case 1:
        task.schedule = catalog::YearlyRecurrence{12, 31, 2025, 2030};
        break;
      case 2:
        task.schedule = catalog::ContinuousDuty{PeriodKind::kQuarter};
        break;
      default:
        task.schedule = catalog::EventTrigger{"Khi có hướng dẫn"};
        break;
    }
    plan.tasks.push_back(task);
  }
  return plan;
}

}  // namespace

std::shared_ptr<catalog::Catalog> NationalCatalog(const NationalShape& shape) {
  auto catalog = std::make_shared<catalog::Catalog>();
  for (const char* office : kOffices) catalog->offices.push_back({office, office, {}});
  AddIndicators(shape, catalog.get());
  for (int p = 0; p < shape.provinces; ++p) {
    catalog->units.push_back(
        {Code("province_", p, 2), "Tỉnh", catalog::Unit::Level::kProvince, "", kZone, {}});
  }
  for (int c = 0; c < shape.communes; ++c) {
    const int province =
        static_cast<int>(static_cast<long long>(c) * shape.provinces / std::max(shape.communes, 1));
    catalog::Unit unit{Code("commune_", c, 4),         "Xã",  catalog::Unit::Level::kCommune,
                       Code("province_", province, 2), kZone, {}};
    catalog->plans.push_back(PlanOf(*catalog, shape, unit.id));
    catalog->units.push_back(std::move(unit));
  }
  catalog->BuildIndex();
  return catalog;
}

void AddNationalReadings(const catalog::Catalog& catalog, const NationalShape& shape,
                         rules::MemoryReadingSource* source) {
  // The first month such that `readings` months end with December 2025.
  const int first = 2025 * 12 + 11 - (shape.readings - 1);
  for (const catalog::Plan& plan : catalog.plans) {
    const std::size_t unit_hash = std::hash<std::string>()(plan.unit);
    for (std::size_t i = 0; i < plan.targets.size(); ++i) {
      const catalog::Indicator& indicator = *catalog.FindIndicator(plan.targets[i].indicator);
      const double speed = 0.3 + static_cast<double>((unit_hash + i * 7) % 10) / 10.0;
      std::vector<rules::Reading> readings;
      const int count =
          (unit_hash + i) % 10 == 0 ? std::max(1, shape.readings - 6) : shape.readings;
      Period month{PeriodKind::kMonth, first / 12, first % 12 + 1, 1};
      for (int r = 0; r < count; ++r, month = month.Next()) {
        const TimestampMs at = EndOfDay(month.LastDay(), kZone);
        double value = 0;
        if (indicator.accumulate == catalog::Indicator::Accumulate::kYear) {
          value = std::floor(month.index * speed * 0.4);
        } else if (indicator.direction == catalog::Direction::kDown) {
          value = std::max(0.0, 40 - r * speed);
        } else {
          value = std::min(100.0, 40 + r * speed);
        }
        readings.push_back({at, value, at + 3 * 86'400'000LL});
      }
      source->AddIndicatorReadings(plan.unit, indicator.code, std::move(readings));
    }
  }
}

TimestampMs NationalEvaluationTime() { return StartOfDay({2026, 1, 20}, kZone); }

double ProcessMemoryMiB(const char* field) {
  std::ifstream status("/proc/self/status");
  const std::string prefix = std::string(field) + ":";
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size())) / 1024.0;
  }
  return 0;
}

}  // namespace chiso::tools
