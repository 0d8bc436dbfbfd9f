#include "ingest/reading.h"

#include <cmath>
#include <string>

#include "common/calendar.h"
#include "ingest/instant.h"
#include "ingest/series_check.h"
#include "ingest/text.h"

namespace chiso::ingest {
namespace {

Rejection Reject(RejectReason reason, std::string message) { return {reason, std::move(message)}; }

std::string FormatValue(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string_view DomainText(catalog::Measure measure) {
  switch (measure) {
    case catalog::Measure::kPercent:
      return "0..100";
    case catalog::Measure::kRatio:
      return "0..1";
    case catalog::Measure::kCount:
      return ">= 0";
    case catalog::Measure::kNumber:
      return "any finite number";
  }
  return "any finite number";
}

// Periods ordered from coarse (year) to fine (day), as PeriodKind is declared.
bool NoCoarserThan(PeriodKind kind, PeriodKind reporting) {
  return static_cast<int>(kind) >= static_cast<int>(reporting);
}

}  // namespace

ReadingValidator::ReadingValidator(const catalog::Catalog& catalog, const Principal& principal,
                                   TimestampMs now, const IngestLimits& limits)
    : catalog_(catalog), principal_(principal), now_(now), limits_(limits) {}

std::optional<Rejection> ReadingValidator::Validate(const RawReading& reading, Sample* out) const {
  if (reading.indicator.empty()) return Reject(RejectReason::kSyntax, "\"indicator\" is missing");
  if (reading.unit.empty()) return Reject(RejectReason::kSyntax, "\"unit\" is missing");
  const catalog::Indicator* indicator = catalog_.FindIndicator(reading.indicator);
  if (indicator == nullptr) {
    return Reject(RejectReason::kUnknownIndicator,
                  "unknown indicator " + Quote(reading.indicator) + " (see GET /api/v1/catalog)");
  }
  if (indicator->kind == catalog::Indicator::Kind::kDerived) {
    return Reject(RejectReason::kDerivedIndicator,
                  "indicator " + Quote(reading.indicator) +
                      " is derived: chiso computes it from its input series; write those instead");
  }
  const catalog::Unit* unit = catalog_.FindUnit(reading.unit);
  if (unit == nullptr) {
    return Reject(RejectReason::kUnknownUnit,
                  "unknown unit " + Quote(reading.unit) + " (see GET /api/v1/catalog)");
  }
  Labels labels;
  if (auto rejected = CheckLabels(reading, &labels)) return rejected;
  if (Status allowed = principal_.MayWriteSeries(labels, catalog_); !allowed.ok()) {
    return Reject(RejectReason::kForbidden, allowed.message());
  }
  if (!reading.value) return Reject(RejectReason::kBadValue, "\"value\" is missing");
  const double value = *reading.value;
  if (!std::isfinite(value)) {
    return Reject(RejectReason::kBadValue,
                  "value " + FormatValue(value) + " is not a finite number");
  }
  if (!catalog::InMeasureDomain(indicator->measure, value)) {
    return Reject(RejectReason::kOutOfDomain,
                  "value " + FormatValue(value) + " is outside " +
                      std::string(DomainText(indicator->measure)) + ", the range of indicator " +
                      Quote(indicator->code) + " (measure " +
                      std::string(catalog::MeasureName(indicator->measure)) + ")");
  }
  TimestampMs timestamp = 0;
  if (auto rejected = ResolveTime(reading, *indicator, *unit, &timestamp)) return rejected;

  std::string writer = principal_.name();
  if (reading.source) {
    if (reading.source->empty() || FindInvalidUtf8(*reading.source) != std::string_view::npos ||
        writer.size() + 1 + reading.source->size() > kMaxWriterBytes) {
      return Reject(RejectReason::kSyntax, "\"source\" " + Quote(*reading.source) +
                                               " must be non-empty UTF-8 of at most " +
                                               std::to_string(kMaxWriterBytes - writer.size() - 1) +
                                               " bytes");
    }
    writer += "/" + *reading.source;
  }
  if (reading.comment) {
    if (reading.comment->size() > limits_.max_comment_bytes) {
      return Reject(RejectReason::kSyntax,
                    "\"comment\" is " + std::to_string(reading.comment->size()) +
                        " bytes; at most " + std::to_string(limits_.max_comment_bytes) +
                        " are allowed");
    }
    if (const std::size_t bad = FindInvalidUtf8(*reading.comment); bad != std::string_view::npos) {
      return Reject(RejectReason::kSyntax, "\"comment\" is not valid UTF-8 at byte " +
                                               std::to_string(bad) + ": " +
                                               Quote(*reading.comment));
    }
  }
  out->labels = std::move(labels);
  out->timestamp = timestamp;
  out->value = value;
  out->writer = std::move(writer);
  out->arrived_at = now_;
  out->comment = reading.comment;
  return std::nullopt;
}

std::optional<Rejection> ReadingValidator::ResolveTime(const RawReading& reading,
                                                       const catalog::Indicator& indicator,
                                                       const catalog::Unit& unit,
                                                       TimestampMs* out) const {
  if (reading.period && reading.time) {
    return Reject(RejectReason::kBadTime, "give either \"period\" or \"time\", not both");
  }
  if (!reading.period && !reading.time) {
    return Reject(
        RejectReason::kBadTime,
        "give \"period\" (e.g. 2025-10, 2025-Q3, 2025) or \"time\" (RFC 3339 or epoch ms)");
  }
  if (reading.time) {
    // A wall-clock time is read as UTC, then moved by the unit's offset.
    auto instant = ParseInstant(reading.time_is_local ? *reading.time + "Z" : *reading.time);
    if (!instant.ok()) return Reject(RejectReason::kBadTime, instant.status().message());
    if (reading.time_is_local) {
      *instant -= std::int64_t{unit.zone.offset_minutes} * 60'000;
      if (*instant < kMinSampleTimestamp) {
        return Reject(RejectReason::kBadTime,
                      "time " + Quote(*reading.time) + " in " + unit.zone.name + " is before 1970");
      }
    }
    if (*instant > now_ + limits_.max_future_skew.count()) {
      return Reject(RejectReason::kFuture, "time " + Quote(*reading.time) + " is in the future");
    }
    if (*instant > kMaxSampleTimestamp) {
      return Reject(RejectReason::kBadTime, "time " + Quote(*reading.time) + " is too far ahead");
    }
    *out = *instant;
    return std::nullopt;
  }
  auto period = ParsePeriod(*reading.period);
  if (!period.ok()) {
    return Reject(RejectReason::kBadTime,
                  "period " + Quote(*reading.period) + ": " + period.status().message());
  }
  if (!NoCoarserThan(period->kind, indicator.period)) {
    return Reject(RejectReason::kBadTime,
                  "period " + Quote(*reading.period) + " is a " +
                      std::string(PeriodKindName(period->kind)) + ", but indicator " +
                      Quote(indicator.code) + " is reported per " +
                      std::string(PeriodKindName(indicator.period)) + "; send one reading per " +
                      std::string(PeriodKindName(indicator.period)) + " or finer");
  }
  const CivilDate today = LocalDate(now_, unit.zone);
  if (period->FirstDay() > today) {
    return Reject(RejectReason::kFuture, "period " + Quote(*reading.period) +
                                             " has not begun yet (today is " + today.ToString() +
                                             " in " + unit.zone.name + ")");
  }
  *out = EndOfDay(period->LastDay(), unit.zone);
  if (*out < kMinSampleTimestamp) {
    return Reject(RejectReason::kBadTime, "period " + Quote(*reading.period) + " ends before 1970");
  }
  return std::nullopt;
}

std::optional<Rejection> ReadingValidator::CheckLabels(const RawReading& reading,
                                                       Labels* labels) const {
  labels->reserve(3 + reading.labels.size());
  labels->push_back({std::string(kMetricNameLabel), std::string(kReadingMetric)});
  labels->push_back({std::string(kIndicatorLabel), reading.indicator});
  labels->push_back({std::string(kUnitLabel), reading.unit});
  for (const auto& [name, value] : reading.labels) {
    if (name == kIndicatorLabel || name == kUnitLabel || name.starts_with("__")) {
      return Reject(RejectReason::kBadLabel,
                    "label " + Quote(name) + " is reserved; give indicator and unit as fields");
    }
    if (!IsPrometheusLabelName(name)) {
      return Reject(RejectReason::kBadLabel, "label name " + Quote(name) +
                                                 " must be letters, digits and _ (not starting "
                                                 "with a digit)");
    }
    if (auto rejected = CheckLabel(name, value, limits_)) return rejected;
    if (value.empty()) {
      return Reject(RejectReason::kBadLabel, "label " + Quote(name) + " has an empty value");
    }
    labels->push_back({name, value});
  }
  return FinishSeries(*labels, limits_);
}

}  // namespace chiso::ingest
