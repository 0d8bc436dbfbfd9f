#include "api/read_scope.h"

#include <algorithm>

#include "common/naming.h"

namespace chiso::api {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

// A unit tree is a province and its communes; a deeper chain is a broken catalog, not a tree.
constexpr int kMaxUnitDepth = 8;

}  // namespace

ReadScope::ReadScope(std::string token, const ingest::TokenScopes& scopes,
                     const catalog::Catalog* catalog)
    : token_(std::move(token)), catalog_(catalog) {
  if (!scopes.units.empty()) units_ = scopes.units;
  if (!scopes.indicators.empty()) indicators_ = scopes.indicators;
}

ReadScope ReadScope::Of(const RequestContext& context) {
  if (!context.principal) return ReadScope();
  const std::string& name = context.principal->name();
  const catalog::Catalog* catalog = context.snapshot.catalog.get();
  auto it = context.snapshot.token_scopes.find(name);
  if (it != context.snapshot.token_scopes.end()) return ReadScope(name, it->second, catalog);
  ReadScope nothing(name, {}, catalog);
  nothing.units_.emplace();
  nothing.indicators_.emplace();
  return nothing;
}

bool ReadScope::SeesUnit(std::string_view unit) const {
  if (!units_) return true;
  std::string current(unit);
  for (int depth = 0; !current.empty() && depth < kMaxUnitDepth; ++depth) {
    if (Contains(*units_, current)) return true;
    const catalog::Unit* found = catalog_ ? catalog_->FindUnit(current) : nullptr;
    if (found == nullptr) return false;
    current = found->parent;
  }
  return false;
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
  return ErrorResponse(403, "token '" + token_ + "' may not read unit '" + unit +
                                "' (its units: " + Join(*units_) + ", and the units under them)");
}

std::optional<HttpResponse> ReadScope::RefuseIndicator(const std::string& indicator) const {
  if (indicator.empty() || SeesIndicator(indicator)) return std::nullopt;
  return ErrorResponse(403, "token '" + token_ + "' may not read indicator '" + indicator +
                                "' (its indicators: " + Join(*indicators_) + ")");
}

}  // namespace chiso::api
