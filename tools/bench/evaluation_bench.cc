// chiso_bench_evaluation: one evaluation cycle at national scale — 3,321 communes, each with a
// plan of 60 indicators (monthly; 8 `down`, 6 per-year counts), 24 monthly readings per
// indicator, 5 reporting rules and 10 tasks — read from memory (MemoryReadingSource), so the
// figure is the rules engine's own cost; with --data-dir the readings are written once into a
// store there and every cycle reads them back through StoreReadingSource, as the service does.
// Run a release build:
//
//   build/release/tools/chiso_bench_evaluation [--communes N] [--cycles N] [--data-dir DIR]
//                                              [--changes N]
//
// The first cycle through the store fills StoreReadingSource's cache; with --changes, N communes
// correct a reading of each indicator before every later cycle (untimed), which those cycles
// read again. Prints the first and later cycle times, the store reads per cycle, the time of
// reading alone (what a cycle reads, not evaluated) and the process's resident memory.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "rules/assess/evaluator.h"
#include "rules/store_backed/store_source.h"
#include "tools/command_line.h"
#include "tools/national/national_catalog.h"

namespace chiso::rules::bench {
namespace {

// One province, plans of 60 indicators with 24 monthly readings (2024-01 .. 2025-12) each.
tools::NationalShape BenchShape(int communes) {
  tools::NationalShape shape;
  shape.communes = communes;
  shape.provinces = 1;
  shape.indicators = 60;
  shape.readings = 24;
  return shape;
}

Labels IndicatorSeries(const std::string& unit, const std::string& indicator) {
  Labels labels = {{std::string(kMetricNameLabel), std::string(kReadingMetric)},
                   {std::string(kIndicatorLabel), indicator},
                   {std::string(kUnitLabel), unit}};
  SortLabels(labels);
  return labels;
}

void WriteOrExit(const SampleBatch& batch, Store* store) {
  if (Status written = store->Write(batch).status(); !written.ok()) {
    std::cerr << "write: " << written.ToString() << "\n";
    std::exit(1);
  }
}

// Writes every reading of `source`'s units into `store`, one batch per commune.
void WriteToStore(const catalog::Catalog& catalog, const MemoryReadingSource& source,
                  Store* store) {
  for (const catalog::Plan& plan : catalog.plans) {
    auto grouped = source.GroupedReadings(plan.unit, kReadingMetric, kIndicatorLabel);
    SampleBatch batch;
    for (const auto& [indicator, readings] : *grouped) {
      const Labels labels = IndicatorSeries(plan.unit, indicator);
      for (const Reading& r : readings) {
        batch.push_back({labels, r.at, r.value, "bench", r.arrived_at, std::nullopt});
      }
    }
    WriteOrExit(batch, store);
  }
}

// What arrives between two cycles: `communes` communes (the next ones after those of the
// previous round) correct their December 2025 reading of every indicator, one batch each.
void WriteRound(const catalog::Catalog& catalog, int communes, int round, TimestampMs now,
                Store* store) {
  const TimestampMs december = EndOfDay({2025, 12, 31}, TimeZone());
  for (int c = 0; c < communes; ++c) {
    const catalog::Plan& plan = catalog.plans[(round * communes + c) % catalog.plans.size()];
    SampleBatch batch;
    for (const catalog::Target& target : plan.targets) {
      batch.push_back({IndicatorSeries(plan.unit, target.indicator), december, 50.0 + round,
                       "bench", now, std::nullopt});
    }
    WriteOrExit(batch, store);
  }
}

// Seconds to read what a cycle reads of every commune (its indicator readings and report
// submissions, grouped), without evaluating: the reading share of a cycle.
double ReadingSeconds(const catalog::Catalog& catalog, const ReadingSource& source) {
  const auto started = std::chrono::steady_clock::now();
  for (const catalog::Plan& plan : catalog.plans) {
    for (auto [metric, label] : {std::pair{kReadingMetric, kIndicatorLabel},
                                 std::pair{kReportSubmissionMetric, kReportLabel}}) {
      if (!source.GroupedReadings(plan.unit, metric, label).ok()) {
        std::cerr << "cannot read the series of " << plan.unit << "\n";
        std::exit(1);
      }
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

constexpr const char* kUsage =
    "usage: chiso_bench_evaluation [--communes N] [--cycles N] [--data-dir DIR] [--changes N]";

int Main(int argc, char** argv) {
  namespace po = boost::program_options;
  int communes = 3321;
  int cycles = 3;
  int changes = 0;
  std::string data_dir;
  po::options_description options("options");
  options.add_options()("communes", po::value(&communes), "communes in the catalog (default 3321)")(
      "cycles", po::value(&cycles), "evaluation cycles to time (default 3)")(
      "data-dir", po::value(&data_dir), "read through a store there (written on first use)")(
      "changes", po::value(&changes), "with --data-dir: communes written before each later cycle");
  po::variables_map values;
  if (auto exit_code =
          tools::ParseCommandLine("chiso_bench_evaluation", kUsage, options, argc, argv, &values)) {
    return *exit_code;
  }
  if (communes < 1 || cycles < 1 || changes < 0) {
    std::cerr << "chiso_bench_evaluation: --communes and --cycles must be at least 1, --changes "
                 "at least 0\n"
              << kUsage << "\n";
    return 2;
  }
  const double rss_start = tools::ProcessMemoryMiB("VmRSS");
  const tools::NationalShape shape = BenchShape(communes);
  auto catalog = tools::NationalCatalog(shape);
  MemoryReadingSource source;
  tools::AddNationalReadings(*catalog, shape, &source);
  const double rss_loaded = tools::ProcessMemoryMiB("VmRSS");
  std::printf(
      "%d communes x %d indicators x %d readings = %lld readings; %d rules, %d tasks each\n",
      communes, shape.indicators, shape.readings,
      static_cast<long long>(communes) * shape.indicators * shape.readings, shape.reporting_rules,
      shape.tasks);
  std::printf("RSS: %.0f MiB at start, %.0f MiB with catalog and readings in memory\n", rss_start,
              rss_loaded);

  std::unique_ptr<Store> store;
  std::unique_ptr<StoreReadingSource> store_source;
  const ReadingSource* cycle_source = &source;
  if (!data_dir.empty()) {
    StoreOptions options;
    options.data_dir = data_dir;
    auto opened = Store::Open(options);
    if (!opened.ok()) {
      std::cerr << opened.status().ToString() << "\n";
      return 1;
    }
    store = std::move(opened.value());
    if (store->Stats().series == 0) {
      const auto started = std::chrono::steady_clock::now();
      WriteToStore(*catalog, source, store.get());
      std::printf(
          "wrote the readings into %s in %.1f s\n", data_dir.c_str(),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    std::printf("store: %llu series, %.0f MiB on disk\n",
                static_cast<unsigned long long>(store->Stats().series),
                static_cast<double>(store->Stats().bytes_on_disk) / (1 << 20));
    store_source = std::make_unique<StoreReadingSource>(store.get());
    cycle_source = store_source.get();
  }

  const TimestampMs now = tools::NationalEvaluationTime();
  std::vector<double> seconds;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    if (cycle > 0 && store != nullptr && changes > 0) {
      WriteRound(*catalog, changes, cycle, now, store.get());
    }
    const std::uint64_t reads_before = store_source != nullptr ? store_source->StoreReads() : 0;
    const auto started = std::chrono::steady_clock::now();
    const Evaluation evaluation = Evaluate(catalog, *cycle_source, {}, now);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (store_source != nullptr) {
      std::printf("cycle %d: %.3f s, %llu store reads\n", cycle + 1, seconds.back(),
                  static_cast<unsigned long long>(store_source->StoreReads() - reads_before));
    }
    if (cycle == 0) {
      std::size_t counts[kIndicatorStatuses.size()] = {};
      for (const IndicatorRow& row : evaluation.indicators) {
        ++counts[static_cast<std::size_t>(row.assessment.status)];
      }
      std::printf("rows: %zu indicators, %zu reports, %zu tasks; statuses:",
                  evaluation.indicators.size(), evaluation.reports.size(), evaluation.tasks.size());
      for (IndicatorStatus status : kIndicatorStatuses) {
        std::printf(" %s=%zu", std::string(IndicatorStatusName(status)).c_str(),
                    counts[static_cast<std::size_t>(status)]);
      }
      std::printf("\nRSS while the evaluation is held: %.0f MiB\n",
                  tools::ProcessMemoryMiB("VmRSS"));
    }
  }
  std::printf("reading alone (every commune's series, no evaluation): %.3f s\n",
              ReadingSeconds(*catalog, *cycle_source));
  // With a store the first cycle fills StoreReadingSource's cache; the later ones are what the
  // service pays every cycle.
  std::printf("first cycle: %.3f s\n", seconds.front());
  std::vector<double> later(seconds.begin() + 1, seconds.end());
  if (!later.empty()) {
    std::sort(later.begin(), later.end());
    std::printf(
        "later %zu cycles (%d communes written before each): min %.3f s, median %.3f s, "
        "max %.3f s\n",
        later.size(), store != nullptr ? changes : 0, later.front(), later[later.size() / 2],
        later.back());
  }
  std::printf("peak RSS (VmHWM): %.0f MiB\n", tools::ProcessMemoryMiB("VmHWM"));
  return 0;
}

}  // namespace
}  // namespace chiso::rules::bench

int main(int argc, char** argv) { return chiso::rules::bench::Main(argc, argv); }
