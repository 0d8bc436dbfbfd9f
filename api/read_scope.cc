#include "api/read_scope.h"

#include <algorithm>

#include "common/naming.h"

namespace chiso::api {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

ReadScope::ReadScope(std::string token, const ingest::TokenScopes& scopes,
                     const catalog::Catalog* catalog)
    : token_(std::move(token)), catalog_(catalog) {
  if (!scopes.units.empty()) units_ = scopes.units;
  if (!scopes.indicators.empty()) indicators_ = scopes.indicators;
}

ReadScope ReadScope::Of(const RequestContext& context) {
  if (!context.principal) return ReadScope();
  return ReadScope(context.principal->name(), context.principal->scopes(),
                   context.snapshot.catalog.get());
}

bool ReadScope::SeesUnit(std::string_view unit) const {
  if (!units_) return true;
  if (unit.empty()) return false;
  return catalog_ != nullptr ? catalog_->WithinUnits(unit, *units_) : Contains(*units_, unit);
}

bool ReadScope::SeesIndicator(std::string_view indicator) const {
  return !indicators_ || Contains(*indicators_, indicator);
}

bool ReadScope::SeesSeries(const Labels& labels) const {
  if (!SeesUnit(LabelValue(labels, kUnitLabel))) return false;
  if (LabelValue(labels, kMetricNameLabel) != kReadingMetric) return true;
  return SeesIndicator(LabelValue(labels, kIndicatorLabel));
}

bool ReadScope::SeesAlert(const std::map<std::string, std::string>& labels) const {
  auto unit = labels.find(std::string(kUnitLabel));
  if (!SeesUnit(unit == labels.end() ? "" : unit->second)) return false;
  auto indicator = labels.find(std::string(kIndicatorLabel));
  return indicator == labels.end() || SeesIndicator(indicator->second);
}

std::optional<HttpResponse> ReadScope::RefuseUnit(const std::string& unit) const {
  if (unit.empty() || SeesUnit(unit)) return std::nullopt;
  return ErrorResponse(403, "token '" + token_ + "' may not read unit '" + unit + "' (its units: " +
                                ingest::ScopeText(*units_) + ", and the units under them)");
}

std::optional<HttpResponse> ReadScope::RefuseIndicator(const std::string& indicator) const {
  if (indicator.empty() || SeesIndicator(indicator)) return std::nullopt;
  return ErrorResponse(403, "token '" + token_ + "' may not read indicator '" + indicator +
                                "' (its indicators: " + ingest::ScopeText(*indicators_) + ")");
}

}  // namespace chiso::api
