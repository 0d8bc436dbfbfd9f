// Integration with the real Alertmanager (Debian package prometheus-alertmanager), configured like
// a deployment that routes by office: an indicator of office phong_vhxh that goes at risk reaches
// phong_vhxh's webhook and not phong_kinh_te's; when it recovers, phong_vhxh hears the resolution.
//
// Alertmanager runs on real time, so this test waits (bounded) for its webhooks to arrive.
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <signal.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "api/server.h"
#include "rules/alerts.h"
#include "rules/http_poster.h"
#include "rules/notifier.h"
#include "rules/test_catalog.h"
#include "tests/support/child_process.h"

namespace chiso::rules {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

const TimeZone kZone;

// Collects the webhooks one receiver gets.
class WebhookSink {
 public:
  WebhookSink() {
    api::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    server_ = std::make_unique<api::HttpServer>(
        options,
        [this](const api::HttpRequest& request) {
          std::lock_guard lock(mutex_);
          bodies_.push_back(json::parse(request.body).as_object());
          changed_.notify_all();
          return api::MakeResponse(200, "application/json", "{}");
        },
        &probe_);
    EXPECT_TRUE(server_->Start().ok());
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hook";
  }

  // The first webhook whose status is `status`, waiting at most `within`.
  std::optional<json::object> WaitFor(const std::string& status, std::chrono::seconds within) {
    std::unique_lock lock(mutex_);
    std::optional<json::object> found;
    changed_.wait_for(lock, within, [&] {
      for (const json::object& body : bodies_) {
        if (body.at("status").as_string() == status) found = body;
      }
      return found.has_value();
    });
    return found;
  }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return bodies_.size();
  }

 private:
  prometheus::Registry registry_;
  api::HttpProbe probe_{registry_};
  std::unique_ptr<api::HttpServer> server_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<json::object> bodies_;
};

// A port nobody listens on right now.
std::uint16_t FreePort() {
  prometheus::Registry registry;
  api::HttpProbe probe(registry);
  api::ServerOptions options;
  options.port = 0;
  options.threads = 1;
  api::HttpServer server(
      options, [](const api::HttpRequest&) { return api::HttpResponse{}; }, &probe);
  EXPECT_TRUE(server.Start().ok());
  return server.port();
}

TEST(Alertmanager, RoutesByOfficeAndDeliversTheResolution) {
  const std::string binary = chiso::testing::FindOnPath("prometheus-alertmanager");
  ASSERT_FALSE(binary.empty()) << "prometheus-alertmanager (Debian package) must be installed";
  WebhookSink vhxh, kinh_te;
  const auto dir =
      std::filesystem::temp_directory_path() / ("chiso_alertmanager_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "alertmanager.yml") << R"(route:
  receiver: khac
  group_by: [alertname, unit, office]
  group_wait: 100ms
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['office="phong_vhxh"']
      receiver: phong_vhxh
    - matchers: ['office="phong_kinh_te"']
      receiver: phong_kinh_te
receivers:
  - name: khac
  - name: phong_vhxh
    webhook_configs: [{url: ")" << vhxh.url()
                                          << R"(", send_resolved: true}]
  - name: phong_kinh_te
    webhook_configs: [{url: ")" << kinh_te.url()
                                          << R"(", send_resolved: true}]
)";
  const std::uint16_t port = FreePort();
  chiso::testing::ChildProcess alertmanager(
      binary,
      {"--config.file=" + (dir / "alertmanager.yml").string(),
       "--storage.path=" + (dir / "data").string(),
       "--web.listen-address=127.0.0.1:" + std::to_string(port), "--cluster.listen-address="});
  ASSERT_TRUE(alertmanager.WaitForStderrLine("Listening on", seconds(30)))
      << alertmanager.stderr_text();

  // Paper share behind its path (at risk), then recovered.
  auto catalog = testing::GiaLocTestCatalog();
  MemoryReadingSource behind, recovered;
  behind.AddIndicatorReadings("gia_loc", "paper_dossier_share",
                              {{EndOfDay({2025, 10, 31}, kZone), 38, 0}});
  recovered.AddIndicatorReadings(
      "gia_loc", "paper_dossier_share",
      {{EndOfDay({2025, 10, 31}, kZone), 38, 0}, {EndOfDay({2025, 11, 30}, kZone), 29, 0}});
  const TimestampMs day = StartOfDay({2025, 12, 3}, kZone);

  AlertRule rule;
  rule.name = "ChiTieuCoNguyCoCham";
  rule.statuses = {IndicatorStatus::kAtRisk};
  rule.summary = "{{unit_name}}: «{{indicator_name}}» có nguy cơ chậm tiến độ";
  rule.description = "Giá trị {{value}}, lộ trình {{expected}}, mục tiêu {{target}}";
  MemoryAlertLog log;
  Alerting alerting(&log);
  alerting.SetRules({rule});
  BeastHttpPoster poster;
  NotifierOptions options;
  options.initial_backoff = std::chrono::milliseconds(200);
  Notifier notifier({{"alertmanager",
                      Receiver::Kind::kAlertmanager,
                      "http://127.0.0.1:" + std::to_string(port),
                      {}}},
                    options, &poster, nullptr);
  notifier.Start();
  SystemClock clock;

  ASSERT_TRUE(alerting.Update(Evaluate(catalog, behind, {}, day), clock.Now()).ok());
  notifier.Notify(alerting.Alerts(), clock.Now());
  auto firing = vhxh.WaitFor("firing", seconds(30));
  ASSERT_TRUE(firing.has_value()) << alertmanager.stderr_text();
  const json::object& alert = firing->at("alerts").as_array()[0].as_object();
  EXPECT_EQ(alert.at("labels").at("indicator"), "paper_dossier_share");
  EXPECT_EQ(alert.at("annotations").at("summary"),
            "Xã Gia Lộc: «Tỷ lệ hồ sơ nộp giấy» có nguy cơ chậm tiến độ");

  ASSERT_TRUE(alerting.Update(Evaluate(catalog, recovered, {}, day), clock.Now()).ok());
  ASSERT_EQ(alerting.Alerts()[0].state, AlertState::kResolved);
  notifier.Notify(alerting.Alerts(), clock.Now());
  EXPECT_TRUE(vhxh.WaitFor("resolved", seconds(30)).has_value()) << alertmanager.stderr_text();
  EXPECT_EQ(kinh_te.count(), 0u);

  notifier.Stop();
  alertmanager.Signal(SIGTERM);
  alertmanager.WaitForExit(seconds(10));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chiso::rules
