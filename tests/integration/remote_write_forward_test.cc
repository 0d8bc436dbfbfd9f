// Integration, against the real binary: chiso forwards what it accepts by remote write to a real
// VictoriaMetrics (Debian package victoria-metrics, single node) and a real Prometheus 2.42 with
// its remote-write receiver, through the durable queue in its store: 2025 readings written today
// arrive at their own timestamps, a correction replaces the value, a receiver stopped for 30 s
// misses nothing, after chiso is killed with SIGKILL every acknowledged sample still arrives, and
// the evaluated plan series arrive as they change.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "ingest/testing/bodies.h"
#include "tests/integration/prometheus_pair.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace chiso {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using Points = std::vector<std::pair<TimestampMs, double>>;

const std::string kSecret = "remote-write-forward-secret";
constexpr TimestampMs kJan2025 = 1'735'689'600'000;  // 2025-01-01T00:00:00Z
constexpr TimestampMs kMonth = 2'592'000'000;        // 30 days

class ForwardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("chiso_forward_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A chiso config forwarding to `write_url` with two external labels, and `match` selectors
  // (YAML flow list) when not empty.
  void WriteConfig(const std::string& write_url, const std::string& plan_series_refresh = "1m",
                   const std::string& match = "") {
    const char* source = std::getenv("CHISO_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "CHISO_SOURCE_DIR must name the source tree";
    const std::filesystem::path deploy = std::filesystem::path(source) / "deploy";
    std::ofstream(dir_ / "chiso.yaml")
        << "catalog: [" << (deploy / "catalog/*.yaml").string() << "]\n"
        << "plans: [" << (deploy / "plans/*.yaml").string() << "]\n"
        << "remote_write:\n"
        << "  queue: {min_backoff: 100ms, max_backoff: 1s}\n"
        << "  plan_series_refresh: " << plan_series_refresh << "\n"
        << "  endpoints:\n"
        << "    - name: national\n"
        << "      url: " << write_url << "\n"
        << "      timeout: 5s\n"
        << "      external_labels: {chiso_instance: test_1, province: hai_duong}\n"
        << (match.empty() ? "" : "      match: " + match + "\n");
  }

  void StartChiso() {
    chiso_ = integration::StartChiso(dir_ / "data", kSecret, dir_ / "chiso.yaml");
    const auto port = integration::ServingPort(*chiso_);
    ASSERT_TRUE(port.has_value()) << chiso_->stderr_text();
    chiso_port_ = *port;
  }

  // Remote-writes `points` of `metric`{phase} to chiso; the status (0 when no answer).
  int Write(const std::string& metric, const std::string& phase, const Points& points) {
    const std::string body = ingest::testing::EncodeRemoteWrite(
        {{{{"__name__", metric}, {"phase", phase}, {"unit", "gia_loc"}}, points}});
    auto answer = testing::HttpCall(chiso_port_, "POST", "/api/v1/write", body,
                                    "Authorization: Bearer " + kSecret +
                                        "\r\nContent-Encoding: snappy"
                                        "\r\nContent-Type: application/x-protobuf");
    return answer ? answer->status : 0;
  }

  // Posts readings (JSON objects) to /api/v1/readings; the status (0 when no answer).
  int WriteReadings(const std::string& readings) {
    auto answer =
        testing::HttpCall(chiso_port_, "POST", "/api/v1/readings",
                          "{\"readings\":[" + readings + "]}", "Authorization: Bearer " + kSecret);
    return answer ? answer->status : 0;
  }

  // The value of chiso_forward_samples_<suffix> on chiso's /metrics; -1 when absent.
  double ForwardCounter(const std::string& suffix) {
    auto metrics = testing::HttpCall(chiso_port_, "GET", "/metrics");
    const std::string line = "chiso_forward_samples_" + suffix + " ";
    const std::size_t at = metrics ? metrics->body.find(line) : std::string::npos;
    return at == std::string::npos ? -1 : std::stod(metrics->body.substr(at + line.size()));
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> chiso_;
  std::uint16_t chiso_port_ = 0;
};

// Samples VictoriaMetrics exports, by timestamp (the last value exported for each), and the
// labels of the series; empty when it does not answer.
struct Exported {
  std::map<TimestampMs, double> samples;
  std::size_t raw_count = 0;  // samples exported, duplicates included
  std::map<std::string, std::string> labels;
};
// Of the series `selector` (URL-encoded) selects.
Exported ExportSeries(std::uint16_t port, const std::string& selector) {
  Exported out;
  testing::HttpCall(port, "GET", "/internal/force_flush");
  auto answer = testing::HttpCall(port, "GET", "/api/v1/export?match%5B%5D=" + selector);
  if (!answer || answer->status != 200) return out;
  std::size_t start = 0;
  while (start < answer->body.size()) {
    std::size_t end = answer->body.find('\n', start);
    if (end == std::string::npos) end = answer->body.size();
    const std::string line = answer->body.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const boost::json::object series = boost::json::parse(line).as_object();
    for (const auto& [name, value] : series.at("metric").as_object()) {
      out.labels[std::string(name)] = std::string(value.as_string());
    }
    const auto& values = series.at("values").as_array();
    const auto& timestamps = series.at("timestamps").as_array();
    for (std::size_t i = 0; i < values.size(); ++i) {
      out.samples[timestamps[i].to_number<TimestampMs>()] = values[i].to_number<double>();
      ++out.raw_count;
    }
  }
  return out;
}

// Of `metric`{phase}.
Exported ExportFromVictoriaMetrics(std::uint16_t port, const std::string& metric,
                                   const std::string& phase) {
  return ExportSeries(port, metric + "%7Bphase%3D%22" + phase + "%22%7D");
}

// Polls `done` every 200 ms for at most `within`; whether it became true.
bool Eventually(const std::function<bool()>& done, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return done();
}

// The value of an instant query at `at_seconds` ("" when there is none).
std::string QueryValue(std::uint16_t port, const std::string& query, std::int64_t at_seconds) {
  auto answer = testing::HttpCall(
      port, "GET", "/api/v1/query?query=" + query + "&time=" + std::to_string(at_seconds));
  if (!answer || answer->status != 200) return "";
  const boost::json::value parsed = boost::json::parse(answer->body);
  const auto& result = parsed.at("data").at("result").as_array();
  if (result.empty()) return "";
  return std::string(result[0].at("value").as_array()[1].as_string());
}

// The series of an instant query at `at` (milliseconds; now when 0): labels, timestamp, value.
struct Instant {
  std::map<std::string, std::string> labels;
  TimestampMs timestamp = 0;
  double value = 0;
};
std::vector<Instant> QuerySeries(std::uint16_t port, const std::string& query, TimestampMs at = 0) {
  testing::HttpCall(port, "GET", "/internal/force_flush");
  std::vector<Instant> out;
  auto answer = testing::HttpCall(port, "GET",
                                  "/api/v1/query?query=" + query +
                                      (at ? "&time=" + std::to_string(at / 1000) + "." +
                                                std::to_string(1000 + at % 1000).substr(1)
                                          : ""));
  if (!answer || answer->status != 200) return out;
  const boost::json::value parsed = boost::json::parse(answer->body);
  for (const auto& series : parsed.at("data").at("result").as_array()) {
    Instant& one = out.emplace_back();
    for (const auto& [name, value] : series.at("metric").as_object()) {
      one.labels[std::string(name)] = std::string(value.as_string());
    }
    const auto& value = series.at("value").as_array();
    one.timestamp = static_cast<TimestampMs>(value[0].to_number<double>() * 1000);
    one.value = std::stod(std::string(value[1].as_string()));
  }
  return out;
}

std::unique_ptr<ChildProcess> StartVictoriaMetrics(const std::filesystem::path& dir,
                                                   std::uint16_t port) {
  std::string why;
  // Backdated monthly data needs a retention longer than its age (the default is one month);
  // with deduplication at 1 ms, the last value written for a timestamp is the one kept. Instant
  // queries at "now" see samples of the last 30 s only without the default latency offset.
  auto vm = integration::StartVictoriaMetrics(
      dir / "vm", port, &why,
      {"-retentionPeriod=100y", "-dedup.minScrapeInterval=1ms", "-search.latencyOffset=0s"});
  EXPECT_TRUE(vm) << why;
  return vm;
}

TEST_F(ForwardTest, VictoriaMetricsGetsBackdatedCorrectedAndEveryAcknowledgedSample) {
  const std::uint16_t vm_port = integration::FreePort();
  auto vm = StartVictoriaMetrics(dir_, vm_port);
  ASSERT_TRUE(vm);
  WriteConfig("http://127.0.0.1:" + std::to_string(vm_port) + "/api/v1/write");
  ASSERT_NO_FATAL_FAILURE(StartChiso());

  // 1. The twelve monthly readings of 2025, written today, at their own timestamps.
  Points year;
  for (int month = 0; month < 12; ++month) year.emplace_back(kJan2025 + month * kMonth, month + 1);
  ASSERT_EQ(Write("dvc_dossiers_received", "backdated", year), 204);
  EXPECT_TRUE(Eventually(
      [&] {
        return ExportFromVictoriaMetrics(vm_port, "dvc_dossiers_received", "backdated")
                   .samples.size() == 12;
      },
      15s));
  const Exported backdated =
      ExportFromVictoriaMetrics(vm_port, "dvc_dossiers_received", "backdated");
  EXPECT_EQ(backdated.samples, (std::map<TimestampMs, double>(year.begin(), year.end())));
  EXPECT_EQ(backdated.labels.at("province"), "hai_duong");
  EXPECT_EQ(backdated.labels.at("chiso_instance"), "test_1");
  const TimestampMs june = kJan2025 + 5 * kMonth;
  EXPECT_EQ(QueryValue(vm_port, "dvc_dossiers_received", june / 1000 + 60), "6");

  // 2. A correction of June replaces the value there.
  ASSERT_EQ(Write("dvc_dossiers_received", "backdated", {{june, 60}}), 204);
  EXPECT_TRUE(Eventually(
      [&] {
        return ExportFromVictoriaMetrics(vm_port, "dvc_dossiers_received", "backdated")
                   .samples[june] == 60;
      },
      15s));
  EXPECT_EQ(QueryValue(vm_port, "dvc_dossiers_received", june / 1000 + 60), "60");
  EXPECT_EQ(ExportFromVictoriaMetrics(vm_port, "dvc_dossiers_received", "backdated").raw_count,
            12u);

  // 3. The receiver stops for 30 s in the middle of a stream: every sample arrives after it is
  // back, and chiso keeps answering 204 meanwhile.
  std::map<TimestampMs, double> stream;
  const TimestampMs now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  TimestampMs next = now - 3'600'000;
  const auto write_stream = [&](const std::string& phase, int batches,
                                std::map<TimestampMs, double>& acknowledged) {
    for (int b = 0; b < batches; ++b) {
      Points points;
      for (int i = 0; i < 20; ++i, ++next)
        points.emplace_back(next, static_cast<double>(next % 1000));
      if (Write("chiso_forward_stream", phase, points) != 204) return;
      acknowledged.insert(points.begin(), points.end());
      std::this_thread::sleep_for(50ms);
    }
  };
  write_stream("outage", 10, stream);
  vm->Signal(SIGTERM);
  ASSERT_TRUE(vm->WaitForExit(30s).has_value());
  const auto down_since = std::chrono::steady_clock::now();
  std::map<TimestampMs, double> during;
  while (std::chrono::steady_clock::now() - down_since < 30s) write_stream("outage", 1, during);
  EXPECT_GE(during.size(), 300u) << "chiso stopped acknowledging while the receiver was down";
  stream.insert(during.begin(), during.end());
  vm = StartVictoriaMetrics(dir_, vm_port);
  ASSERT_TRUE(vm);
  write_stream("outage", 10, stream);
  EXPECT_TRUE(Eventually(
      [&] {
        return ExportFromVictoriaMetrics(vm_port, "chiso_forward_stream", "outage").samples ==
               stream;
      },
      20s))
      << ExportFromVictoriaMetrics(vm_port, "chiso_forward_stream", "outage").samples.size()
      << " of " << stream.size() << " samples arrived";

  // 4. chiso killed with SIGKILL in the middle of a stream: every acknowledged sample arrives
  // once it is back.
  // VictoriaMetrics is frozen meanwhile, so that the stream is still queued (and a request in
  // flight) when chiso dies.
  std::map<TimestampMs, double> acknowledged;
  vm->Signal(SIGSTOP);
  std::thread writer([&] { write_stream("crash", 1'000'000, acknowledged); });
  std::this_thread::sleep_for(1500ms);
  chiso_->Signal(SIGKILL);
  writer.join();
  chiso_.reset();
  vm->Signal(SIGCONT);
  ASSERT_GE(acknowledged.size(), 20u);
  ASSERT_NO_FATAL_FAILURE(StartChiso());
  EXPECT_TRUE(Eventually(
      [&] {
        const auto got = ExportFromVictoriaMetrics(vm_port, "chiso_forward_stream", "crash");
        return std::all_of(acknowledged.begin(), acknowledged.end(), [&](const auto& sample) {
          const auto found = got.samples.find(sample.first);
          return found != got.samples.end() && found->second == sample.second;
        });
      },
      20s));

  chiso_->Signal(SIGTERM);
  EXPECT_TRUE(chiso_->WaitForExit(30s).has_value());
  vm->Signal(SIGTERM);
  EXPECT_TRUE(vm->WaitForExit(30s).has_value());
}

// Gia Lộc's mobile_5g_coverage_pct (yearly; no baseline: the path starts at the first reading;
// >= 60 by 2025-12-31, 100 by 2030-12-31), as evaluated by chiso and forwarded.
TEST_F(ForwardTest, VictoriaMetricsGetsTheEvaluatedPlanSeriesAsTheyChange) {
  const std::uint16_t vm_port = integration::FreePort();
  auto vm = StartVictoriaMetrics(dir_, vm_port);
  ASSERT_TRUE(vm);
  WriteConfig("http://127.0.0.1:" + std::to_string(vm_port) + "/api/v1/write", "2s");
  ASSERT_NO_FATAL_FAILURE(StartChiso());
  const std::string selector =
      "%7Bunit%3D%22gia_loc%22%2Cindicator%3D%22mobile_5g_coverage_pct%22%7D";
  // The status chiso's /metrics shows for the pair, and its code.
  const auto local_status = [&]() -> std::pair<std::string, double> {
    auto metrics = testing::HttpCall(chiso_port_, "GET", "/metrics");
    if (!metrics) return {"", -1};
    std::size_t at = 0;
    while ((at = metrics->body.find("chiso_indicator_status{", at)) != std::string::npos) {
      const std::size_t end = metrics->body.find('\n', at);
      const std::string line = metrics->body.substr(at, end - at);
      at = end;
      if (line.find("indicator=\"mobile_5g_coverage_pct\"") == std::string::npos ||
          line.find("unit=\"gia_loc\"") == std::string::npos)
        continue;
      const std::size_t status = line.find("status=\"") + 8;
      return {line.substr(status, line.find('"', status) - status),
              std::stod(line.substr(line.rfind(' ') + 1))};
    }
    return {"", -1};
  };
  const auto forwarded_status = [&] {
    return QuerySeries(vm_port, "chiso_indicator_status" + selector);
  };

  // Writes the 2025 value, then waits until chiso shows a status other than `before` and
  // VictoriaMetrics has that status series alone, with its code; the status.
  const auto write_and_await = [&](int value, const std::string& before) {
    EXPECT_EQ(WriteReadings(R"({"indicator":"mobile_5g_coverage_pct","unit":"gia_loc","value":)" +
                            std::to_string(value) + R"(,"period":"2025"})"),
              200);
    std::pair<std::string, double> now;
    EXPECT_TRUE(Eventually(
        [&] {
          now = local_status();
          const auto got = forwarded_status();
          return !now.first.empty() && now.first != before && got.size() == 1 &&
                 got[0].labels.at("status") == now.first && got[0].value == now.second;
        },
        20s))
        << before << " -> " << now.first;
    return now.first;
  };

  const std::string first = write_and_await(50, "");
  const auto status = forwarded_status();
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0].labels.at("province"), "hai_duong");
  EXPECT_EQ(status[0].labels.at("chiso_instance"), "test_1");
  EXPECT_EQ(status[0].labels.at("office"), "phong_kinh_te");

  // The next milestone's target and the expected path at the instant of the last send: the line
  // from 50 at the end of 2025 to 100 at the end of 2030 (Asia/Ho_Chi_Minh, UTC+7).
  const auto target =
      QuerySeries(vm_port, "chiso_plan_target" + selector.substr(0, selector.size() - 3) +
                               "%2Cmilestone%3D%222030-12-31%22%7D");
  ASSERT_EQ(target.size(), 1u);
  EXPECT_EQ(target[0].value, 100);
  EXPECT_EQ(target[0].labels.at("store"), "chiso");
  const auto expected = QuerySeries(vm_port, "chiso_plan_expected" + selector);
  ASSERT_EQ(expected.size(), 1u);
  const TimestampMs start = 1'767'175'199'999;  // 2025-12-31T23:59:59.999+07:00
  const TimestampMs end = 1'924'941'599'999;    // 2030-12-31T23:59:59.999+07:00
  EXPECT_NEAR(expected[0].value,
              50 + 50.0 * static_cast<double>(expected[0].timestamp - start) / (end - start), 0.01);

  // Refreshed every 2 s: a later sample arrives without any change.
  const TimestampMs sent_at = status[0].timestamp;
  EXPECT_TRUE(Eventually(
      [&] {
        const auto now = forwarded_status();
        return now.size() == 1 && now[0].timestamp > sent_at + 1000;
      },
      20s));

  // A correction changes the status: the new status series arrives, and the old one ends at the
  // instant of the change (its staleness marker) rather than when the lookback runs out: at the
  // new series' first sample, the old one's last sample, at most 2 s older, no longer answers.
  const std::string second = write_and_await(100, first);
  const Exported changed =
      ExportSeries(vm_port, "chiso_indicator_status" + selector.substr(0, selector.size() - 3) +
                                "%2Cstatus%3D%22" + second + "%22%7D");
  ASSERT_FALSE(changed.samples.empty());
  const auto at_change =
      QuerySeries(vm_port, "chiso_indicator_status" + selector, changed.samples.begin()->first);
  ASSERT_EQ(at_change.size(), 1u);
  EXPECT_EQ(at_change[0].labels.at("status"), second);

  chiso_->Signal(SIGTERM);
  EXPECT_TRUE(chiso_->WaitForExit(30s).has_value());
  vm->Signal(SIGTERM);
  EXPECT_TRUE(vm->WaitForExit(30s).has_value());
}

TEST_F(ForwardTest, PrometheusReceiverTakesBackdatedReadingsWithinItsOutOfOrderWindow) {
  const std::uint16_t prometheus_port = integration::FreePort();
  // Backdated readings need the out-of-order window (Prometheus >= 2.39) and a long retention.
  std::ofstream(dir_ / "prometheus.yml")
      << "global: {scrape_interval: 1m}\n"
      << "storage:\n  tsdb:\n    out_of_order_time_window: 800d\n";
  std::string why;
  auto prometheus = integration::StartPrometheus(
      dir_ / "prometheus.yml", dir_ / "tsdb", prometheus_port, &why,
      {"--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=100y"});
  ASSERT_TRUE(prometheus) << why;
  // Only the readings of this test (not the plan series), so that the counters are exact.
  WriteConfig("http://127.0.0.1:" + std::to_string(prometheus_port) + "/api/v1/write", "1m",
              R"(['__name__="dvc_dossiers_received"'])");
  ASSERT_NO_FATAL_FAILURE(StartChiso());

  const TimestampMs now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  ASSERT_EQ(Write("dvc_dossiers_received", "today", {{now, 1}}), 204);
  Points year;
  for (int month = 0; month < 12; ++month) year.emplace_back(kJan2025 + month * kMonth, month + 1);
  ASSERT_EQ(Write("dvc_dossiers_received", "backdated", year), 204);
  const TimestampMs june = kJan2025 + 5 * kMonth;
  const std::string june_query = "dvc_dossiers_received%7Bphase%3D%22backdated%22%7D";
  EXPECT_TRUE(Eventually(
      [&] { return QueryValue(prometheus_port, june_query, june / 1000 + 60) == "6"; }, 20s))
      << prometheus->stderr_text();
  EXPECT_EQ(QueryValue(prometheus_port, june_query, (kJan2025 + 11 * kMonth) / 1000 + 60), "12");
  // Corrections, as docs/national.md describes them: Prometheus takes a changed value at an
  // out-of-order timestamp without complaint and then answers either value (its merge of in-order
  // and out-of-order chunks does not order equal timestamps), and refuses a changed in-order one
  // with 400
  // ("duplicate sample for timestamp") and stores nothing of that request: chiso splits it until
  // the changed sample is alone, drops (and counts) that one, and the next sample of the same
  // series, sent in the same request at first, arrives.
  ASSERT_EQ(Write("dvc_dossiers_received", "backdated", {{june, 60}}), 204);
  ASSERT_EQ(Write("dvc_dossiers_received", "today", {{now, 60}, {now + 1000, 2}}), 204);
  EXPECT_TRUE(Eventually(
      [&] {
        return ForwardCounter("dropped_total{endpoint=\"national\",reason=\"http_4xx\"}") == 1;
      },
      20s));
  EXPECT_TRUE(
      Eventually([&] { return ForwardCounter("sent_total{endpoint=\"national\"}") == 15; }, 20s));
  const std::string june_after = QueryValue(prometheus_port, june_query, june / 1000 + 60);
  EXPECT_TRUE(june_after == "6" || june_after == "60") << june_after;
  EXPECT_EQ(
      QueryValue(prometheus_port, "dvc_dossiers_received%7Bphase%3D%22today%22%7D", now / 1000 + 2),
      "2");

  chiso_->Signal(SIGTERM);
  EXPECT_TRUE(chiso_->WaitForExit(30s).has_value());
  prometheus->Signal(SIGTERM);
  EXPECT_TRUE(prometheus->WaitForExit(30s).has_value());
}

}  // namespace
}  // namespace chiso
