#include "api/status_routes.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <boost/json.hpp>

#include "catalog/testing/test_catalog.h"

namespace chiso::api {
namespace {
namespace json = boost::json;
using namespace chiso::rules;

const TimeZone kZone;  // UTC+7

TimestampMs Noon(CivilDate date) { return StartOfDay(date, kZone) + 12 * 3'600'000; }

class StatusRoutesTest : public ::testing::Test {
 protected:
  StatusRoutesTest() {
    auto snapshot = std::make_shared<ServiceSnapshot>();
    snapshot->catalog = catalog_;
    ingest::TokenScopes other_unit;
    other_unit.units = {"kim_thanh"};
    ingest::TokenScopes province;
    province.units = {"hai_phong"};
    ingest::TokenScopes one_indicator;
    one_indicator.indicators = {"dvc_online_dossier_rate"};
    snapshot->tokens = std::make_shared<ingest::TokenTable>(std::vector<ingest::ApiToken>{
        {"viewer", ingest::Sha256Hex("r"), ingest::Role::kRead, {}},
        {"phong_vhxh", ingest::Sha256Hex("w"), ingest::Role::kWrite, {}},
        {"kim_thanh_writer", ingest::Sha256Hex("k"), ingest::Role::kWrite, other_unit},
        {"gia_loc_viewer", ingest::Sha256Hex("g"), ingest::Role::kRead, {{"gia_loc"}, {}, {}}},
        {"hai_phong_viewer", ingest::Sha256Hex("h"), ingest::Role::kRead, {{"hai_phong"}, {}, {}}},
        {"paper_viewer",
         ingest::Sha256Hex("p"),
         ingest::Role::kRead,
         {{}, {"paper_dossier_share"}, {}}},
        {"hai_phong_writer", ingest::Sha256Hex("hw"), ingest::Role::kWrite, province},
        {"rate_writer", ingest::Sha256Hex("i"), ingest::Role::kWrite, one_indicator}});
    snapshots_.Set(snapshot);
    source_.AddIndicatorReadings("gia_loc", "paper_dossier_share",
                                 {{EndOfDay({2025, 9, 30}, kZone), 45, Noon({2025, 10, 2})},
                                  {EndOfDay({2025, 10, 31}, kZone), 38, Noon({2025, 11, 7})}});
    AddStatusRoutes(router_, {&evaluator_, &source_, &log_, &clock_, &alerting_,
                              [this] { ++progress_recorded_; }});
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& token = "r", const std::string& body = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    EXPECT_TRUE(ParseTarget(target, &request.path, &request.query).ok());
    request.authorization = "Bearer " + token;
    request.body = body;
    return router_.Handle(request);
  }

  static json::object Body(const HttpResponse& response) {
    return json::parse(response.body).as_object();
  }

  std::shared_ptr<const catalog::Catalog> catalog_ = catalog::testing::GiaLocTestCatalog();
  SnapshotHolder snapshots_;
  prometheus::Registry registry_;
  Router router_{&snapshots_, &registry_, {}};
  MemoryReadingSource source_;
  MemoryTaskProgressLog log_;
  FakeClock clock_{Noon({2025, 11, 9})};
  Evaluator evaluator_{&source_, &log_, &clock_};
  MemoryAlertLog alert_log_;
  Alerting alerting_{&alert_log_};
  int progress_recorded_ = 0;  // calls of StatusRoutesDeps::progress_recorded
};

TEST_F(StatusRoutesTest, StatusNeedsAnEvaluationThenFilters) {
  EXPECT_EQ(Call("GET", "/api/v1/status").status, 503);
  evaluator_.Run(catalog_);

  const HttpResponse all = Call("GET", "/api/v1/status");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Body(all).at("rows").as_array().size(), 3u);

  const HttpResponse at_risk = Call("GET", "/api/v1/status?unit=gia_loc&status=at_risk");
  const json::object body = Body(at_risk);
  ASSERT_EQ(body.at("rows").as_array().size(), 1u);
  const json::object& row = body.at("rows").as_array()[0].as_object();
  EXPECT_EQ(row.at("indicator"), "paper_dossier_share");
  EXPECT_EQ(row.at("status_label"), "Có nguy cơ chậm");
  EXPECT_EQ(row.at("value").to_number<double>(), 38);
  EXPECT_EQ(row.at("value_at"), "2025-10-31T23:59:59.999+07:00");
  EXPECT_EQ(row.at("target").as_object().at("op"), "<=");
  EXPECT_EQ(body.at("counts").as_object().at("at_risk").as_int64(), 1);

  EXPECT_EQ(Body(Call("GET", "/api/v1/status?office=trung_tam_phvhc")).at("rows").as_array().size(),
            1u);
  EXPECT_EQ(Call("GET", "/api/v1/status?status=late").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/status?unit=nowhere").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/status", "").status, 401);
}

TEST_F(StatusRoutesTest, ReportsForAPeriodOrTheLatestDue) {
  const HttpResponse october = Call("GET", "/api/v1/reports?period=2025-Q4&unit=gia_loc");
  ASSERT_EQ(october.status, 200) << october.body;
  const json::object body = Body(october);
  // 9 November: October's monthly report arrived late (7 Nov, due 5 Nov); the narrative one is
  // due 10 November.
  const json::array& rows = body.at("rows").as_array();
  ASSERT_EQ(rows.size(), 6u);  // two rules × three months
  EXPECT_EQ(rows[0].as_object().at("period"), "2025-10");
  EXPECT_EQ(rows[0].as_object().at("state"), "late");
  EXPECT_EQ(rows[0].as_object().at("state_label"), "Trễ hạn");
  EXPECT_EQ(rows[1].as_object().at("state"), "not_due");
  EXPECT_EQ(rows[3].as_object().at("report"), "narrative");
  EXPECT_EQ(rows[3].as_object().at("state"), "not_due");
  const json::array& summary = body.at("summary").as_array();
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[0].as_object().at("office"), "phong_vhxh");
  EXPECT_EQ(summary[0].as_object().at("expected").as_int64(), 1);
  EXPECT_EQ(summary[0].as_object().at("received").as_int64(), 1);
  EXPECT_EQ(summary[0].as_object().at("on_time").as_int64(), 0);
  EXPECT_EQ(summary[0].as_object().at("reporting_rate").to_number<double>(), 1.0);

  EXPECT_EQ(Call("GET", "/api/v1/reports?period=2025-13").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/reports").status, 503);
  evaluator_.Run(catalog_);
  const HttpResponse latest = Call("GET", "/api/v1/reports");
  ASSERT_EQ(latest.status, 200);
  EXPECT_EQ(Body(latest).at("rows").as_array().size(), 2u);
}

TEST_F(StatusRoutesTest, TasksListAndRecordProgress) {
  const HttpResponse overdue = Call("GET", "/api/v1/tasks?overdue=true");
  ASSERT_EQ(overdue.status, 200) << overdue.body;
  const json::object overdue_body = Body(overdue);
  const json::array& tasks = overdue_body.at("tasks").as_array();
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].as_object().at("deadline"), "2025-10-31");
  EXPECT_EQ(tasks[0].as_object().at("state"), "not_started");

  const std::string done = R"({"unit": "gia_loc", "state": "done", "note": "Đã nghiệm thu"})";
  EXPECT_EQ(Call("POST", "/api/v1/tasks/t1", "r", done).status, 403);  // read-only token
  EXPECT_EQ(Call("POST", "/api/v1/tasks/t1", "k", done).status, 403);  // other unit's writer
  EXPECT_EQ(progress_recorded_, 0);
  const HttpResponse posted = Call("POST", "/api/v1/tasks/t1", "w", done);
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(progress_recorded_, 1);  // the service re-evaluates at once
  const json::object posted_body = Body(posted);
  const json::object& task = posted_body.at("task").as_object();
  EXPECT_EQ(task.at("state"), "done");
  EXPECT_EQ(task.at("overdue"), false);
  EXPECT_EQ(task.at("recorded_by"), "phong_vhxh");
  EXPECT_EQ(task.at("note"), "Đã nghiệm thu");

  auto records = log_.Load();
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front().recorded_at, clock_.Now());

  EXPECT_EQ(Body(Call("GET", "/api/v1/tasks?overdue=true")).at("tasks").as_array().size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/tasks/t1?unit=gia_loc").status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/tasks/t9").status, 404);
}

// Task progress is within a token's unit scope when the task's unit is one of its units or
// under one of them; an indicator scope does not narrow it (a task has no indicator).
TEST_F(StatusRoutesTest, TaskProgressFollowsTheTokensUnitScope) {
  const std::string done = R"({"unit": "gia_loc", "state": "done"})";
  const HttpResponse refused = Call("POST", "/api/v1/tasks/t1", "k", done);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(
      refused.body.find("unit 'gia_loc' is outside token 'kim_thanh_writer''s units [kim_thanh]"),
      std::string::npos)
      << refused.body;
  auto records = log_.Load();
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
  EXPECT_EQ(progress_recorded_, 0);

  EXPECT_EQ(Call("POST", "/api/v1/tasks/t1", "hw", done).status, 200);  // gia_loc is in hai_phong
  records = log_.Load();
  ASSERT_TRUE(records.ok() && !records->empty());
  EXPECT_EQ(records->back().recorded_by, "hai_phong_writer");
  EXPECT_EQ(Call("POST", "/api/v1/tasks/t1", "i", done).status, 200);
  records = log_.Load();
  ASSERT_TRUE(records.ok() && !records->empty());
  EXPECT_EQ(records->back().recorded_by, "rate_writer");
}

TEST_F(StatusRoutesTest, RejectsBadProgressPrecisely) {
  auto post = [this](const std::string& body) {
    return Call("POST", "/api/v1/tasks/t1", "w", body);
  };
  EXPECT_EQ(post("not json").status, 400);
  EXPECT_EQ(post(R"({"state": "done"})").status, 400);
  EXPECT_EQ(post(R"({"unit": "gia_loc", "state": "finished"})").status, 400);
  EXPECT_EQ(post(R"({"unit": "gia_loc", "state": "done", "colour": "red"})").status, 400);
  EXPECT_EQ(post(R"({"unit": "gia_loc", "state": "done", "occurrence": "2025"})").status, 400);
  EXPECT_EQ(post(R"({"unit": 7, "state": "done"})").status, 400);
  EXPECT_EQ(post(R"({"unit": "nowhere", "state": "done"})").status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/tasks/t9", "w", R"({"unit": "gia_loc", "state": "done"})").status,
            404);
  const HttpResponse bad = post(R"({"unit": "gia_loc", "state": "finished"})");
  EXPECT_NE(bad.body.find("not_started, in_progress, done"), std::string::npos) << bad.body;
  auto records = log_.Load();
  EXPECT_TRUE(records.ok() && records->empty());
  EXPECT_EQ(progress_recorded_, 0);
}

TEST_F(StatusRoutesTest, AlertsWithStateLabelsAndAnnotations) {
  AlertRule rule;
  rule.name = "ChiTieuCoNguyCoCham";
  rule.statuses = {IndicatorStatus::kAtRisk};
  rule.for_duration = std::chrono::hours(1);
  rule.summary = "{{unit_name}}: {{indicator_name}} có nguy cơ chậm";
  alerting_.SetRules({rule});
  ASSERT_TRUE(alerting_.Update(*evaluator_.Run(catalog_), clock_.Now()).ok());

  const HttpResponse response = Call("GET", "/api/v1/alerts?unit=gia_loc");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::object body = Body(response);
  const json::array& alerts = body.at("alerts").as_array();
  ASSERT_EQ(alerts.size(), 1u);
  const json::object& alert = alerts[0].as_object();
  EXPECT_EQ(alert.at("state"), "pending");
  EXPECT_EQ(alert.at("labels").as_object().at("office"), "phong_vhxh");
  EXPECT_EQ(alert.at("annotations").as_object().at("summary"),
            "Xã Gia Lộc: Tỷ lệ hồ sơ nộp giấy có nguy cơ chậm");
  EXPECT_EQ(alert.at("activeAt"), "2025-11-09T05:00:00.000Z");
  EXPECT_TRUE(alert.at("firedAt").is_null());
  EXPECT_EQ(Body(Call("GET", "/api/v1/alerts?state=firing")).at("alerts").as_array().size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?state=burning").status, 400);
}

// The number of entries under `key` in the answer to GET `target` with `token`.
std::size_t Count(const HttpResponse& response, const char* key) {
  EXPECT_EQ(response.status, 200) << response.body;
  return json::parse(response.body).as_object().at(key).as_array().size();
}

TEST_F(StatusRoutesTest, ReadScopesNarrowStatusReportsAndTasks) {
  evaluator_.Run(catalog_);
  // r: unscoped; g: gia_loc; h: the province hai_phong above it; k: kim_thanh; p: one indicator.
  for (const std::string token : {"r", "g", "h"}) {
    SCOPED_TRACE(token);
    EXPECT_EQ(Count(Call("GET", "/api/v1/status", token), "rows"), 3u);
    EXPECT_EQ(Count(Call("GET", "/api/v1/status?unit=gia_loc", token), "rows"), 3u);
    EXPECT_EQ(Count(Call("GET", "/api/v1/reports", token), "rows"), 2u);
    EXPECT_EQ(Count(Call("GET", "/api/v1/reports?period=2025-10", token), "rows"), 2u);
    EXPECT_EQ(Count(Call("GET", "/api/v1/tasks", token), "tasks"), 1u);
    EXPECT_EQ(Count(Call("GET", "/api/v1/tasks/t1", token), "tasks"), 1u);
  }
  EXPECT_EQ(Count(Call("GET", "/api/v1/status", "k"), "rows"), 0u);
  EXPECT_EQ(Count(Call("GET", "/api/v1/reports", "k"), "rows"), 0u);
  EXPECT_EQ(Count(Call("GET", "/api/v1/reports?period=2025-10", "k"), "rows"), 0u);
  EXPECT_EQ(Count(Call("GET", "/api/v1/tasks", "k"), "tasks"), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/tasks/t1", "k").status, 404);
  for (const std::string target :
       {"/api/v1/status?unit=gia_loc", "/api/v1/reports?unit=gia_loc",
        "/api/v1/reports?period=2025-10&unit=gia_loc", "/api/v1/tasks?unit=gia_loc",
        "/api/v1/tasks/t1?unit=gia_loc", "/api/v1/alerts?unit=gia_loc"}) {
    const HttpResponse refused = Call("GET", target, "k");
    EXPECT_EQ(refused.status, 403) << target;
    EXPECT_NE(refused.body.find("may not read unit 'gia_loc' (its units: kim_thanh"),
              std::string::npos)
        << refused.body;
  }
  EXPECT_EQ(Call("GET", "/api/v1/status?unit=hai_phong", "g").status, 403) << "not upwards";
  EXPECT_EQ(Call("GET", "/api/v1/status?unit=nowhere", "g").status, 403);

  const HttpResponse paper = Call("GET", "/api/v1/status", "p");
  ASSERT_EQ(Count(paper, "rows"), 1u);
  EXPECT_EQ(Body(paper).at("rows").as_array()[0].as_object().at("indicator"),
            "paper_dossier_share");
  EXPECT_EQ(Call("GET", "/api/v1/status?indicator=dvc_online_dossier_rate", "p").status, 403);
  EXPECT_EQ(Count(Call("GET", "/api/v1/tasks", "p"), "tasks"), 1u) << "tasks have no indicator";
}

TEST_F(StatusRoutesTest, ReadScopesNarrowAlerts) {
  auto alert = [](std::map<std::string, std::string> labels) {
    Alert a;
    a.labels = std::move(labels);
    a.state = AlertState::kFiring;
    a.active_at = a.fired_at = a.last_active_at = Noon({2025, 11, 8});
    return a;
  };
  AlertChanges saved;
  saved.upserted = {
      alert({{"alertname", "A"}, {"unit", "gia_loc"}, {"indicator", "paper_dossier_share"}}),
      alert({{"alertname", "A"}, {"unit", "kim_thanh"}, {"indicator", "paper_dossier_share"}}),
      alert({{"alertname", "NguonDuLieuIm"}})};  // a silent source, over all units
  ASSERT_TRUE(alert_log_.Apply(saved).ok());
  ASSERT_TRUE(alerting_.Restore().ok());

  auto units = [this](const std::string& token) {
    std::vector<std::string> out;
    const json::object body = Body(Call("GET", "/api/v1/alerts", token));
    for (const auto& a : body.at("alerts").as_array()) {
      const auto* unit = a.at("labels").as_object().if_contains("unit");
      out.emplace_back(unit ? std::string(unit->as_string()) : "-");
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using Units = std::vector<std::string>;
  EXPECT_EQ(units("r"), (Units{"-", "gia_loc", "kim_thanh"}));
  EXPECT_EQ(units("g"), (Units{"gia_loc"}));
  EXPECT_EQ(units("h"), (Units{"gia_loc"}));
  EXPECT_EQ(units("k"), (Units{"kim_thanh"}));
  EXPECT_EQ(units("p"), (Units{"-", "gia_loc", "kim_thanh"}));
  EXPECT_EQ(Call("GET", "/api/v1/alerts?unit=kim_thanh", "g").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/alerts?unit=gia_loc", "h").status, 200);
}

}  // namespace
}  // namespace chiso::api
