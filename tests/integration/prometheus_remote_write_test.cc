// Integration, against the real binary: a real Prometheus (Debian package) scrapes chiso and
// remote-writes what it scraped into chiso's POST /api/v1/write. After both are stopped, the series
// Prometheus sent are read back from chiso's store directory: acknowledged samples are durable and
// carry their writer.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "store/store.h"
#include "tests/integration/prometheus_pair.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace chiso {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;

const std::string kSecret = "prometheus-remote-write-secret";

// The value of chiso_ingest_samples_total{protocol="remote_write"} on chiso's /metrics, or 0.
double RemoteWriteSamples(std::uint16_t port) {
  auto metrics = testing::HttpCall(port, "GET", "/metrics");
  if (!metrics || metrics->status != 200) return 0;
  std::smatch match;
  static const std::regex kLine(
      "chiso_ingest_samples_total\\{protocol=\"remote_write\"\\} ([0-9.e+]+)");
  return std::regex_search(metrics->body, match, kLine) ? std::stod(match[1]) : 0;
}

TEST(PrometheusRemoteWriteTest, WhatPrometheusSendsIsStored) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("chiso_prom_rw_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  auto chiso = integration::StartChiso(dir / "data", kSecret);
  const std::optional<std::uint16_t> serving = integration::ServingPort(*chiso);
  ASSERT_TRUE(serving.has_value()) << chiso->stderr_text();
  const std::uint16_t chiso_port = *serving;

  const std::string target = "127.0.0.1:" + std::to_string(chiso_port);
  std::ofstream(dir / "prometheus.yml")
      << "global:\n  scrape_interval: 1s\n"
      << "scrape_configs:\n  - job_name: chiso\n"
      << "    static_configs: [{targets: ['" << target << "']}]\n"
      << "remote_write:\n  - url: http://" << target << "/api/v1/write\n"
      << "    authorization: {credentials: " << kSecret << "}\n"
      << "    queue_config: {batch_send_deadline: 1s, min_backoff: 100ms}\n";
  std::string why;
  auto prometheus = integration::StartPrometheus(dir / "prometheus.yml", dir / "tsdb",
                                                 integration::FreePort(), &why);
  ASSERT_TRUE(prometheus) << why;
  ChildProcess& server = *prometheus;

  // Prometheus scrapes every second and sends within a second of that; allow for a slow machine.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  double samples = 0;
  while ((samples = RemoteWriteSamples(chiso_port)) < 20 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_GE(samples, 20) << server.stderr_text();

  ASSERT_EQ(integration::StopPrometheusThenChiso(server, chiso), "");

  StoreOptions options;
  options.data_dir = dir / "data";
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::vector<LabelMatcher> up{LabelMatcher::Equal("__name__", "up"),
                                     LabelMatcher::Equal("job", "chiso")};
  auto series = (*store)->Select(up, kMinSampleTimestamp, kMaxSampleTimestamp);
  ASSERT_TRUE(series.ok()) << series.status().ToString();
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ(LabelValue((*series)[0].labels, "instance"), target);
  ASSERT_FALSE((*series)[0].samples.empty());
  EXPECT_EQ((*series)[0].samples.back().value, 1);
  EXPECT_EQ((*series)[0].samples.back().writer, "bootstrap_admin");
  const std::vector<LabelMatcher> plans{LabelMatcher::Equal("__name__", "chiso_catalog_entries"),
                                        LabelMatcher::Equal("kind", "plans")};
  auto catalog = (*store)->Latest(plans);
  ASSERT_TRUE(catalog.ok() && catalog->size() == 1) << "chiso's own metrics, scraped and sent back";
  EXPECT_EQ((*catalog)[0].sample.value, 5);
  store->reset();
  std::filesystem::remove_all(dir);
}

// Broken input over real HTTP: each request gets a 4xx naming the problem, the server stays up
// and the valid writes around them are stored.
TEST(IngestOverHttpTest, BrokenInputGets4xxAndTheServerStaysUp) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("chiso_ingest_http_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ChildProcess chiso(CHISO_BINARY,
                     {"serve", "--listen", "127.0.0.1:0", "--data-dir", (dir / "data").string()},
                     {"CHISO_ADMIN_TOKEN=" + kSecret});
  auto line = chiso.WaitForStderrLine("serving", 30s);
  ASSERT_TRUE(line.has_value()) << chiso.stderr_text();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(*line, match, std::regex("http://127\\.0\\.0\\.1:(\\d+)")));
  const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
  const std::string auth = "Authorization: Bearer " + kSecret;
  const auto post = [&](const std::string& target, const std::string& body) {
    return testing::HttpCall(port, "POST", target, body, auth);
  };

  ASSERT_EQ(post("/write", "dvc_probe,unit=gia_loc v=1\n")->status, 204);
  struct Broken {
    std::string target, body, message_part;
  };
  const std::vector<Broken> corpus = {
      {"/write", "m,t=" + std::string(10u << 20, 'x') + " v=1\n", "line 1: value of label"},
      {"/api/v1/readings", "{\"readings\":[{\"unit\":\"Gia L\xF4\x63\"}]}", "not valid JSON"},
      {"/api/v1/readings",
       R"({"readings":[{"indicator":"mobile_6g_coverage_pct","unit":"gia_loc","value":101,"period":"2025"}]})",
       "readings[0]: value 101 is outside 0..100"},
      {"/api/v1/import/csv", "chi_tieu,don_vi,ky,gia_tri\n", "unknown column"},
      {"/api/v1/write", "\xff\xfe\xfd", "snappy"},
  };
  for (const Broken& broken : corpus) {
    auto response = post(broken.target, broken.body);
    ASSERT_TRUE(response.has_value()) << broken.message_part;
    EXPECT_EQ(response->status / 100, 4) << response->body.substr(0, 300);
    EXPECT_NE(response->body.find(broken.message_part), std::string::npos)
        << response->body.substr(0, 300);
  }
  ASSERT_EQ(
      post("/write", "dvc_probe,unit=gia_loc v=2 " +
                         std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count()) +
                         "\n")
          ->status,
      204);
  EXPECT_EQ(testing::HttpCall(port, "GET", "/healthz")->status, 200);
  auto metrics = testing::HttpCall(port, "GET", "/metrics");
  EXPECT_NE(metrics->body.find("chiso_ingest_samples_total{protocol=\"influx\"} 2"),
            std::string::npos);
  EXPECT_NE(metrics->body.find(
                "chiso_ingest_rejected_total{protocol=\"remote_write\",reason=\"malformed\"} 1"),
            std::string::npos);
  chiso.Signal(SIGTERM);
  EXPECT_TRUE(chiso.WaitForExit(30s).has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chiso
