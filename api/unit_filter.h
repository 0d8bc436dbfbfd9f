// UnitFilter: the units a read of status, reports, tasks or alerts covers (SPEC §1: every query
// for a unit covers the units under it).
//
//   ?unit=U       U and the units under it (a province covers its communes, like DHIS2's `ou`)
//   ?province=P   the units under province P (and P itself); P must be a province
//
// Both together cover the units both cover. The token's read scope (api/read_scope.h) narrows
// the result further. A unit or province outside that scope is refused with 403, one the
// catalog does not know with 404, and a `province` that is not a province with 400.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/read_scope.h"
#include "api/router.h"
#include "catalog/catalog.h"
#include "rules/assess/tasks.h"

namespace chiso::api {

class UnitFilter {
 public:
  // The filter of the request's `unit` and `province` parameters, or the answer refusing them.
  // `catalog` must outlive the filter.
  static std::variant<UnitFilter, HttpResponse> Parse(const RequestContext& context,
                                                      const catalog::Catalog& catalog,
                                                      ReadScope scope);

  // Whether unit `unit` is covered; "" (something of no unit, e.g. an alert over all units) only
  // without `unit` and `province` and by a token without a unit scope.
  bool Covers(std::string_view unit) const;
  // Covers, as the rules module takes it; valid while this filter lives.
  rules::UnitPredicate Predicate() const;

 private:
  UnitFilter(const catalog::Catalog& catalog, ReadScope scope)
      : catalog_(&catalog), scope_(std::move(scope)) {}

  const catalog::Catalog* catalog_;
  ReadScope scope_;
  std::vector<std::vector<std::string>> roots_;  // each covers the units within it
};

}  // namespace chiso::api
