// chiso_demo_history: writes a plausible history of the five seed communes (readings from January
// 2025 up to the evaluation day) and prints the status table, the latest reports and the overdue
// tasks that an evaluation at that day gives.
//
//   chiso_demo_history [--deploy DIR] [--now YYYY-MM-DD] [--data-dir DIR]
//
// With --data-dir the history (readings, report submissions, task progress) is written into the
// store there and the table is evaluated from it, as the service does; `chiso serve --data-dir
// DIR` then shows the same table.
// Every (unit, indicator) gets a profile from a hash of its names, so the history is the same on
// every run: most indicators progress a little ahead of their plan, some at half the pace
// needed, some stop reporting in mid-2026, some never report. Offices report 2 days after each
// period; Tây Giang always reports late, Nghĩa Đàn late during 2026, and Kim Thành skips
// September 2026. Four offices in five also mark each report as sent (the submission series, the
// only trace of a narrative report); the fifth never does. Half of the tasks get a progress record
// for their current deadline, a quarter of them `done`.
//
// The plans state no baselines, so the history starts at a value the profile picks (55–80% of
// the first milestone for an `up` indicator); the trajectory then starts at that first reading.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/catalog_loader.h"
#include "rules/assess/evaluator.h"
#include "rules/store_backed/store_source.h"
#include "tools/command_line.h"
#include "tools/demo_history/history.h"

namespace chiso::rules::demo {
namespace {

// The .yaml files directly in `dir`, sorted by path; NotFound naming the path when the directory
// or one of its files cannot be read.
Result<std::vector<SourceFile>> YamlFilesIn(const std::filesystem::path& dir) {
  std::vector<SourceFile> out;
  std::error_code error;
  std::filesystem::directory_iterator entries(dir, error);
  for (; !error && entries != std::filesystem::directory_iterator(); entries.increment(error)) {
    const std::filesystem::path& path = entries->path();
    if (path.extension() != ".yaml") continue;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Status::NotFound("cannot read " + path.string());
    out.push_back({path.string(), text.str()});
  }
  if (error) return Status::NotFound("cannot read " + dir.string() + ": " + error.message());
  std::sort(out.begin(), out.end(),
            [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
  return out;
}

std::string Format(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", *value);
  return buf;
}

void PrintStatusTable(const Evaluation& evaluation) {
  std::printf(
      "| unit | indicator | office | value | expected | target | forecast | pace | status |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  std::map<std::string, int> counts;
  for (const IndicatorRow& row : evaluation.indicators) {
    const IndicatorAssessment& a = row.assessment;
    std::string target = "-";
    if (a.target) {
      target = std::string(catalog::ComparisonSymbol(a.target->op)) + " " +
               Format(a.target->target) + " by " + a.target->date.ToString();
    }
    std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", row.unit->id.c_str(),
                row.indicator->code.c_str(), row.office.c_str(),
                Format(a.latest ? std::optional(a.latest->value) : std::nullopt).c_str(),
                Format(a.expected).c_str(), target.c_str(), Format(a.forecast).c_str(),
                a.pace ? Format(*a.pace).c_str() : "-",
                std::string(IndicatorStatusName(a.status)).c_str());
    ++counts[std::string(IndicatorStatusName(a.status))];
  }
  std::printf("\nstatus counts:");
  for (const auto& [status, n] : counts) std::printf(" %s=%d", status.c_str(), n);
  std::printf("\n");
}

void PrintReports(const Evaluation& evaluation) {
  std::printf("\n| unit | report | office | period | due | received | state |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const ReportRow& row : evaluation.reports) {
    const ReportAssessment& a = row.assessment;
    const std::string received =
        a.received_at ? LocalDate(*a.received_at, row.unit->zone).ToString() : "-";
    std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", row.unit->id.c_str(), a.rule->id.c_str(),
                a.rule->office.c_str(), a.period.ToString().c_str(),
                LocalDate(a.due_at, row.unit->zone).ToString().c_str(), received.c_str(),
                std::string(ReportStateName(a.state)).c_str());
  }
}

void PrintTasks(const Evaluation& evaluation) {
  std::map<std::string, std::pair<int, int>> by_unit;  // overdue, total
  for (const TaskRow& row : evaluation.tasks) {
    auto& [overdue, total] = by_unit[row.unit->id];
    overdue += row.assessment.overdue;
    ++total;
  }
  std::printf("\ntasks overdue:");
  for (const auto& [unit, counts] : by_unit) {
    std::printf(" %s %d/%d", unit.c_str(), counts.first, counts.second);
  }
  std::printf("\n");
}

// Writes the history into `store`, one batch per series.
Status WriteToStore(const DemoHistory& history, Store* store) {
  for (const DemoSeries& series : history.series) {
    SampleBatch batch;
    for (const Reading& r : series.readings) {
      batch.push_back(
          {series.labels, r.at, r.value, "chiso_demo_history", r.arrived_at, std::nullopt});
    }
    if (auto written = store->Write(batch); !written.ok()) return written.status();
  }
  StoreTaskProgressLog progress(store);
  for (const TaskProgress& record : history.progress) {
    if (Status recorded = progress.Record(record); !recorded.ok()) return recorded;
  }
  return Status::Ok();
}

constexpr const char* kUsage =
    "usage: chiso_demo_history [--deploy DIR] [--now YYYY-MM-DD] [--data-dir DIR]";

int Main(int argc, char** argv) {
  namespace po = boost::program_options;
  std::string deploy_flag = "deploy";
  std::string now_flag = "2026-11-22";
  std::string data_dir;
  po::options_description options("options");
  options.add_options()("deploy", po::value(&deploy_flag),
                        "the deploy directory with catalog/ and plans/ (default: deploy)")(
      "now", po::value(&now_flag), "the evaluation day (default: 2026-11-22)")(
      "data-dir", po::value(&data_dir), "also write the history into the store there");
  po::variables_map values;
  if (auto exit_code =
          tools::ParseCommandLine("chiso_demo_history", kUsage, options, argc, argv, &values)) {
    return *exit_code;
  }
  auto date = ParseIsoDate(now_flag);
  if (!date.ok()) {
    std::cerr << "chiso_demo_history: --now: " << date.status().message() << "\n";
    return 2;
  }
  const CivilDate today = *date;
  const std::filesystem::path deploy = deploy_flag;
  auto catalog_files = YamlFilesIn(deploy / "catalog");
  auto plan_files = catalog_files.ok() ? YamlFilesIn(deploy / "plans") : catalog_files;
  if (!plan_files.ok()) {
    std::cerr << "chiso_demo_history: " << plan_files.status().message()
              << " (pass --deploy DIR, the repository's deploy/ directory)\n";
    return 1;
  }
  catalog::CatalogLoad load = catalog::LoadCatalog(*catalog_files, *plan_files);
  if (!load.problems.empty()) {
    for (const Diagnostic& problem : load.problems) std::cerr << problem.ToString() << "\n";
    return 1;
  }
  const TimestampMs now = StartOfDay(today, TimeZone{}) + 10 * 3'600'000;
  const DemoHistory history = GenerateHistory(*load.catalog, now);
  MemoryReadingSource memory;
  for (const DemoSeries& series : history.series) memory.Add(series.labels, series.readings);
  const ReadingSource* source = &memory;
  std::unique_ptr<Store> store;
  std::unique_ptr<StoreReadingSource> stored;
  if (!data_dir.empty()) {
    StoreOptions options;
    options.data_dir = data_dir;
    auto opened = Store::Open(options);
    Status written = opened.ok() ? WriteToStore(history, opened->get()) : opened.status();
    if (!written.ok()) {
      std::cerr << "--data-dir " << data_dir << ": " << written.ToString() << "\n";
      return 1;
    }
    store = std::move(opened.value());
    stored = std::make_unique<StoreReadingSource>(store.get());
    source = stored.get();
  }
  std::printf("evaluated at %s 10:00 (UTC+7) from %s: %zu series, %zu readings\n\n",
              today.ToString().c_str(), data_dir.empty() ? "memory" : data_dir.c_str(),
              history.series.size(), history.reading_count());
  const Evaluation evaluation = Evaluate(load.catalog, *source, history.progress, now);
  PrintStatusTable(evaluation);
  PrintReports(evaluation);
  PrintTasks(evaluation);
  for (const std::string& problem : evaluation.problems) std::cerr << problem << "\n";
  return evaluation.problems.empty() ? 0 : 1;
}

}  // namespace
}  // namespace chiso::rules::demo

int main(int argc, char** argv) {
  try {
    return chiso::rules::demo::Main(argc, argv);
  } catch (const std::exception& error) {  // e.g. a file system error: say it, do not abort
    std::cerr << "chiso_demo_history: " << error.what() << "\n";
    return 1;
  }
}
