// Integration, against the real binaries: a real Prometheus (Debian package, 2.42) configured with
// `remote_read` to chiso answers PromQL over chiso's stored history and plans. A backdated monthly
// series written months late, then corrected, comes back with exactly the corrected values; the
// expected path and the milestone targets of its plan come back as series; a selector matching
// nothing is an empty success.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include "common/calendar.h"
#include "tests/integration/prometheus_pair.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace chiso {
namespace {

namespace json = boost::json;

const std::string kSecret = "prometheus-remote-read-secret";
const TimeZone kVietnam;
constexpr TimestampMs kDay = 86'400'000;

TimestampMs EndOf(int year, int month, int day) {
  return EndOfDay(CivilDate{year, month, day}, kVietnam);
}

std::string UrlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// One series of a Prometheus answer: its labels and its (timestamp ms, value) points.
struct Answered {
  std::map<std::string, std::string> labels;
  std::vector<std::pair<TimestampMs, double>> points;
};

std::pair<TimestampMs, double> PointOf(const json::value& pair) {
  const json::array& both = pair.as_array();
  return {std::llround(both[0].to_number<double>() * 1000),
          std::stod(std::string(both[1].as_string()))};
}

class PrometheusRemoteReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("chiso_prom_rr_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    chiso_ = integration::StartChiso(dir_ / "data", kSecret);
    const std::optional<std::uint16_t> serving = integration::ServingPort(*chiso_);
    ASSERT_TRUE(serving.has_value()) << chiso_->stderr_text();
    chiso_port_ = *serving;

    std::ofstream(dir_ / "token") << kSecret;
    std::ofstream(dir_ / "prometheus.yml")
        << "remote_read:\n"
        << "  - url: http://127.0.0.1:" << chiso_port_ << "/api/v1/read\n"
        << "    read_recent: true\n"
        << "    filter_external_labels: false\n"
        << "    required_matchers: {store: chiso}\n"
        << "    authorization: {credentials_file: " << (dir_ / "token").string() << "}\n";
    std::string why;
    prometheus_port_ = integration::FreePort();
    prometheus_ = integration::StartPrometheus(dir_ / "prometheus.yml", dir_ / "tsdb",
                                               prometheus_port_, &why);
    ASSERT_TRUE(prometheus_) << why;
  }

  void TearDown() override {
    if (prometheus_) {
      EXPECT_EQ(integration::StopPrometheusThenChiso(*prometheus_, chiso_), "");
    }
    chiso_.reset();
    std::filesystem::remove_all(dir_);
  }

  void WriteReadings(const std::string& readings) {
    auto response =
        testing::HttpCall(chiso_port_, "POST", "/api/v1/readings",
                          "{\"readings\":[" + readings + "]}", "Authorization: Bearer " + kSecret);
    ASSERT_TRUE(response.has_value());
    ASSERT_EQ(response->status, 200) << response->body;
  }

  // Prometheus' /api/v1/query of `promql` at instant `at`: the series of its vector or matrix.
  // The warnings of the answer (a failed remote read is one) go to `warnings`; without it there
  // must be none.
  std::vector<Answered> Query(const std::string& promql, TimestampMs at,
                              std::string* warnings = nullptr) {
    const std::string target = "/api/v1/query?query=" + UrlEncode(promql) +
                               "&time=" + std::to_string(at / 1000) + "." +
                               std::to_string(1000 + at % 1000).substr(1);
    auto response = testing::HttpCall(prometheus_port_, "GET", target);
    std::vector<Answered> out;
    if (!response || response->status != 200) {
      ADD_FAILURE() << promql << ": " << (response ? response->body : "no answer") << "\n"
                    << prometheus_->stderr_text();
      return out;
    }
    const json::value body = json::parse(response->body);
    EXPECT_EQ(body.at("status").as_string(), "success") << response->body;
    if (warnings != nullptr) {
      if (const json::value* list = body.as_object().if_contains("warnings")) {
        *warnings = json::serialize(*list);
      }
    } else {
      EXPECT_FALSE(body.as_object().contains("warnings"))
          << "a failed remote read: " << response->body;
    }
    for (const json::value& series : body.at("data").at("result").as_array()) {
      Answered& one = out.emplace_back();
      for (const auto& [name, value] : series.at("metric").as_object()) {
        one.labels[std::string(name)] = std::string(value.as_string());
      }
      if (const json::value* values = series.as_object().if_contains("values")) {
        for (const json::value& pair : values->as_array()) one.points.push_back(PointOf(pair));
      } else {
        one.points.push_back(PointOf(series.at("value")));
      }
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<testing::ChildProcess> chiso_;
  std::unique_ptr<testing::ChildProcess> prometheus_;
  std::uint16_t chiso_port_ = 0;
  std::uint16_t prometheus_port_ = 0;
};

TEST_F(PrometheusRemoteReadTest, CorrectedHistoryAndThePlanComeBackThroughPrometheus) {
  // Gia Lộc's vneid_account_pct (monthly; its plan states no baseline: 70 by 2025-12-31), the
  // first half of 2025 sent long after, then March corrected.
  WriteReadings(
      R"({"indicator":"vneid_account_pct","unit":"gia_loc","value":40,"period":"2025-01"},
         {"indicator":"vneid_account_pct","unit":"gia_loc","value":42,"period":"2025-02"},
         {"indicator":"vneid_account_pct","unit":"gia_loc","value":45,"period":"2025-03"},
         {"indicator":"vneid_account_pct","unit":"gia_loc","value":49,"period":"2025-04"},
         {"indicator":"vneid_account_pct","unit":"gia_loc","value":52,"period":"2025-05"},
         {"indicator":"vneid_account_pct","unit":"gia_loc","value":55,"period":"2025-06"})");
  const std::string readings =
      R"(chiso_indicator_reading{store="chiso",unit="gia_loc",indicator="vneid_account_pct"})";
  const TimestampMs year_end = EndOf(2025, 12, 31);
  auto before = Query(readings + "[365d]", year_end);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(before[0].points.size(), 6u);
  EXPECT_EQ(before[0].points[2], std::make_pair(EndOf(2025, 3, 31), 45.0));

  WriteReadings(
      R"({"indicator":"vneid_account_pct","unit":"gia_loc","value":47,"period":"2025-03"})");
  auto after = Query(readings + "[365d]", year_end);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].labels["store"], "chiso");
  EXPECT_EQ(after[0].points,
            (std::vector<std::pair<TimestampMs, double>>{{EndOf(2025, 1, 31), 40},
                                                         {EndOf(2025, 2, 28), 42},
                                                         {EndOf(2025, 3, 31), 47},
                                                         {EndOf(2025, 4, 30), 49},
                                                         {EndOf(2025, 5, 31), 52},
                                                         {EndOf(2025, 6, 30), 55}}));

  // Monthly points are sparse: a plain selector looks back 5 minutes only, last_over_time 35 days.
  const TimestampMs mid_april = EndOf(2025, 4, 10);
  EXPECT_TRUE(Query(readings, mid_april).empty());
  auto last = Query("last_over_time(" + readings + "[35d])", mid_april);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].points, (std::vector<std::pair<TimestampMs, double>>{{mid_april, 47}}));

  // The plan: from the first reading (40 at the end of January) to 70 at the end of 2025, with a
  // point at every month end.
  const std::string plan = R"({store="chiso",unit="gia_loc",indicator="vneid_account_pct"})";
  const TimestampMs start = EndOf(2025, 1, 31);
  const int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::vector<TimestampMs> month_ends;
  for (int month = 1; month <= 12; ++month)
    month_ends.push_back(EndOf(2025, month, month_days[month - 1]));
  auto expected = Query("chiso_plan_expected" + plan + "[335d]", year_end);
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_EQ(expected[0].labels["office"], "cong_an_xa");
  ASSERT_EQ(expected[0].points.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_EQ(expected[0].points[i].first, month_ends[i]);
    EXPECT_NEAR(expected[0].points[i].second,
                40 + 30.0 * static_cast<double>(month_ends[i] - start) / (year_end - start), 1e-9)
        << "month " << i + 1;
  }
  auto targets = Query("chiso_plan_target" + plan + "[335d]", year_end);
  std::map<std::string, std::vector<std::pair<TimestampMs, double>>> by_milestone;
  for (const Answered& one : targets) by_milestone[one.labels.at("milestone")] = one.points;
  ASSERT_EQ(by_milestone["2025-12-31"].size(), 12u);
  EXPECT_EQ(by_milestone["2025-12-31"].front(), std::make_pair(start, 70.0));
  EXPECT_EQ(by_milestone["2025-12-31"].back(), std::make_pair(year_end, 70.0));
  EXPECT_EQ(by_milestone["2030-12-31"].size(), 12u) << "the 2030 target line, from the start on";
  EXPECT_EQ(by_milestone["2030-12-31"].back().second, 85);

  // A refused query reaches the user as Prometheus' warning with chiso's reason: chiso's regular
  // expressions have no RE2 flags such as (?i).
  std::string warnings;
  EXPECT_TRUE(
      Query(R"(chiso_indicator_reading{store="chiso",unit=~"(?i)GIA_LOC"})", year_end, &warnings)
          .empty());
  EXPECT_NE(warnings.find("400"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("remote read: queries[0].matchers["), std::string::npos) << warnings;

  // A selector matching nothing: success with an empty result.
  EXPECT_TRUE(
      Query(R"(chiso_indicator_reading{store="chiso",unit="khong_co_xa_nay"})", year_end).empty());
}

}  // namespace
}  // namespace chiso
