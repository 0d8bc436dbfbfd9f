// End-to-end tests of the `chiso` binary as a deployer runs it: bundled defaults, real HTTP on
// a free port, real promtool, real signals.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace chiso {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::HttpCall;

const std::string kAdminSecret = "e2e-admin-secret";
constexpr const char* kReaderSecret = "doc-gia-secret";

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir_ =
        std::filesystem::temp_directory_path() / ("chiso_serve_test_" + std::to_string(::getpid()));
    Start();
  }
  void TearDown() override { std::filesystem::remove_all(data_dir_); }

  // Starts chiso on data_dir_ and a free port (again, after a kill).
  void Start() {
    child_.reset();
    child_ = std::make_unique<ChildProcess>(
        CHISO_BINARY,
        std::vector<std::string>{"serve", "--listen", "127.0.0.1:0", "--data-dir",
                                 data_dir_.string()},
        std::vector<std::string>{"CHISO_ADMIN_TOKEN=" + kAdminSecret});
    auto line = child_->WaitForStderrLine("serving", 30s);
    ASSERT_TRUE(line.has_value()) << child_->stderr_text();
    std::smatch match;
    ASSERT_TRUE(std::regex_search(*line, match, std::regex("http://127\\.0\\.0\\.1:(\\d+)")))
        << *line;
    port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
  }

  std::filesystem::path data_dir_;
  std::unique_ptr<ChildProcess> child_;
  std::uint16_t port_ = 0;
};

TEST_F(ServeTest, ServesTheBundledPlansWithAuthentication) {
  EXPECT_EQ(HttpCall(port_, "GET", "/healthz")->status, 200);
  EXPECT_EQ(HttpCall(port_, "GET", "/readyz")->status, 200);

  auto anonymous = HttpCall(port_, "GET", "/api/v1/catalog");
  ASSERT_TRUE(anonymous.has_value());
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_NE(anonymous->body.find("missing Authorization header"), std::string::npos);
  EXPECT_EQ(HttpCall(port_, "GET", "/api/v1/catalog", "", "Authorization: Bearer wrong")->status,
            401);

  auto catalog = HttpCall(port_, "GET", "/api/v1/catalog?unit=gia_loc", "",
                          "Authorization: Bearer " + kAdminSecret);
  ASSERT_TRUE(catalog.has_value());
  EXPECT_EQ(catalog->status, 200);
  EXPECT_NE(catalog->body.find("\"name\":\"Xã Gia Lộc\""), std::string::npos);
  EXPECT_NE(catalog->body.find("dvc_online_dossier_rate"), std::string::npos);

  auto reload =
      HttpCall(port_, "POST", "/api/v1/admin/reload", "", "Authorization: Bearer " + kAdminSecret);
  EXPECT_EQ(reload->status, 200) << reload->body;
}

TEST_F(ServeTest, MetricsPassPromtool) {
  ASSERT_EQ(HttpCall(port_, "GET", "/healthz")->status, 200);  // so the histogram has a sample
  auto metrics = HttpCall(port_, "GET", "/metrics");
  ASSERT_TRUE(metrics.has_value());
  ASSERT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("chiso_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics->body.find("chiso_catalog_entries{kind=\"plans\"} 5"), std::string::npos)
      << metrics->body;
  const std::string promtool = testing::FindOnPath("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool (Debian package prometheus) must be installed";
  auto checked = testing::RunCommand(promtool, {"check", "metrics"}, metrics->body);
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
}

// A sample of a text exposition: its name, labels and value.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The samples of `text` (label values without escapes, as chiso's seed ids are).
std::vector<Sample> ParseSamples(const std::string& text) {
  std::vector<Sample> samples;
  std::istringstream lines(text);
  std::string line;
  const std::regex label(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)")re");
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    Sample sample;
    const std::size_t brace = line.find('{');
    const std::size_t space = line.rfind(' ');
    sample.name = line.substr(0, std::min(brace, space));
    if (brace != std::string::npos) {
      const std::string inside = line.substr(brace, line.rfind('}') - brace);
      for (std::sregex_iterator it(inside.begin(), inside.end(), label), end; it != end; ++it) {
        sample.labels[(*it)[1]] = (*it)[2];
      }
    }
    sample.value = std::strtod(line.c_str() + space + 1, nullptr);
    samples.push_back(std::move(sample));
  }
  return samples;
}

// Waits until chiso has published its first evaluation (/api/v1/status answers 503 before).
void WaitForEvaluation(std::uint16_t port) {
  for (int attempt = 0; attempt < 300; ++attempt) {
    auto status = HttpCall(port, "GET", "/api/v1/status?unit=gia_loc", "",
                           "Authorization: Bearer " + kAdminSecret);
    if (status && status->status == 200) return;
    std::this_thread::sleep_for(100ms);
  }
  FAIL() << "no evaluation within 30 s";
}

TEST_F(ServeTest, MetricsShardsPassPromtoolAndCoverEveryDomainSeries) {
  WaitForEvaluation(port_);
  const std::string promtool = testing::FindOnPath("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool (Debian package prometheus) must be installed";
  auto whole = HttpCall(port_, "GET", "/metrics");
  ASSERT_EQ(whole->status, 200);
  std::size_t domain_series = 0;
  for (const Sample& sample : ParseSamples(whole->body)) {
    domain_series += sample.labels.contains("province");
  }
  ASSERT_GT(domain_series, 0u);

  std::size_t sharded_series = 0;
  for (const char* province : {"hai_phong", "da_nang", "ninh_binh", "nghe_an"}) {
    auto shard = HttpCall(port_, "GET", std::string("/metrics?province=") + province);
    ASSERT_EQ(shard->status, 200) << shard->body;
    auto checked = testing::RunCommand(promtool, {"check", "metrics"}, shard->body);
    EXPECT_EQ(checked.exit_code, 0) << province << ": " << checked.output;
    for (const Sample& sample : ParseSamples(shard->body)) {
      EXPECT_EQ(sample.labels.at("province"), province) << sample.name;
      ++sharded_series;
    }
  }
  EXPECT_EQ(sharded_series, domain_series) << "the seed's four provinces cover every unit";

  auto service = HttpCall(port_, "GET", "/metrics?only=service");
  ASSERT_EQ(service->status, 200);
  auto checked = testing::RunCommand(promtool, {"check", "metrics"}, service->body);
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  for (const Sample& sample : ParseSamples(service->body)) {
    EXPECT_FALSE(sample.labels.contains("province")) << sample.name;
  }
  EXPECT_NE(service->body.find("chiso_http_request_duration_seconds_bucket"), std::string::npos);

  auto unknown = HttpCall(port_, "GET", "/metrics?province=gia_loc");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_NE(unknown->body.find("parameter province: 'gia_loc' is not a province"),
            std::string::npos)
      << unknown->body;
}

// Every row of /api/v1/status (status, value, expected, target) is what /metrics exports for
// that (unit, indicator), once readings have arrived for every target of the seed plans.
TEST_F(ServeTest, StatusAndMetricsAgreeForEveryTarget) {
  const std::string admin = "Authorization: Bearer " + kAdminSecret;
  WaitForEvaluation(port_);
  auto catalog = HttpCall(port_, "GET", "/api/v1/catalog", "", admin);
  ASSERT_EQ(catalog->status, 200);
  std::map<std::string, std::string> province_of;
  const boost::json::value catalog_json = boost::json::parse(catalog->body);
  for (const auto& unit : catalog_json.at("units").as_array()) {
    const std::string id(unit.at("id").as_string());
    const std::string parent(unit.at("parent").as_string());
    province_of[id] = parent.empty() ? id : parent;
  }

  auto before = HttpCall(port_, "GET", "/api/v1/status", "", admin);
  ASSERT_EQ(before->status, 200) << before->body;
  boost::json::array readings;
  const boost::json::value before_json = boost::json::parse(before->body);
  for (const auto& row : before_json.at("rows").as_array()) {
    readings.push_back({{"indicator", row.at("indicator")},
                        {"unit", row.at("unit")},
                        {"value", 3},
                        {"period", "2025-09"}});
  }
  ASSERT_FALSE(readings.empty());
  auto posted =
      HttpCall(port_, "POST", "/api/v1/readings",
               boost::json::serialize(boost::json::object{{"readings", readings}}), admin);
  ASSERT_TRUE(posted.has_value());
  // Derived indicators are refused (computed, not reported); the others are stored.
  ASSERT_NE(posted->body.find("\"stored\":"), std::string::npos) << posted->body;

  boost::json::array rows;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto status = HttpCall(port_, "GET", "/api/v1/status", "", admin);
    rows = boost::json::parse(status->body).at("rows").as_array();
    if (std::any_of(rows.begin(), rows.end(),
                    [](const auto& row) { return !row.at("value").is_null(); })) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  auto metrics = HttpCall(port_, "GET", "/metrics");
  ASSERT_EQ(metrics->status, 200);
  // (name, unit, indicator) -> sample
  std::map<std::tuple<std::string, std::string, std::string>, Sample> exported;
  for (Sample& sample : ParseSamples(metrics->body)) {
    if (!sample.name.starts_with("chiso_indicator_")) continue;
    auto key = std::tuple(sample.name, sample.labels.at("unit"), sample.labels.at("indicator"));
    EXPECT_TRUE(exported.emplace(std::move(key), std::move(sample)).second)
        << "one series per target and gauge";
  }
  const std::map<std::string, double> codes = {
      {"achieved", 0}, {"on_track", 1}, {"at_risk", 2}, {"off_track", 3},
      {"overdue", 4},  {"stale", 5},    {"no_data", 6}, {"insufficient_data", 7}};
  int with_value = 0;
  for (const auto& row : rows) {
    const std::string unit(row.at("unit").as_string());
    const std::string indicator(row.at("indicator").as_string());
    SCOPED_TRACE(unit + " " + indicator);
    const auto find = [&](const char* name) {
      auto it = exported.find(std::tuple(std::string(name), unit, indicator));
      return it == exported.end() ? nullptr : &it->second;
    };
    const Sample* status = find("chiso_indicator_status");
    ASSERT_NE(status, nullptr);
    const std::string name(row.at("status").as_string());
    EXPECT_EQ(status->labels.at("status"), name);
    EXPECT_EQ(status->value, codes.at(name));
    EXPECT_EQ(status->labels.at("office"), row.at("office").as_string());
    EXPECT_EQ(status->labels.at("province"), province_of.at(unit));
    for (auto [field, series] : {std::pair{"value", "chiso_indicator_value"},
                                 std::pair{"expected", "chiso_indicator_expected"}}) {
      const Sample* sample = find(series);
      if (row.at(field).is_null()) {
        EXPECT_EQ(sample, nullptr) << series;
      } else {
        ASSERT_NE(sample, nullptr) << series;
        EXPECT_DOUBLE_EQ(sample->value, row.at(field).to_number<double>()) << series;
      }
    }
    with_value += !row.at("value").is_null();
    const Sample* target = find("chiso_indicator_target");
    if (row.at("target").is_null()) {
      EXPECT_EQ(target, nullptr);
    } else {
      ASSERT_NE(target, nullptr);
      EXPECT_EQ(target->labels.at("milestone"), row.at("target").at("date").as_string());
      EXPECT_DOUBLE_EQ(target->value, row.at("target").at("value").to_number<double>());
    }
  }
  EXPECT_GT(with_value, 10) << "readings arrived for the reported indicators";
}

TEST_F(ServeTest, OversizedBodyIsRefusedAndTheServerStaysUp) {
  auto response = HttpCall(port_, "POST", "/api/v1/admin/reload", std::string(17u << 20, 'x'),
                           "Authorization: Bearer " + kAdminSecret);
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(HttpCall(port_, "GET", "/healthz")->status, 200);
}

TEST_F(ServeTest, BacksUpWhileServingAndRestoresOffline) {
  const std::string admin = "Authorization: Bearer " + kAdminSecret;
  auto metrics = HttpCall(port_, "GET", "/metrics");
  EXPECT_NE(metrics->body.find("chiso_store_size_bytes"), std::string::npos);

  // While chiso holds the store, the offline command refuses and says why.
  auto offline = testing::RunCommand(CHISO_BINARY, {"backup", "--data-dir", data_dir_.string(),
                                                    "--to", (data_dir_ / "offline").string()});
  EXPECT_EQ(offline.exit_code, 1);
  EXPECT_NE(offline.output.find("cannot open the store"), std::string::npos) << offline.output;

  auto backup = HttpCall(port_, "POST", "/api/v1/admin/backup", "", admin);
  ASSERT_TRUE(backup.has_value());
  ASSERT_EQ(backup->status, 200) << backup->body;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(backup->body, match, std::regex("\"path\":\"([^\"]+)\"")));
  const std::filesystem::path copy = match[1].str();
  EXPECT_TRUE(std::filesystem::exists(copy)) << copy;

  const auto restored = data_dir_ / "restored";
  auto restore = testing::RunCommand(
      CHISO_BINARY, {"restore", "--from", copy.string(), "--data-dir", restored.string()});
  EXPECT_EQ(restore.exit_code, 0) << restore.output;
  auto again = testing::RunCommand(
      CHISO_BINARY, {"restore", "--from", copy.string(), "--data-dir", restored.string()});
  EXPECT_EQ(again.exit_code, 1) << "a restore never overwrites a store";
  std::filesystem::remove_all(copy.parent_path());
}

// Writers post Influx batches side by side while the server is SIGKILLed at a random moment.
// After a restart every batch it acknowledged (204) is there, and a batch in flight at the kill
// is there whole or not at all.
TEST_F(ServeTest, AcknowledgedWritesSurviveSigkill) {
  constexpr int kWriters = 4;
  constexpr int kLines = 50;  // small batches: many acknowledgements, a short read-back
  const std::int64_t base_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count() -
                               86'400'000;
  std::vector<int> acknowledged(kWriters, 0);  // batches, each written by its writer's thread
  std::atomic<bool> killed{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      testing::RawConnection connection(port_, 30s);
      for (int batch = 0; !killed && connection.connected(); ++batch) {
        std::string body;
        for (int i = 0; i < kLines; ++i) {
          const int n = batch * kLines + i;
          body += "kill_test,writer=w" + std::to_string(w) + " v=" + std::to_string(n) + " " +
                  std::to_string(base_ms + n) + "\n";
        }
        if (!connection.Send("POST /write?precision=ms HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Authorization: Bearer " +
                             kAdminSecret + "\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\n\r\n" + body)) {
          return;
        }
        const auto response = connection.ReadResponse();
        if (!response || response->status != 204) return;
        acknowledged[w] = batch + 1;
      }
    });
  }
  std::mt19937 random(std::random_device{}());
  std::this_thread::sleep_for(std::chrono::milliseconds(200 + random() % 600));
  child_->Signal(SIGKILL);
  killed = true;
  for (std::thread& writer : writers) writer.join();
  child_->WaitForExit(10s);
  int total = 0;
  for (int count : acknowledged) total += count;
  ASSERT_GT(total, 0) << "no batch was acknowledged before the kill:\n" << child_->stderr_text();

  Start();
  auto readings = HttpCall(port_, "GET", "/api/v1/readings?metric=kill_test_v", "",
                           "Authorization: Bearer " + kAdminSecret);
  ASSERT_TRUE(readings.has_value());
  ASSERT_EQ(readings->status, 200) << readings->body.substr(0, 500);
  std::vector<std::vector<std::int64_t>> values(kWriters);
  const boost::json::value answer = boost::json::parse(readings->body);
  for (const auto& series : answer.at("series").as_array()) {
    const std::string writer(series.at("labels").at("writer").as_string());
    const int w = std::stoi(writer.substr(1));
    for (const auto& reading : series.at("readings").as_array()) {
      values.at(w).push_back(static_cast<std::int64_t>(reading.at("value").to_number<double>()));
    }
  }
  for (int w = 0; w < kWriters; ++w) {
    std::sort(values[w].begin(), values[w].end());
    const auto stored = static_cast<int>(values[w].size());
    EXPECT_GE(stored, acknowledged[w] * kLines) << "writer " << w << " lost acknowledged samples";
    EXPECT_LE(stored, (acknowledged[w] + 1) * kLines) << "writer " << w;
    EXPECT_EQ(stored % kLines, 0) << "writer " << w << ": a batch was stored in part";
    for (int n = 0; n < stored; ++n) ASSERT_EQ(values[w][n], n) << "writer " << w;
  }
}

TEST_F(ServeTest, SigtermExitsZero) {
  child_->Signal(SIGTERM);
  auto code = child_->WaitForExit(10s);
  ASSERT_TRUE(code.has_value()) << "chiso did not exit after SIGTERM:\n" << child_->stderr_text();
  EXPECT_EQ(*code, 0) << child_->stderr_text();
  EXPECT_NE(child_->stderr_text().find("SIGTERM received"), std::string::npos);
}

// A config of one's own, with a read-only token: the role is enforced over real HTTP.
TEST(ServeWithConfigTest, ReadTokenGets403OnAdminRoutes) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("chiso_serve_config_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string deploy = std::string(CHISO_SOURCE_DIR) + "/deploy";
  // sha256 of kReaderSecret, as `printf %s doc-gia-secret | sha256sum` prints it.
  std::ofstream(dir / "chiso.yaml")
      << "catalog: [" << deploy << "/catalog/*.yaml]\nplans: [" << deploy << "/plans/*.yaml]\n"
      << "tokens:\n  - name: doc_gia\n"
      << "    sha256: 9738e285485c7e4f045841f313f4005fa363e5f4e1fe27dfe88911325650c6da\n    role: "
         "read\n";
  ChildProcess child(CHISO_BINARY, {"serve", "--config", (dir / "chiso.yaml").string(), "--listen",
                                    "127.0.0.1:0", "--data-dir", (dir / "data").string()});
  auto line = child.WaitForStderrLine("serving", 30s);
  ASSERT_TRUE(line.has_value()) << child.stderr_text();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(*line, match, std::regex("http://127\\.0\\.0\\.1:(\\d+)")));
  const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
  const std::string reader = "Authorization: Bearer " + std::string(kReaderSecret);
  EXPECT_EQ(HttpCall(port, "GET", "/api/v1/catalog", "", reader)->status, 200);
  auto denied = HttpCall(port, "POST", "/api/v1/admin/reload", "", reader);
  ASSERT_TRUE(denied.has_value());
  EXPECT_EQ(denied->status, 403);
  EXPECT_NE(denied->body.find("token 'doc_gia' has role read; this needs role admin"),
            std::string::npos)
      << denied->body;
  std::filesystem::remove_all(dir);
}

TEST(CheckCommandTest, BundledConfigPasses) {
  auto result = testing::RunCommand(CHISO_BINARY, {"check"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("OK (9 units"), std::string::npos) << result.output;
}

TEST(CheckCommandTest, BrokenPlanExitsOneWithFileAndLine) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("chiso_check_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "chiso.yaml") << "catalog: [catalog.yaml]\nplans: [plan.yaml]\n";
  std::ofstream(dir / "catalog.yaml")
      << "units:\n  - {id: hp, name: Hải Phòng, level: province}\n  - {id: gl, name: Gia Lộc, "
         "level: commune, parent: hp}\n"
         "offices:\n  - {code: vhxh, name: Phòng VH-XH}\n"
         "indicators:\n  - {code: rate, name: Tỷ lệ, measure: percent, direction: up, period: "
         "month, office: vhxh, kind: reported}\n";
  std::ofstream(dir / "plan.yaml")
      << "plan: {unit: gl, title: KH, source: s}\ntargets:\n  - indicator: rate\n    baseline: "
         "not_stated\n"
         "    milestones:\n      - {date: 2030-12-31, target: 120, source: x}\n"
         "tasks:\n  - {id: t1, title: T, lead: phong_x, deadline_text: '2025', due: 2025-12-31, "
         "source: x}\n";
  auto result =
      testing::RunCommand(CHISO_BINARY, {"check", "--config", (dir / "chiso.yaml").string()});
  std::filesystem::remove_all(dir);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("plan.yaml:3: target 'rate': milestone 2030-12-31 target 120 is "
                               "outside the domain of a percent (0..100)"),
            std::string::npos)
      << result.output;
  EXPECT_NE(
      result.output.find("plan.yaml:8: task 't1' lead: office 'phong_x' is not in the catalog"),
      std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("2 problem(s) found"), std::string::npos) << result.output;
}

TEST(CheckCommandTest, BrokenConfigRefusesToServe) {
  auto result = testing::RunCommand(CHISO_BINARY, {"serve", "--config", "/nonexistent/chiso.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("cannot read file '/nonexistent/chiso.yaml'"), std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace chiso
