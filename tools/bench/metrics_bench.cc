// chiso_bench_metrics: the cost of GET /metrics at national scale. Builds the synthetic national
// catalog (tools/national: 3,321 communes in 34 provinces, 30 targets each, a year of monthly
// readings), evaluates it once, then renders /metrics through the Router exactly as the HTTP
// handler does (registry, collectables, serializer) and prints render time, bytes, series and
// the process's resident memory. Run a release build:
//
//   build/release/tools/chiso_bench_metrics [--communes N] [--renders N] [--query 'province=ID']
//                                           [--rules FILE] [--serve PORT]
//
// --rules adds the alerts those rule files raise on the evaluation (e.g. deploy/rules/
// default.yaml; series rules are not evaluated): chiso_alerts, pending or firing.
// --query renders `/metrics?QUERY` (e.g. one province's shard). With --serve the program then
// serves the same router on 127.0.0.1:PORT until SIGINT or SIGTERM, for a real Prometheus to
// scrape (tools/bench/run_metrics_scrape.sh).
#include <prometheus/registry.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "api/evaluation_metrics.h"
#include "api/router.h"
#include "api/server.h"
#include "rules/alerting/alert_rules.h"
#include "tools/command_line.h"
#include "tools/national/national_catalog.h"

namespace chiso::tools {
namespace {

// Lines of the exposition that are samples (neither comments nor blank).
std::size_t SeriesIn(const std::string& text) {
  std::size_t series = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start && text[start] != '#') ++series;
    start = end + 1;
  }
  return series;
}

// Parses "a=b&c=d" into a request's query (values taken as they are, not percent-decoded).
void SetQuery(const std::string& query, api::HttpRequest* request) {
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    request->query[pair.substr(0, equals)] =
        equals == std::string::npos ? "" : pair.substr(equals + 1);
    start = end + 1;
  }
}

// Serves `router` on 127.0.0.1:`port` until SIGINT or SIGTERM.
int Serve(const api::Router& router, prometheus::Registry* registry, std::uint16_t port) {
  api::HttpProbe probe(*registry);
  api::ServerOptions options;
  options.port = port;
  options.threads = 2;
  api::HttpServer server(
      options, [&router](const api::HttpRequest& request) { return router.Handle(request); },
      &probe);
  if (Status started = server.Start(); !started.ok()) {
    std::cerr << started.ToString() << "\n";
    return 1;
  }
  std::printf("serving http://127.0.0.1:%u/metrics\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  int signal = 0;
  sigwait(&stop, &signal);
  server.Stop();
  return 0;
}

constexpr const char* kUsage =
    "usage: chiso_bench_metrics [--communes N] [--renders N] [--query QUERY] [--rules FILE]... "
    "[--serve PORT]";

int Main(int argc, char** argv) {
  namespace po = boost::program_options;
  NationalShape shape;
  int renders = 5;
  std::string query;
  std::vector<std::string> rule_files;
  int port = -1;
  po::options_description options("options");
  options.add_options()("communes", po::value(&shape.communes),
                        "communes in the catalog (default 3321)")("renders", po::value(&renders),
                                                                  "renders to time (default 5)")(
      "query", po::value(&query), "render /metrics?QUERY, e.g. province=province_00")(
      "rules", po::value(&rule_files), "alert rule file whose alerts to export (repeatable)")(
      "serve", po::value(&port), "then serve /metrics on 127.0.0.1:PORT (0: a free port)");
  po::variables_map values;
  if (auto exit_code =
          ParseCommandLine("chiso_bench_metrics", kUsage, options, argc, argv, &values)) {
    return *exit_code;
  }
  if (shape.communes < 1 || renders < 1 || port > 65535) {
    std::cerr << "chiso_bench_metrics: --communes and --renders must be at least 1, --serve a "
                 "port\n"
              << kUsage << "\n";
    return 2;
  }
  // Blocked before any thread starts, so that only Serve's sigwait receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto catalog = NationalCatalog(shape);
  rules::MemoryReadingSource source;
  AddNationalReadings(*catalog, shape, &source);
  rules::MemoryTaskProgressLog progress;
  FakeClock clock(NationalEvaluationTime());
  rules::Evaluator evaluator(&source, &progress, &clock);
  const auto evaluation = evaluator.Run(catalog);
  std::printf(
      "%d communes in %d provinces x %d targets, %d monthly readings: %zu indicator rows, "
      "%zu report rows, %zu task rows\n",
      shape.communes, shape.provinces, shape.indicators, shape.readings,
      evaluation->indicators.size(), evaluation->reports.size(), evaluation->tasks.size());
  std::printf("RSS with the evaluation held: %.0f MiB\n", ProcessMemoryMiB("VmRSS"));

  std::vector<SourceFile> rule_sources;
  for (const std::string& path : rule_files) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file) {
      std::cerr << "cannot read " << path << "\n";
      return 1;
    }
    rule_sources.push_back({path, text.str()});
  }
  rules::AlertRuleLoad rule_load = rules::LoadAlertRules(rule_sources, nullptr);
  if (!rule_load.problems.empty()) {
    for (const Diagnostic& problem : rule_load.problems) std::cerr << problem.ToString() << "\n";
    return 1;
  }
  rules::MemoryAlertLog alert_log;
  rules::Alerting alerting(&alert_log);
  alerting.SetRules(std::move(rule_load.rules));
  if (Status updated = alerting.Update(*evaluation, clock.Now()); !updated.ok()) {
    std::cerr << updated.ToString() << "\n";
    return 1;
  }
  std::printf("alerts pending or firing: %zu\n", alerting.Alerts().size());

  api::SnapshotHolder snapshots;
  snapshots.Set(std::make_shared<const api::ServiceSnapshot>(
      api::ServiceSnapshot{catalog, std::make_shared<const ingest::TokenTable>(), true}));
  prometheus::Registry registry;
  api::Router router(&snapshots, &registry, {});
  router.AddExposition(std::make_shared<api::EvaluationMetrics>(&evaluator));
  router.AddExposition(std::make_shared<api::AlertMetrics>(&alerting));

  api::HttpRequest request;
  request.method = "GET";
  request.path = "/metrics";
  request.target = query.empty() ? "/metrics" : "/metrics?" + query;
  SetQuery(query, &request);
  std::vector<double> seconds;
  api::HttpResponse response;
  for (int i = 0; i < renders; ++i) {
    const auto started = std::chrono::steady_clock::now();
    response = router.Handle(request);
    seconds.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (i == 0) std::printf("RSS after a render: %.0f MiB\n", ProcessMemoryMiB("VmRSS"));
  }
  if (response.status != 200) {
    std::cerr << request.target << " answered " << response.status << ": " << response.body << "\n";
    return 1;
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("%s: %zu bytes (%.1f MiB), %zu series\n", request.target.c_str(),
              response.body.size(), static_cast<double>(response.body.size()) / (1 << 20),
              SeriesIn(response.body));
  std::printf("render (%d times): min %.3f s, median %.3f s, max %.3f s\n", renders,
              seconds.front(), seconds[seconds.size() / 2], seconds.back());
  std::printf("peak RSS (VmHWM): %.0f MiB\n", ProcessMemoryMiB("VmHWM"));
  if (port < 0) return 0;
  return Serve(router, &registry, static_cast<std::uint16_t>(port));
}

}  // namespace
}  // namespace chiso::tools

int main(int argc, char** argv) { return chiso::tools::Main(argc, argv); }
