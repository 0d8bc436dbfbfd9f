// Integration, against the real binary: a real Prometheus (Debian package) remote-writes into
// chiso through an overload window, and loses nothing. chiso limits its token's rate; the test
// spends that rate with one large write under the same token, so for a few seconds every
// remote-write request is refused with 503 and Retry-After. Prometheus retries 5xx, and once the
// rate has refilled it catches up on its own. Then scraping is switched off (a config reload), the
// queue drains, and Prometheus' own counters are compared with what chiso stored.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "store/store.h"
#include "tests/integration/prometheus_pair.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace chiso {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;

const std::string kSecret = "prometheus-overload-secret";

// chiso's token rate: several times what Prometheus offers (about 1,300 samples per scrape of
// chiso's /metrics, once a second), so outside the window nothing is refused.
constexpr int kRatePerSecond = 5000;
// Samples the test writes at once under Prometheus' token: they leave the token this many
// samples in debt beyond its burst (one second of rate), a window of about three seconds.
constexpr int kSpendingSamples = 4 * kRatePerSecond;

// The sample values on a Prometheus text exposition, by the series as written there
// ("name" or "name{labels}"). Comment lines are skipped.
std::map<std::string, double> ParseExposition(const std::string& text) {
  std::map<std::string, double> values;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    values[line.substr(0, space)] = std::strtod(line.c_str() + space + 1, nullptr);
  }
  return values;
}

// What a process exposes on /metrics, or nothing when it does not answer 200.
std::map<std::string, double> Scrape(std::uint16_t port) {
  auto metrics = testing::HttpCall(port, "GET", "/metrics");
  if (!metrics || metrics->status != 200) return {};
  return ParseExposition(metrics->body);
}

// The sum of every series of `name` (any labels) in `values`; -1 when there is none.
double Total(const std::map<std::string, double>& values, const std::string& name) {
  double total = -1;
  for (const auto& [series, value] : values) {
    if (series == name || series.starts_with(name + "{")) total = std::max(total, 0.0) + value;
  }
  return total;
}

double Value(const std::map<std::string, double>& values, const std::string& series) {
  auto it = values.find(series);
  return it == values.end() ? -1 : it->second;
}

// Polls `condition` every 200 ms until it holds or `within` has passed.
template <typename Condition>
bool WaitFor(Condition condition, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(200ms);
  }
  return true;
}

const std::string kStoredRemoteWrite = "chiso_ingest_samples_total{protocol=\"remote_write\"}";
const std::string kRateLimitedRemoteWrite =
    "chiso_ingest_rejected_total{protocol=\"remote_write\",reason=\"rate_limited\"}";

std::string PrometheusConfig(const std::string& target, bool scrape) {
  std::ostringstream config;
  config << "global:\n  scrape_interval: 1s\n";
  if (scrape) {
    config << "scrape_configs:\n  - job_name: chiso\n"
           << "    static_configs: [{targets: ['" << target << "']}]\n";
  }
  config << "remote_write:\n  - url: http://" << target << "/api/v1/write\n"
         << "    authorization: {credentials: " << kSecret << "}\n"
         << "    queue_config: {batch_send_deadline: 500ms, min_backoff: 50ms, max_backoff: 1s}\n";
  return config.str();
}

TEST(PrometheusRemoteWriteTest, OverloadWindowLosesNoSample) {
  const std::string prometheus = testing::FindOnPath("prometheus");
  ASSERT_FALSE(prometheus.empty()) << "the Debian package prometheus must be installed";
  const char* source_dir = std::getenv("CHISO_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr) << "run through ctest, which sets CHISO_SOURCE_DIR";
  const std::filesystem::path deploy = std::filesystem::path(source_dir) / "deploy";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("chiso_prom_overload_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  std::ofstream(dir / "chiso.yaml")
      << "catalog: ['" << (deploy / "catalog").string() << "/*.yaml']\n"
      << "plans: ['" << (deploy / "plans").string() << "/*.yaml']\n"
      << "open_operational_endpoints: true\n"
      << "ingest:\n  rate_samples_per_second: " << kRatePerSecond << "\n  rate_burst_seconds: 1\n";
  auto chiso = std::make_unique<ChildProcess>(
      CHISO_BINARY,
      std::vector<std::string>{"serve", "--config", (dir / "chiso.yaml").string(), "--listen",
                               "127.0.0.1:0", "--data-dir", (dir / "data").string()},
      std::vector<std::string>{"CHISO_ADMIN_TOKEN=" + kSecret});
  const std::optional<std::uint16_t> serving = integration::ServingPort(*chiso);
  ASSERT_TRUE(serving.has_value()) << chiso->stderr_text();
  const std::uint16_t chiso_port = *serving;

  const std::string target = "127.0.0.1:" + std::to_string(chiso_port);
  const auto config_file = dir / "prometheus.yml";
  std::ofstream(config_file) << PrometheusConfig(target, /*scrape=*/true);
  const std::uint16_t prometheus_port = integration::FreePort();
  ChildProcess server(
      prometheus,
      {"--config.file=" + config_file.string(), "--storage.tsdb.path=" + (dir / "tsdb").string(),
       "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)});
  ASSERT_TRUE(server.WaitForStderrLine("Server is ready to receive web requests", 60s))
      << server.stderr_text();

  // Remote write flows before the window opens.
  ASSERT_TRUE(WaitFor([&] { return Value(Scrape(chiso_port), kStoredRemoteWrite) > 0; }, 20s))
      << "nothing remote-written within 20 s\n"
      << server.stderr_text();

  // Open the window: spend the token's rate (and more) with one write of the line protocol. It is
  // admitted whenever the token is not already in debt, which Prometheus alone never causes.
  std::string spending;
  const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  for (int i = 0; i < kSpendingSamples; ++i) {
    spending += "overload_spending,unit=gia_loc v=" + std::to_string(i) + " " +
                std::to_string(now_ns - std::int64_t{i} * 1'000'000) + "\n";
  }
  int spending_status = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto response = testing::HttpCall(chiso_port, "POST", "/write", spending,
                                          "Authorization: Bearer " + kSecret);
        spending_status = response ? response->status : 0;
        return spending_status == 204;
      },
      10s))
      << "the spending write was answered " << spending_status;

  // Prometheus meets the spent rate: 503 with Retry-After, counted by chiso as rate_limited.
  ASSERT_TRUE(WaitFor([&] { return Value(Scrape(chiso_port), kRateLimitedRemoteWrite) > 0; }, 10s))
      << "no remote write was refused within 10 s of spending the rate\n"
      << server.stderr_text();

  // The window closes as the rate refills; scraping goes on all along. Two seconds in, note what
  // Prometheus has taken in so far, and wait for chiso to hold at least that much: Prometheus has
  // caught up with what it scraped during the window.
  std::this_thread::sleep_for(2s);
  const double in_during_window =
      Value(Scrape(prometheus_port), "prometheus_remote_storage_samples_in_total");
  ASSERT_TRUE(WaitFor(
      [&] { return Value(Scrape(chiso_port), kStoredRemoteWrite) >= in_during_window; }, 20s))
      << "Prometheus did not catch up within 20 s with the " << in_during_window
      << " samples it took in during the window\n"
      << server.stderr_text();

  // Stop scraping, keep the remote write as it is: Prometheus drains its queue (and sends the
  // staleness markers of the scrape it stopped, about two intervals later) into chiso.
  std::ofstream(config_file, std::ios::trunc) << PrometheusConfig(target, /*scrape=*/false);
  server.Signal(SIGHUP);
  ASSERT_TRUE(server.WaitForStderrLine("Completed loading of configuration file", 10s))
      << server.stderr_text();
  const auto reloaded = std::chrono::steady_clock::now();

  // Drained: everything Prometheus took in is stored in chiso, nothing is pending, and no new
  // sample arrived in the last second, at least three scrape intervals after the reload.
  std::map<std::string, double> prom, ours;
  double last_in = -1;
  const bool drained = WaitFor(
      [&] {
        std::this_thread::sleep_for(800ms);
        prom = Scrape(prometheus_port);
        ours = Scrape(chiso_port);
        const double in = Value(prom, "prometheus_remote_storage_samples_in_total");
        const bool settled = in == last_in;
        last_in = in;
        return in > 0 && settled && std::chrono::steady_clock::now() - reloaded > 3s &&
               Total(prom, "prometheus_remote_storage_samples_pending") == 0 &&
               Value(ours, kStoredRemoteWrite) == in;
      },
      25s);

  const double in = Value(prom, "prometheus_remote_storage_samples_in_total");
  const double sent = Total(prom, "prometheus_remote_storage_samples_total");
  const double retried = Total(prom, "prometheus_remote_storage_samples_retried_total");
  const double failed = Total(prom, "prometheus_remote_storage_samples_failed_total");
  const double dropped = Total(prom, "prometheus_remote_storage_samples_dropped_total");
  const double stored = Value(ours, kStoredRemoteWrite);
  const double refused = Value(ours, kRateLimitedRemoteWrite);
  std::cout << "Prometheus: " << in << " samples in, " << sent << " sent (attempts), " << retried
            << " retried, " << failed << " failed, " << dropped << " dropped; chiso: " << stored
            << " stored, " << refused << " refused as rate-limited\n";
  EXPECT_TRUE(drained) << "Prometheus' queue did not drain into chiso within 25 s of the reload\n"
                       << server.stderr_text();
  EXPECT_GT(retried, 0) << "Prometheus never retried: the overload window did not happen";
  EXPECT_GT(refused, 0);
  EXPECT_EQ(failed, 0) << server.stderr_text();
  EXPECT_LE(dropped, 0) << "dropped samples (or -1: no such series)";
  EXPECT_GT(in, 0);
  EXPECT_EQ(stored, in) << "every sample Prometheus took in is stored by chiso";
  EXPECT_EQ(stored, sent - retried) << "each attempt counts in samples_total, each retry again";

  ASSERT_EQ(integration::StopPrometheusThenChiso(server, chiso), "");

  // chiso's counter is what its store holds: every scraped series, every sample.
  StoreOptions options;
  options.data_dir = dir / "data";
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::vector<LabelMatcher> scraped{LabelMatcher::Equal("job", "chiso")};
  auto series = (*store)->Select(scraped, kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  std::size_t held = 0;
  for (const auto& one : *series) held += one.samples.size();
  std::cout << "chiso's store holds " << held << " samples of " << series->size()
            << " scraped series\n";
  EXPECT_EQ(static_cast<double>(held), in);
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chiso
