#include "catalog/catalog.h"

#include <algorithm>
#include <cmath>

namespace chiso::catalog {

std::string_view MeasureName(Measure measure) {
  switch (measure) {
    case Measure::kPercent:
      return "percent";
    case Measure::kRatio:
      return "ratio";
    case Measure::kCount:
      return "count";
    case Measure::kNumber:
      return "number";
  }
  return "number";
}

std::string_view DirectionName(Direction direction) {
  return direction == Direction::kUp ? "up" : "down";
}

std::string_view ComparisonSymbol(Comparison comparison) {
  switch (comparison) {
    case Comparison::kGreaterEqual:
      return ">=";
    case Comparison::kGreater:
      return ">";
    case Comparison::kLessEqual:
      return "<=";
    case Comparison::kLess:
      return "<";
    case Comparison::kEqual:
      return "=";
    case Comparison::kNotEqual:
      return "!=";
  }
  return ">=";
}

bool Meets(double value, Comparison op, double target) {
  const bool equal = std::fabs(value - target) <= 1e-9 * std::max(1.0, std::fabs(target));
  switch (op) {
    case Comparison::kGreaterEqual:
      return value >= target;
    case Comparison::kGreater:
      return value > target;
    case Comparison::kLessEqual:
      return value <= target;
    case Comparison::kLess:
      return value < target;
    case Comparison::kEqual:
      return equal;
    case Comparison::kNotEqual:
      return !equal;
  }
  return false;
}

bool MeetsTarget(double value, Comparison op, double target, std::optional<double> band) {
  if (band) return std::fabs(value - target) <= *band + 1e-9 * std::max(1.0, std::fabs(target));
  return Meets(value, op, target);
}

bool InMeasureDomain(Measure measure, double value) {
  switch (measure) {
    case Measure::kPercent:
      return value >= 0 && value <= 100;
    case Measure::kRatio:
      return value >= 0 && value <= 1;
    case Measure::kCount:
      return value >= 0;
    case Measure::kNumber:
      return true;
  }
  return true;
}

namespace {

template <typename T, typename Key>
const T* Lookup(const std::vector<T>& items,
                const std::map<std::string, std::size_t, std::less<>>& index, const Key& key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &items[it->second];
}

}  // namespace

const Unit* Catalog::FindUnit(const std::string& id) const {
  return Lookup(units, unit_index_, id);
}
const Office* Catalog::FindOffice(const std::string& code) const {
  return Lookup(offices, office_index_, code);
}
const Indicator* Catalog::FindIndicator(const std::string& code) const {
  return Lookup(indicators, indicator_index_, code);
}

bool Catalog::WithinUnits(std::string_view unit, const std::vector<std::string>& units) const {
  const auto listed = [&](std::string_view code) {
    return std::find(units.begin(), units.end(), code) != units.end();
  };
  if (listed(unit)) return true;
  const Unit* at = FindUnit(std::string(unit));
  for (std::size_t steps = 0; at != nullptr && !at->parent.empty() && steps < this->units.size();
       ++steps) {
    if (listed(at->parent)) return true;
    at = FindUnit(at->parent);
  }
  return false;
}

std::string_view Catalog::ProvinceOf(std::string_view unit) const {
  const Unit* at = FindUnit(std::string(unit));
  for (std::size_t steps = 0; at != nullptr && steps <= units.size(); ++steps) {
    if (at->level == Unit::Level::kProvince) return at->id;
    if (at->parent.empty()) break;
    at = FindUnit(at->parent);
  }
  return {};
}

std::vector<const Plan*> Catalog::PlansOf(const std::string& unit) const {
  std::vector<const Plan*> out;
  for (const Plan& plan : plans) {
    if (plan.unit == unit) out.push_back(&plan);
  }
  return out;
}

void Catalog::BuildIndex() {
  unit_index_.clear();
  office_index_.clear();
  indicator_index_.clear();
  for (std::size_t i = 0; i < units.size(); ++i) unit_index_.emplace(units[i].id, i);
  for (std::size_t i = 0; i < offices.size(); ++i) office_index_.emplace(offices[i].code, i);
  for (std::size_t i = 0; i < indicators.size(); ++i)
    indicator_index_.emplace(indicators[i].code, i);
}

}  // namespace chiso::catalog
