#include "notify/notifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <boost/json.hpp>

#include "common/calendar.h"
#include "notify/alert_payload.h"

namespace chiso::notify {
namespace {

namespace json = boost::json;
using rules::Alert;
using rules::AlertState;
using ::testing::HasSubstr;

constexpr TimestampMs kMinute = 60'000;

// Records posts; fails the first `failures` ones for a URL; lets a test wait for a count.
class FakePoster final : public HttpPoster {
 public:
  Status Post(const std::string& url, const std::string& body, std::chrono::milliseconds) override {
    std::lock_guard lock(mutex_);
    if (failures_[url] > 0) {
      --failures_[url];
      ++attempts_;
      changed_.notify_all();
      return Status::Unavailable("down");
    }
    posts_.push_back({url, body});
    changed_.notify_all();
    return Status::Ok();
  }
  void FailNext(const std::string& url, int times) {
    std::lock_guard lock(mutex_);
    failures_[url] = times;
  }
  std::vector<std::pair<std::string, std::string>> WaitForPosts(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return posts_.size() >= count; });
    return posts_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, int> failures_;
  std::vector<std::pair<std::string, std::string>> posts_;
  int attempts_ = 0;
};

Alert MakeAlert(const std::string& office, AlertState state, TimestampMs at) {
  Alert alert;
  alert.labels = {{"alertname", "ChiTieuChamTienDo"}, {"office", office}, {"unit", "gia_loc"}};
  alert.annotations = {{"summary", "Xã Gia Lộc: chậm tiến độ"}};
  alert.state = state;
  alert.active_at = at;
  if (state != AlertState::kPending) alert.fired_at = at;
  if (state == AlertState::kResolved) alert.resolved_at = at + kMinute;
  return alert;
}

NotifierOptions FastOptions() {
  NotifierOptions options;
  options.resend_interval = std::chrono::minutes(1);
  options.initial_backoff = std::chrono::milliseconds(0);
  options.max_backoff = std::chrono::milliseconds(0);
  return options;
}

TEST(Notifier, SendsFiringOnceThenEveryResendIntervalAndNeverPending) {
  FakePoster poster;
  prometheus::Registry registry;
  auto& results =
      prometheus::BuildCounter().Name("chiso_notifications_total").Help("h").Register(registry);
  Notifier notifier({{"am", Receiver::Kind::kAlertmanager, "http://am:9093", {}}}, FastOptions(),
                    &poster, &results);
  notifier.Start();
  const std::vector<Alert> alerts = {MakeAlert("phong_vhxh", AlertState::kFiring, 0),
                                     MakeAlert("phong_kinh_te", AlertState::kPending, 0)};
  notifier.Notify(alerts, 0);
  notifier.Notify(alerts, 30'000);   // not due again yet
  notifier.Notify(alerts, kMinute);  // resend
  const auto posts = poster.WaitForPosts(2);
  notifier.Stop();
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].first, "http://am:9093/api/v2/alerts");
  const json::array sent = json::parse(posts[0].second).as_array();
  ASSERT_EQ(sent.size(), 1u);  // the pending one is not sent
  EXPECT_EQ(sent[0].at("labels").at("office"), "phong_vhxh");
  EXPECT_EQ(sent[0].at("annotations").at("summary"), "Xã Gia Lộc: chậm tiến độ");
  EXPECT_EQ(sent[0].at("startsAt"), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(sent[0].at("endsAt"), "1970-01-01T00:04:00.000Z");  // 4 resend intervals ahead
  EXPECT_EQ(results.Add({{"receiver", "am"}, {"result", "success"}}).Value(), 2);
}

TEST(Notifier, ResolutionIsSentAtOnceAndWebhooksFilterByOffice) {
  FakePoster poster;
  Notifier notifier({{"vhxh", Receiver::Kind::kWebhook, "http://a/hook", {"phong_vhxh"}},
                     {"kinh_te", Receiver::Kind::kWebhook, "http://b/hook", {"phong_kinh_te"}}},
                    FastOptions(), &poster, nullptr);
  notifier.Start();
  notifier.Notify(std::vector{MakeAlert("phong_vhxh", rules::AlertState::kFiring, 0)}, 0);
  notifier.Notify(std::vector{MakeAlert("phong_vhxh", rules::AlertState::kResolved, 0)}, 10'000);
  const auto posts = poster.WaitForPosts(2);
  notifier.Stop();
  ASSERT_EQ(posts.size(), 2u);
  for (const auto& [url, body] : posts) EXPECT_EQ(url, "http://a/hook");
  const json::object resolved = json::parse(posts[1].second).as_object();
  EXPECT_EQ(resolved.at("status"), "resolved");
  EXPECT_EQ(resolved.at("receiver"), "vhxh");
  EXPECT_EQ(resolved.at("version"), "4");
  EXPECT_EQ(resolved.at("alerts").as_array()[0].at("endsAt"), "1970-01-01T00:01:00.000Z");
  EXPECT_EQ(resolved.at("commonLabels").at("office"), "phong_vhxh");
}

TEST(Notifier, RetriesAFailedDeliveryAndADeadReceiverDelaysNoOther) {
  FakePoster poster;
  NotifierOptions options = FastOptions();
  options.max_attempts = 3;
  poster.FailNext("http://dead/hook", 1000);
  poster.FailNext("http://flaky/hook", 2);
  prometheus::Registry registry;
  auto& results = prometheus::BuildCounter().Name("n").Help("h").Register(registry);
  Notifier notifier({{"dead", Receiver::Kind::kWebhook, "http://dead/hook", {}},
                     {"flaky", Receiver::Kind::kWebhook, "http://flaky/hook", {}}},
                    options, &poster, &results);
  notifier.Start();
  notifier.Notify(std::vector{MakeAlert("phong_vhxh", AlertState::kFiring, 0)}, 0);
  const auto posts = poster.WaitForPosts(1);
  notifier.Stop();
  EXPECT_EQ(posts[0].first, "http://flaky/hook");  // third attempt
  EXPECT_EQ(results.Add({{"receiver", "flaky"}, {"result", "success"}}).Value(), 1);
}

TEST(Notifier, AFullQueueDropsItsOldestDelivery) {
  FakePoster poster;
  NotifierOptions options = FastOptions();
  options.max_queue = 1;
  prometheus::Registry registry;
  auto& results = prometheus::BuildCounter().Name("n").Help("h").Register(registry);
  Notifier notifier({{"am", Receiver::Kind::kAlertmanager, "http://am:9093", {}}}, options, &poster,
                    &results);  // not started: nothing drains the queue
  notifier.Notify(std::vector{MakeAlert("phong_vhxh", AlertState::kFiring, 0)}, 0);
  notifier.Notify(std::vector{MakeAlert("phong_vhxh", AlertState::kFiring, 0)}, kMinute);
  EXPECT_EQ(results.Add({{"receiver", "am"}, {"result", "dropped"}}).Value(), 1);
}

TEST(AlertPayload, FormatsInstantsInUtc) {
  EXPECT_EQ(FormatInstant(1'762'405'200'123), "2025-11-06T05:00:00.123Z");
  EXPECT_THAT(AlertmanagerPayload({}, 0, std::chrono::minutes(1), "x"), HasSubstr("[]"));
}

}  // namespace
}  // namespace chiso::notify
