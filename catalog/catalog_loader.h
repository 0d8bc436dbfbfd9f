// Loading the catalog and plans from YAML (docs/catalog-format.md).
//
// The loader is pure: it takes file contents, not paths, so tests and the embedded default
// configuration use it without touching the disk. It never throws and never stops at the first
// problem: every problem found is returned as a Diagnostic "file:line: reason", which is what
// `chiso check` prints.
#pragma once

#include <memory>
#include <vector>

#include "catalog/catalog.h"
#include "common/diagnostic.h"

namespace chiso::catalog {

struct CatalogLoad {
  // Everything that parsed, indexed. Present even when there are problems, so a checker can
  // report them all; a server must refuse a load whose `problems` is not empty.
  std::shared_ptr<const Catalog> catalog;
  Diagnostics problems;
};

// `catalog_files` hold `units:`, `offices:` and `indicators:` lists (merged, codes unique);
// `plan_files` hold one plan each. Cross-references (offices, indicators, units) are checked
// after everything is read.
CatalogLoad LoadCatalog(const std::vector<SourceFile>& catalog_files,
                        const std::vector<SourceFile>& plan_files);

// How many of one kind of field a plan states and how many its encoder inferred.
struct ProvenanceCount {
  std::size_t stated = 0;
  std::size_t inferred = 0;
};

// Per-plan counts for reviewers and `chiso check --summary`.
struct PlanSummary {
  std::string unit;
  std::string source;
  std::size_t targets = 0;     // indicators with at least one milestone
  std::size_t milestones = 0;  // dated numeric targets
  std::size_t tasks = 0;
  std::size_t reporting_rules = 0;
  // Target offices, task leads and main offices, reporting rules' senders.
  ProvenanceCount offices{};
  // Milestone dates and the schedules of tasks that fall due (a date, a yearly day, a review
  // period); event-triggered and undated duties have none.
  ProvenanceCount deadlines{};
  ProvenanceCount due_days{};  // reporting rules' due days
  ProvenanceCount periods{};   // reporting rules' periods
};
std::vector<PlanSummary> SummarizePlans(const Catalog& catalog);
// The summaries as a Markdown table (header, separator, one row per plan, each line ending "\n").
std::string PlanSummaryTable(const std::vector<PlanSummary>& summaries);

}  // namespace chiso::catalog
