#include "api/unit_filter.h"

namespace chiso::api {

std::variant<UnitFilter, HttpResponse> UnitFilter::Parse(const RequestContext& context,
                                                         const catalog::Catalog& catalog,
                                                         ReadScope scope) {
  UnitFilter filter(catalog, std::move(scope));
  for (const char* parameter : {"unit", "province"}) {
    const std::string id = context.Query(parameter);
    if (id.empty()) continue;
    if (auto refused = filter.scope_.RefuseUnit(id)) return *refused;
    const catalog::Unit* unit = catalog.FindUnit(id);
    if (unit == nullptr) {
      return ErrorResponse(404, std::string(parameter) + " '" + id + "' is not in the catalog");
    }
    if (std::string_view(parameter) == "province" &&
        unit->level != catalog::Unit::Level::kProvince) {
      return ErrorResponse(
          400,
          "province '" + id + "' is a commune, not a province; ask for unit=" + id + " instead");
    }
    filter.roots_.push_back({id});
  }
  return filter;
}

bool UnitFilter::Covers(std::string_view unit) const {
  for (const std::vector<std::string>& root : roots_) {
    if (!catalog_->WithinUnits(unit, root)) return false;
  }
  return scope_.SeesUnit(unit);
}

rules::UnitPredicate UnitFilter::Predicate() const {
  return [this](std::string_view unit) { return Covers(unit); };
}

}  // namespace chiso::api
