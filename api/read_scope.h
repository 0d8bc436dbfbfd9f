// ReadScope: what the token of a request may read. Every read endpoint asks it, so the rule is
// decided here and nowhere else.
//
// Like DHIS2's organisation units, a token whose scopes list `units` reads those units and every
// unit under them in the catalog's tree (a province covers its communes through
// catalog::Unit::parent). Its `indicators` narrow what carries an indicator the same way: status
// rows, alerts about an indicator and indicator readings. Something that belongs to no unit (an
// alert over all units, a series without a `unit` label) is read only by a token without a unit
// scope; an indicator reading without an `indicator` label only by a token without an indicator
// scope. A token without scopes, and an open operational endpoint, read everything.
//
// A request that names a unit or an indicator outside the scope is refused with 403 naming it
// and the token's scope, rather than answered with an empty list.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.h"
#include "api/router.h"
#include "catalog/catalog.h"
#include "common/labels.h"
#include "ingest/auth.h"

namespace chiso::api {

class ReadScope {
 public:
  // Everything.
  ReadScope() = default;
  // The scope of token `token` with `scopes`; `catalog` (may be null) gives the units' parents
  // and must outlive the scope.
  ReadScope(std::string token, const ingest::TokenScopes& scopes, const catalog::Catalog* catalog);

  // The scope of the request's principal; everything on an open operational endpoint.
  static ReadScope Of(const RequestContext& context);

  bool unscoped() const { return !units_ && !indicators_; }

  // Whether `unit`, or a unit above it, is one of the token's units. "" (no unit): only without
  // a unit scope.
  bool SeesUnit(std::string_view unit) const;
  // Whether `indicator` is one of the token's indicators. "": only without an indicator scope.
  bool SeesIndicator(std::string_view indicator) const;
  // A stored series: its `unit` label, and the `indicator` label of an indicator reading.
  bool SeesSeries(const Labels& labels) const;
  // An alert: its `unit` label, and its `indicator` label when it has one.
  bool SeesAlert(const std::map<std::string, std::string>& labels) const;

  // 403 naming the unit and the token's units when `unit` is given and outside the scope;
  // nullopt when `unit` is "" or inside.
  std::optional<HttpResponse> RefuseUnit(const std::string& unit) const;
  // The same for an indicator.
  std::optional<HttpResponse> RefuseIndicator(const std::string& indicator) const;

 private:
  std::string token_;
  std::optional<std::vector<std::string>> units_;       // nullopt: every unit
  std::optional<std::vector<std::string>> indicators_;  // nullopt: every indicator
  const catalog::Catalog* catalog_ = nullptr;
};

}  // namespace chiso::api
