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
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "rules/assess/evaluator.h"
#include "rules/store_backed/store_source.h"
#include "tools/command_line.h"

namespace chiso::rules::bench {
namespace {

constexpr int kIndicators = 60;
constexpr int kReadings = 24;
constexpr int kTasks = 10;
const TimeZone kZone;

// "VmRSS" or "VmHWM" of this process, in MiB.
double MemoryMiB(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  }
  return 0;
}

std::string Code(const char* prefix, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d", prefix, i);
  return buf;
}

std::shared_ptr<catalog::Catalog> NationalCatalog(int communes) {
  auto catalog = std::make_shared<catalog::Catalog>();
  catalog->units.push_back({"province", "Tỉnh", catalog::Unit::Level::kProvince, "", kZone, {}});
  const char* offices[] = {"ubnd", "phong_vhxh", "phong_kinh_te", "trung_tam_phvhc", "cong_an_xa"};
  for (const char* office : offices) catalog->offices.push_back({office, office, {}});
  for (int i = 0; i < kIndicators; ++i) {
    catalog::Indicator indicator;
    indicator.code = Code("indicator_", i);
    indicator.name = indicator.code;
    indicator.period = PeriodKind::kMonth;
    indicator.office = offices[i % 5];
    const bool per_year = i >= 54;
    indicator.measure = per_year ? catalog::Measure::kCount : catalog::Measure::kPercent;
    indicator.accumulate =
        per_year ? catalog::Indicator::Accumulate::kYear : catalog::Indicator::Accumulate::kNone;
    indicator.direction = i >= 46 && i < 54 ? catalog::Direction::kDown : catalog::Direction::kUp;
    catalog->indicators.push_back(indicator);
  }
  for (int c = 0; c < communes; ++c) {
    catalog::Unit unit{Code("commune_", c), "Xã",  catalog::Unit::Level::kCommune,
                       "province",          kZone, {}};
    catalog::Plan plan;
    plan.unit = unit.id;
    for (const catalog::Indicator& indicator : catalog->indicators) {
      catalog::Target& target = plan.targets.emplace_back();
      target.indicator = indicator.code;
      target.office = indicator.office;
      const bool down = indicator.direction == catalog::Direction::kDown;
      const double first = indicator.measure == catalog::Measure::kCount ? 2 : down ? 20 : 70;
      const double second = indicator.measure == catalog::Measure::kCount ? 5 : down ? 5 : 90;
      const catalog::Comparison op =
          down ? catalog::Comparison::kLessEqual : catalog::Comparison::kGreaterEqual;
      target.milestones = {{{2026, 12, 31}, op, first, "", ""},
                           {{2030, 12, 31}, op, second, "", ""}};
    }
    const PeriodKind periods[] = {PeriodKind::kMonth, PeriodKind::kQuarter, PeriodKind::kHalf,
                                  PeriodKind::kNineMonths, PeriodKind::kYear};
    for (PeriodKind period : periods) {
      catalog::ReportingRule rule;
      rule.id = std::string(PeriodKindName(period));
      rule.office = "ubnd";
      rule.period = period;
      rule.due_days_after_period_end = 5;
      rule.grace_days = 3;
      plan.reporting.push_back(rule);
    }
    for (int t = 0; t < kTasks; ++t) {
      catalog::Task task;
      task.id = Code("task_", t);
      task.lead = offices[t % 5];
      switch (t % 4) {
        case 0:
          task.schedule = catalog::OneOffDeadline{{2026, 6, 30}};
          break;
        case 1:
          task.schedule = catalog::YearlyRecurrence{12, 31, 2025, 2030};
          break;
        case 2:
          task.schedule = catalog::ContinuousDuty{PeriodKind::kQuarter};
          break;
        default:
          task.schedule = catalog::EventTrigger{"Khi có hướng dẫn"};
          break;
      }
      plan.tasks.push_back(task);
    }
    catalog->units.push_back(std::move(unit));
    catalog->plans.push_back(std::move(plan));
  }
  catalog->BuildIndex();
  return catalog;
}

// 24 monthly readings (2024-01 .. 2025-12) per (commune, indicator), each sent 3 days after its
// month (one series in ten stopped six months early); values drift around the plan so that most
// statuses occur.
void AddReadings(const catalog::Catalog& catalog, MemoryReadingSource* source) {
  for (const catalog::Plan& plan : catalog.plans) {
    const std::size_t unit_hash = std::hash<std::string>()(plan.unit);
    for (std::size_t i = 0; i < plan.targets.size(); ++i) {
      const catalog::Indicator& indicator = *catalog.FindIndicator(plan.targets[i].indicator);
      const double speed = 0.3 + static_cast<double>((unit_hash + i * 7) % 10) / 10.0;
      std::vector<Reading> readings;
      const int count = (unit_hash + i) % 10 == 0 ? kReadings - 6 : kReadings;
      Period month{PeriodKind::kMonth, 2024, 1, 1};
      for (int r = 0; r < count; ++r, month = month.Next()) {
        const TimestampMs at = EndOfDay(month.LastDay(), kZone);
        double value = 0;
        if (indicator.accumulate == catalog::Indicator::Accumulate::kYear) {
          value = std::floor(month.index * speed * 0.4);
        } else if (indicator.direction == catalog::Direction::kDown) {
          value = std::max(0.0, 40 - r * speed);
        } else {
          value = std::min(100.0, 40 + r * speed);
        }
        readings.push_back({at, value, at + 3 * 86'400'000LL});
      }
      source->AddIndicatorReadings(plan.unit, indicator.code, std::move(readings));
    }
  }
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
  const TimestampMs december = EndOfDay({2025, 12, 31}, kZone);
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
  const double rss_start = MemoryMiB("VmRSS");
  auto catalog = NationalCatalog(communes);
  MemoryReadingSource source;
  AddReadings(*catalog, &source);
  const double rss_loaded = MemoryMiB("VmRSS");
  std::printf(
      "%d communes x %d indicators x %d readings = %lld readings; %d rules, %d tasks each\n",
      communes, kIndicators, kReadings, static_cast<long long>(communes) * kIndicators * kReadings,
      5, kTasks);
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

  const TimestampMs now = StartOfDay({2026, 1, 20}, kZone);
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
      std::printf("\nRSS while the evaluation is held: %.0f MiB\n", MemoryMiB("VmRSS"));
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
  std::printf("peak RSS (VmHWM): %.0f MiB\n", MemoryMiB("VmHWM"));
  return 0;
}

}  // namespace
}  // namespace chiso::rules::bench

int main(int argc, char** argv) { return chiso::rules::bench::Main(argc, argv); }
