// Integration with the real Alertmanager (Debian package prometheus-alertmanager) running the
// shipped deploy/alertmanager.yml: an indicator of office phong_vhxh that goes at risk reaches
// phong_vhxh's receiver and no other office's; when it recovers, phong_vhxh hears the resolution.
//
// The shipped routes, matchers, receivers and inhibitions are used as they are. Only two things
// are rewritten: the receivers' webhook address (http://127.0.0.1:9099/<office>) points at this
// test's listener, which tells receivers apart by path, and the grouping timers (30s, 5m) are
// shortened so the resolution arrives within seconds. Alertmanager runs on real time, so this test
// waits (bounded) for its webhooks to arrive.
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <signal.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "api/server.h"
#include "catalog/testing/test_catalog.h"
#include "notify/http_poster.h"
#include "notify/notifier.h"
#include "rules/alerting/alerts.h"
#include "tests/support/child_process.h"

namespace chiso::rules {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

const TimeZone kZone;

// Collects the webhooks of every receiver, by request path (/phong_vhxh, /phong_kinh_te, …).
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
          bodies_.emplace_back(request.path, json::parse(request.body).as_object());
          changed_.notify_all();
          return api::MakeResponse(200, "application/json", "{}");
        },
        &probe_);
    EXPECT_TRUE(server_->Start().ok());
  }
  std::uint16_t port() const { return server_->port(); }

  // The first webhook to `path` whose status is `status`, waiting at most `within`.
  std::optional<json::object> WaitFor(const std::string& path, const std::string& status,
                                      std::chrono::seconds within) {
    std::unique_lock lock(mutex_);
    std::optional<json::object> found;
    changed_.wait_for(lock, within, [&] {
      for (const auto& [to, body] : bodies_) {
        if (to == path && body.at("status").as_string() == status) found = body;
      }
      return found.has_value();
    });
    return found;
  }
  // Every webhook so far with the path it went to.
  std::vector<std::pair<std::string, json::object>> webhooks() {
    std::lock_guard lock(mutex_);
    return bodies_;
  }

 private:
  prometheus::Registry registry_;
  api::HttpProbe probe_{registry_};
  std::unique_ptr<api::HttpServer> server_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::pair<std::string, json::object>> bodies_;
};

// Replaces every `from` in `text` by `to`; fails the test when there is none, so a change to the
// shipped file cannot silently leave the test on the old address or timers.
void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  std::size_t count = 0;
  for (std::size_t at = text->find(from); at != std::string::npos;
       at = text->find(from, at + to.size())) {
    text->replace(at, from.size(), to);
    ++count;
  }
  EXPECT_GT(count, 0u) << "deploy/alertmanager.yml no longer contains '" << from << "'";
}

// deploy/alertmanager.yml with the receivers' address on `port` and short grouping timers.
std::string ShippedConfigFor(std::uint16_t port) {
  const char* source_dir = std::getenv("CHISO_SOURCE_DIR");
  EXPECT_NE(source_dir, nullptr) << "run through ctest, which sets CHISO_SOURCE_DIR";
  if (source_dir == nullptr) return "";
  std::ifstream in(std::filesystem::path(source_dir) / "deploy" / "alertmanager.yml");
  std::stringstream text;
  text << in.rdbuf();
  std::string config = text.str();
  ReplaceAll(&config, "url: http://127.0.0.1:9099/",
             "url: http://127.0.0.1:" + std::to_string(port) + "/");
  ReplaceAll(&config, "group_wait: 30s", "group_wait: 100ms");
  ReplaceAll(&config, "group_interval: 5m", "group_interval: 1s");
  return config;
}

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
  WebhookSink receivers;
  const auto dir =
      std::filesystem::temp_directory_path() / ("chiso_alertmanager_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string config = ShippedConfigFor(receivers.port());
  ASSERT_FALSE(config.empty());
  std::ofstream(dir / "alertmanager.yml") << config;
  const std::uint16_t port = FreePort();
  chiso::testing::ChildProcess alertmanager(
      binary,
      {"--config.file=" + (dir / "alertmanager.yml").string(),
       "--storage.path=" + (dir / "data").string(),
       "--web.listen-address=127.0.0.1:" + std::to_string(port), "--cluster.listen-address="});
  ASSERT_TRUE(alertmanager.WaitForStderrLine("Listening on", seconds(30)))
      << alertmanager.stderr_text();

  // Paper share behind its path (at risk), then recovered.
  auto catalog = catalog::testing::GiaLocTestCatalog();
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
  // The portal of office trung_tam_phvhc fell silent four days ago: its alert goes elsewhere.
  AlertRule silent;
  silent.name = "CongDichVuCongNgungGuiSoLieu";
  silent.kind = AlertKind::kSilentSource;
  silent.series.selector = "dvc_dossiers_received_total";
  silent.series.matchers = ParseSeriesSelector(silent.series.selector).value();
  silent.series.silent_for = std::chrono::days(3);
  silent.summary = "{{unit_name}}: Cổng Dịch vụ công ngừng gửi số liệu";
  MemorySeriesProbe portal;
  portal.Add({{"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}},
             {day - 4 * 86'400'000, 12, day - 4 * 86'400'000});
  MemoryAlertLog log;
  Alerting alerting(&log, &portal);
  alerting.SetRules({rule, silent});
  notify::BeastHttpPoster poster;
  notify::NotifierOptions options;
  options.initial_backoff = std::chrono::milliseconds(200);
  notify::Notifier notifier({{"alertmanager",
                              notify::Receiver::Kind::kAlertmanager,
                              "http://127.0.0.1:" + std::to_string(port),
                              {}}},
                            options, &poster, nullptr);
  notifier.Start();
  SystemClock clock;

  ASSERT_TRUE(alerting.Update(Evaluate(catalog, behind, {}, day), clock.Now()).ok());
  notifier.Notify(alerting.Alerts(), clock.Now());
  auto firing = receivers.WaitFor("/phong_vhxh", "firing", seconds(60));
  ASSERT_TRUE(firing.has_value()) << alertmanager.stderr_text();
  const json::object& alert = firing->at("alerts").as_array()[0].as_object();
  EXPECT_EQ(alert.at("labels").at("indicator"), "paper_dossier_share");
  EXPECT_EQ(alert.at("annotations").at("summary"),
            "Xã Gia Lộc: «Tỷ lệ hồ sơ nộp giấy» có nguy cơ chậm tiến độ");

  auto portal_firing = receivers.WaitFor("/trung_tam_phvhc", "firing", seconds(60));
  ASSERT_TRUE(portal_firing.has_value()) << alertmanager.stderr_text();
  EXPECT_EQ(portal_firing->at("alerts").as_array()[0].at("annotations").at("summary"),
            "Xã Gia Lộc: Cổng Dịch vụ công ngừng gửi số liệu");

  ASSERT_TRUE(alerting.Update(Evaluate(catalog, recovered, {}, day), clock.Now()).ok());
  for (const Alert& a : alerting.Alerts()) {
    EXPECT_EQ(a.state, a.name() == rule.name ? AlertState::kResolved : AlertState::kFiring);
  }
  notifier.Notify(alerting.Alerts(), clock.Now());
  EXPECT_TRUE(receivers.WaitFor("/phong_vhxh", "resolved", seconds(60)).has_value())
      << alertmanager.stderr_text();
  // Each office heard only its own alert; nobody else heard anything.
  for (const auto& [path, body] : receivers.webhooks()) {
    const std::string want = path == "/phong_vhxh" ? rule.name : silent.name;
    EXPECT_TRUE(path == "/phong_vhxh" || path == "/trung_tam_phvhc") << path;
    for (const json::value& a : body.at("alerts").as_array()) {
      EXPECT_EQ(a.at("labels").at("alertname").as_string(), want) << path;
    }
  }

  notifier.Stop();
  alertmanager.Signal(SIGTERM);
  alertmanager.WaitForExit(seconds(10));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chiso::rules
