// A synthetic national catalog for the benchmarks: provinces, their communes, one plan per
// commune (targets with two milestones, reporting rules, tasks), and a history of monthly
// readings that drifts around the plans so that most statuses occur. Deterministic: the same
// shape gives the same catalog and readings.
#pragma once

#include <memory>

#include "catalog/catalog.h"
#include "common/clock.h"
#include "rules/assess/reading_source.h"

namespace chiso::tools {

struct NationalShape {
  // Communes, spread evenly over the provinces in blocks of consecutive ids. Default: 3,321
  int communes = 3321;
  // Provinces ("province_00", ...). Default: 34
  int provinces = 34;
  // Indicators, each a monthly target in every plan: the last tenth per-year counts, the
  // two-fifteenths before them `down`, the rest `up` percentages. Default: 30
  int indicators = 30;
  // Monthly readings per (commune, indicator), ending with December 2025 (one series in ten
  // stops six months early). Default: 12
  int readings = 12;
  // Reporting rules per plan (month, quarter, half, nine months, year, at most 5). Default: 5
  int reporting_rules = 5;
  // Tasks per plan. Default: 10
  int tasks = 10;
};

// Units "province_NN" and "commune_NNNN", offices, indicators "indicator_NNNN" and plans.
std::shared_ptr<catalog::Catalog> NationalCatalog(const NationalShape& shape);

// Adds the readings of every plan of `catalog` (built with `shape`) to `source`.
void AddNationalReadings(const catalog::Catalog& catalog, const NationalShape& shape,
                         rules::MemoryReadingSource* source);

// A moment after the last readings arrived (2026-01-20, Vietnam time), to evaluate at.
TimestampMs NationalEvaluationTime();

// "VmRSS" or "VmHWM" of this process, in MiB.
double ProcessMemoryMiB(const char* field);

}  // namespace chiso::tools
