#include "notify/alerting_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace chiso::notify {
namespace {

using ::testing::HasSubstr;

TEST(AlertingConfig, ReadsReceiversAndIntervals) {
  const YAML::Node node = YAML::Load(R"(
evaluation_interval: 30s
evaluation_min_gap: 250ms
resend_interval: 2m
external_url: http://chiso.example:9157
alertmanagers: [http://127.0.0.1:9093]
webhooks:
  - {name: phong_vhxh, url: "http://10.0.0.5:8080/chiso", offices: [phong_vhxh]}
)");
  Diagnostics problems;
  const AlertingConfig config = ReadAlertingConfig(node, "chiso.yaml", &problems);
  ASSERT_TRUE(problems.empty()) << problems.front().ToString();
  EXPECT_EQ(config.evaluation_interval, std::chrono::seconds(30));
  EXPECT_EQ(config.evaluation_min_gap, std::chrono::milliseconds(250));
  EXPECT_EQ(config.notifier.resend_interval, std::chrono::minutes(2));
  EXPECT_EQ(config.notifier.external_url, "http://chiso.example:9157");
  ASSERT_EQ(config.receivers.size(), 2u);
  EXPECT_EQ(config.receivers[0].kind, Receiver::Kind::kAlertmanager);
  EXPECT_EQ(config.receivers[1].offices, std::vector<std::string>{"phong_vhxh"});
}

TEST(AlertingConfig, DefaultsWhenAbsentAndProblemsWithLines) {
  Diagnostics problems;
  const AlertingConfig defaults = ReadAlertingConfig(YAML::Node(), "c.yaml", &problems);
  EXPECT_TRUE(defaults.receivers.empty());
  EXPECT_EQ(defaults.evaluation_min_gap, std::chrono::seconds(1));
  const YAML::Node node =
      YAML::Load("resend_interval: often\nalertmanagers: [ftp://x]\nwebhooks:\n  - {name: a}\n");
  ReadAlertingConfig(node, "c.yaml", &problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_THAT(problems[0].ToString(), HasSubstr("c.yaml:1: alerting: resend_interval"));
  EXPECT_THAT(problems[1].ToString(), HasSubstr("must be an http:// URL"));
  EXPECT_THAT(problems[2].ToString(), HasSubstr("c.yaml:4: webhook: missing required field 'url'"));
}

}  // namespace
}  // namespace chiso::notify
