#include "forward/remote_write_config.h"

#include <gtest/gtest.h>

namespace chiso::forward {
namespace {

RemoteWriteConfig Read(const std::string& text, Diagnostics& problems) {
  return ReadRemoteWriteConfig(YAML::Load(text)["remote_write"], "chiso.yaml", &problems);
}

TEST(RemoteWriteConfigTest, ReadsEndpointsAndQueue) {
  Diagnostics problems;
  const RemoteWriteConfig config = Read(R"(
remote_write:
  queue: {max_pending_samples: 500, max_samples_per_send: 50, min_backoff: 200ms, max_backoff: 1m,
          shards: 8}
  plan_series_refresh: 90s
  endpoints:
    - name: national
      url: http://vminsert:8480/insert/0/prometheus/api/v1/write
      timeout: 5s
      headers: {X-Scope-OrgID: nghe_an}
      basic_auth: {username: chiso, password: secret}
      external_labels: {province: nghe_an, chiso_instance: nghe_an_1}
      match: ['__name__=~"dvc_.*|chiso_indicator_reading"', 'unit!="x\"y"']
    - name: backup
      url: http://127.0.0.1:9090/api/v1/write
      bearer_token: abc
)",
                                        problems);
  ASSERT_TRUE(problems.empty()) << problems[0].ToString();
  EXPECT_EQ(config.queue.max_pending_samples, 500u);
  EXPECT_EQ(config.queue.max_samples_per_send, 50u);
  EXPECT_EQ(config.queue.min_backoff, std::chrono::milliseconds(200));
  EXPECT_EQ(config.queue.max_backoff, std::chrono::milliseconds(60'000));
  EXPECT_EQ(config.queue.shards, 8u);
  EXPECT_EQ(config.plan_series_refresh, std::chrono::milliseconds(90'000));
  ASSERT_EQ(config.endpoints.size(), 2u);
  const Endpoint& national = config.endpoints[0];
  EXPECT_EQ(national.timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(national.headers,
            (http_client::HttpHeaders{{"X-Scope-OrgID", "nghe_an"},
                                      {"Authorization", "Basic Y2hpc286c2VjcmV0"}}));
  EXPECT_EQ(national.external_labels,
            (Labels{{"chiso_instance", "nghe_an_1"}, {"province", "nghe_an"}}));
  ASSERT_EQ(national.match.size(), 2u);
  EXPECT_TRUE(national.match[0].Matches("dvc_received"));
  EXPECT_FALSE(national.match[0].Matches("xa_dvc"));
  EXPECT_EQ(national.match[1].op(), LabelMatcher::Op::kNotEqual);
  EXPECT_EQ(national.match[1].value(), "x\"y");
  EXPECT_EQ(config.endpoints[1].headers,
            (http_client::HttpHeaders{{"Authorization", "Bearer abc"}}));
}

TEST(RemoteWriteConfigTest, AbsentSectionForwardsNothing) {
  Diagnostics problems;
  EXPECT_TRUE(Read("other: 1\n", problems).endpoints.empty());
  EXPECT_TRUE(problems.empty());
}

TEST(RemoteWriteConfigTest, NamesFileLineAndReason) {
  Diagnostics problems;
  Read(R"(
remote_write:
  endpoints:
    - name: national
      url: https://far.away/api/v1/write
    - name: national
      url: http://127.0.0.1:1/
      match: ['unit~"x"']
      bearer_token: a
      basic_auth: {username: u, password: p}
      colour: blue
)",
       problems);
  std::vector<std::string> messages;
  for (const Diagnostic& problem : problems) messages.push_back(problem.ToString());
  ASSERT_EQ(messages.size(), 5u) << ::testing::PrintToString(messages);
  EXPECT_EQ(messages[0],
            "chiso.yaml:5: remote_write endpoint: url "
            "'https://far.away/api/v1/write' must be an http:// URL");
  EXPECT_EQ(messages[1],
            "chiso.yaml:10: remote_write endpoint: basic_auth and bearer_token "
            "exclude each other");
  EXPECT_EQ(messages[2],
            "chiso.yaml:8: remote_write endpoint: match: matcher 'unit~\"x\"' has "
            "no operator =, !=, =~ or !~");
  EXPECT_EQ(messages[3], "chiso.yaml:11: remote_write endpoint: unknown field 'colour'");
  EXPECT_EQ(messages[4],
            "chiso.yaml:6: remote_write endpoint: endpoint name 'national' is repeated");
}

TEST(RemoteWriteConfigTest, BoundsTheShards) {
  Diagnostics problems;
  const RemoteWriteConfig config = Read(R"(
remote_write:
  queue: {shards: 500}
  endpoints: []
)",
                                        problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].ToString(), "chiso.yaml:3: remote_write queue: shards must be at most 64");
  EXPECT_EQ(config.queue.shards, 64u);
}

TEST(ParseMatcherTest, RefusesWhatPromQLWouldRefuse) {
  EXPECT_FALSE(ParseMatcher("=\"x\"").ok());
  EXPECT_FALSE(ParseMatcher("unit=x").ok());
  EXPECT_FALSE(ParseMatcher("un-it=\"x\"").ok());
  EXPECT_FALSE(ParseMatcher("unit=~\"(\"").ok());
  EXPECT_EQ(ParseMatcher("unit!~\"a|b\"")->op(), LabelMatcher::Op::kRegexNoMatch);
}

}  // namespace
}  // namespace chiso::forward
