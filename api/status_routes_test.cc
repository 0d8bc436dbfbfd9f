#include "api/status_routes.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>

#include "api/paging.h"
#include "catalog/catalog_loader.h"
#include "catalog/testing/test_catalog.h"

namespace chiso::api {
namespace {
namespace json = boost::json;
using namespace chiso::rules;

const TimeZone kZone;  // UTC+7

TimestampMs Noon(CivilDate date) { return StartOfDay(date, kZone) + 12 * 3'600'000; }

// Routes over `catalog`, with tokens of every kind of scope.
class StatusRoutesFixture : public ::testing::Test {
 protected:
  explicit StatusRoutesFixture(std::shared_ptr<const catalog::Catalog> catalog)
      : catalog_(std::move(catalog)) {
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

  std::shared_ptr<const catalog::Catalog> catalog_;
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

class StatusRoutesTest : public StatusRoutesFixture {
 protected:
  StatusRoutesTest() : StatusRoutesFixture(catalog::testing::GiaLocTestCatalog()) {}
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

// ------------------------------------------------------------------ provinces and pages

// The test catalog's units, offices and indicators, plus a second province and more communes:
// Hải Phòng over gia_loc, kim_thanh, tu_ky; Quảng Nam over a_vuong, tay_giang.
const char kMoreUnits[] = R"(units:
  - {id: kim_thanh, name: Xã Kim Thành, level: commune, parent: hai_phong}
  - {id: tu_ky, name: Xã Tứ Kỳ, level: commune, parent: hai_phong}
  - {id: quang_nam, name: Tỉnh Quảng Nam, level: province}
  - {id: a_vuong, name: Xã A Vương, level: commune, parent: quang_nam}
  - {id: tay_giang, name: Xã Tây Giang, level: commune, parent: quang_nam}
  - {id: an_duong, name: Xã An Dương, level: commune, parent: hai_phong}
  - {id: vinh_bao, name: Xã Vĩnh Bảo, level: commune, parent: hai_phong}
)";

// A plan of `unit`: two targets (offices trung_tam_phvhc and phong_vhxh), a third one in Hải
// Phòng (phong_vhxh), task t1 due 2025-10-31 and a monthly report.
SourceFile PlanOf(const std::string& unit, bool third_target) {
  std::string text = "plan: {unit: " + unit + R"(, title: Kế hoạch, source: seeds/000}
targets:
  - indicator: dvc_online_dossier_rate
    baseline: not_stated
    milestones: [{date: 2025-12-31, op: ">=", target: 70, source: "000"}]
  - indicator: paper_dossier_share
    baseline: {date: 2024-12-31, value: 60, source: "báo cáo 2024"}
    milestones: [{date: 2025-12-31, target: 30, source: "000"}]
)";
  if (third_target) {
    text += R"(  - indicator: public_initiatives_recognized
    baseline: not_stated
    milestones: [{date: 2025-12-31, target: 2, source: "000"}]
)";
  }
  text += R"(tasks:
  - {id: t1, title: An ninh mạng, lead: phong_vhxh, deadline_text: "2025", due: 2025-10-31, source: "000"}
reporting:
  - {id: monthly, office: phong_vhxh, period: month, due: {days_after_period_end: 5}, grace_days: 3,
     source: "001"}
)";
  return {"plans/" + unit + ".yaml", text};
}

// Plans for `communes`; those of Hải Phòng have three targets, the others two.
std::shared_ptr<const catalog::Catalog> TwoProvinces(const std::vector<std::string>& communes) {
  std::vector<SourceFile> plans;
  for (const std::string& unit : communes) {
    plans.push_back(PlanOf(unit, unit != "a_vuong" && unit != "tay_giang"));
  }
  catalog::CatalogLoad load = catalog::LoadCatalog(
      {{"catalog.yaml", catalog::testing::kTestCatalogYaml}, {"units.yaml", kMoreUnits}}, plans);
  EXPECT_TRUE(load.problems.empty()) << load.problems.front().ToString();
  return load.catalog;
}

const std::vector<std::string> kCommunes = {"gia_loc", "kim_thanh", "tu_ky", "a_vuong",
                                            "tay_giang"};

class ProvinceRollUpTest : public StatusRoutesFixture {
 protected:
  ProvinceRollUpTest() : StatusRoutesFixture(TwoProvinces(kCommunes)) {}

  // Every row of GET `target` (status rows, reports, tasks or alerts under `key`), walking the
  // pages of `limit` rows; each row is named by `name_of`. Checks that total stays `total`.
  std::vector<std::string> Walk(const std::string& target, const char* key, int limit,
                                std::size_t total,
                                const std::function<std::string(const json::object&)>& name_of) {
    std::vector<std::string> names;
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      const std::string separator = target.find('?') == std::string::npos ? "?" : "&";
      const HttpResponse response =
          Call("GET", target + separator + "limit=" + std::to_string(limit) +
                          (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(response.status, 200) << response.body;
      if (response.status != 200) break;
      const json::object body = Body(response);
      EXPECT_EQ(body.at("total").as_int64(), static_cast<std::int64_t>(total)) << target;
      const json::array& rows = body.at(key).as_array();
      EXPECT_LE(rows.size(), static_cast<std::size_t>(limit));
      for (const json::value& row : rows) names.push_back(name_of(row.as_object()));
      if (body.at("next_cursor").is_null()) break;
      EXPECT_EQ(rows.size(), static_cast<std::size_t>(limit)) << "only the last page is short";
      cursor = std::string(body.at("next_cursor").as_string());
    }
    return names;
  }
};

std::string Field(const json::object& row, const char* name) {
  return std::string(row.at(name).as_string());
}

std::string StatusName(const json::object& row) {
  return Field(row, "unit") + "/" + Field(row, "indicator");
}

// The units of the rows under `key` of `response`, in order, each once.
std::vector<std::string> UnitsOf(const HttpResponse& response, const char* key) {
  EXPECT_EQ(response.status, 200) << response.body;
  std::vector<std::string> units;
  const json::value body = json::parse(response.body);
  for (const json::value& row : body.at(key).as_array()) {
    const json::object& object = row.as_object();
    const std::string unit = object.contains("unit")
                                 ? Field(object, "unit")
                                 : Field(object.at("labels").as_object(), "unit");
    if (units.empty() || units.back() != unit) units.push_back(unit);
  }
  return units;
}

using Names = std::vector<std::string>;

TEST_F(ProvinceRollUpTest, StatusOfAProvinceCoversExactlyItsCommunes) {
  evaluator_.Run(catalog_);
  const HttpResponse hai_phong = Call("GET", "/api/v1/status?province=hai_phong");
  EXPECT_EQ(UnitsOf(hai_phong, "rows"), (Names{"gia_loc", "kim_thanh", "tu_ky"}));
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/status?unit=quang_nam"), "rows"),
            (Names{"a_vuong", "tay_giang"}));
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/status?province=quang_nam&unit=tay_giang"), "rows"),
            (Names{"tay_giang"}));
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/status?province=quang_nam&unit=gia_loc"), "rows"),
            Names{});

  const json::object body = Body(hai_phong);
  EXPECT_EQ(body.at("total").as_int64(), 9);
  EXPECT_TRUE(body.at("next_cursor").is_null());
  EXPECT_EQ(body.at("counts").at("at_risk").as_int64(), 1);
  EXPECT_EQ(body.at("counts").at("no_data").as_int64(), 8);
  EXPECT_EQ(json::serialize(body.at("by_unit")),
            R"({"gia_loc":{"no_data":2,"at_risk":1},"kim_thanh":{"no_data":3},)"
            R"("tu_ky":{"no_data":3}})");
  EXPECT_EQ(json::serialize(body.at("by_office")),
            R"({"trung_tam_phvhc":{"no_data":3},"phong_vhxh":{"at_risk":1,"no_data":5}})");

  // Counts cover every matching row, not only the page.
  const json::object page = Body(Call("GET", "/api/v1/status?province=hai_phong&limit=1"));
  EXPECT_EQ(page.at("rows").as_array().size(), 1u);
  EXPECT_EQ(page.at("total").as_int64(), 9);
  EXPECT_EQ(page.at("by_unit"), body.at("by_unit"));
  EXPECT_EQ(page.at("counts"), body.at("counts"));
  const json::object at_risk =
      Body(Call("GET", "/api/v1/status?province=hai_phong&status=at_risk&office=phong_vhxh"));
  EXPECT_EQ(at_risk.at("total").as_int64(), 1);
  EXPECT_EQ(json::serialize(at_risk.at("by_unit")), R"({"gia_loc":{"at_risk":1}})");
}

TEST_F(ProvinceRollUpTest, UnknownOrWrongProvincesAndScopes) {
  evaluator_.Run(catalog_);
  for (const std::string list : {"status", "reports", "tasks", "alerts"}) {
    SCOPED_TRACE(list);
    const std::string path = "/api/v1/" + list;
    const HttpResponse unknown = Call("GET", path + "?province=ha_tay");
    EXPECT_EQ(unknown.status, 404);
    EXPECT_NE(unknown.body.find("province 'ha_tay' is not in the catalog"), std::string::npos)
        << unknown.body;
    const HttpResponse commune = Call("GET", path + "?province=gia_loc");
    EXPECT_EQ(commune.status, 400);
    EXPECT_NE(commune.body.find("province 'gia_loc' is a commune, not a province"),
              std::string::npos)
        << commune.body;
    const HttpResponse outside = Call("GET", path + "?province=quang_nam", "h");
    EXPECT_EQ(outside.status, 403);
    EXPECT_NE(outside.body.find("may not read unit 'quang_nam'"), std::string::npos)
        << outside.body;
    EXPECT_EQ(Call("GET", path + "?province=hai_phong", "h").status, 200);
    EXPECT_EQ(Call("GET", path + "?province=hai_phong", "g").status, 403) << "not upwards";
    EXPECT_EQ(Call("GET", path + "?unit=tay_giang", "h").status, 403);
  }
  // A province-scoped token sees its communes only, with or without the filter.
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/status", "h"), "rows"),
            (Names{"gia_loc", "kim_thanh", "tu_ky"}));
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/tasks", "h"), "tasks"),
            (Names{"gia_loc", "kim_thanh", "tu_ky"}));
}

TEST_F(ProvinceRollUpTest, PagesWalkEveryRowOnce) {
  evaluator_.Run(catalog_);
  const Names all = Walk("/api/v1/status", "rows", 1000, 13, StatusName);
  ASSERT_EQ(all.size(), 13u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end())) << "ordered by unit, then indicator";
  EXPECT_EQ(all.front(), "a_vuong/dvc_online_dossier_rate");
  for (int limit : {1, 2, 7, 13, 14}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(Walk("/api/v1/status", "rows", limit, 13, StatusName), all);
    EXPECT_EQ(Walk("/api/v1/status?province=quang_nam", "rows", limit, 4, StatusName),
              (Names{"a_vuong/dvc_online_dossier_rate", "a_vuong/paper_dossier_share",
                     "tay_giang/dvc_online_dossier_rate", "tay_giang/paper_dossier_share"}));
  }
  auto report_name = [](const json::object& row) {
    return Field(row, "unit") + "/" + Field(row, "report") + "/" + Field(row, "period");
  };
  auto task_name = [](const json::object& row) {
    return Field(row, "unit") + "/" + Field(row, "task");
  };
  for (int limit : {1, 2, 7}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(Walk("/api/v1/reports?period=2025-Q4", "rows", limit, 15, report_name).size(), 15u);
    EXPECT_EQ(
        Walk("/api/v1/reports?province=hai_phong", "rows", limit, 3, report_name),
        (Names{"gia_loc/monthly/2025-10", "kim_thanh/monthly/2025-10", "tu_ky/monthly/2025-10"}));
    EXPECT_EQ(Walk("/api/v1/tasks", "tasks", limit, 5, task_name),
              (Names{"a_vuong/t1", "gia_loc/t1", "kim_thanh/t1", "tay_giang/t1", "tu_ky/t1"}));
  }
}

TEST_F(ProvinceRollUpTest, ACursorSurvivesANewEvaluation) {
  evaluator_.Run(catalog_);
  const json::object first = Body(Call("GET", "/api/v1/status?province=hai_phong&limit=4"));
  ASSERT_EQ(first.at("rows").as_array().size(), 4u);
  Names seen;
  for (const json::value& row : first.at("rows").as_array())
    seen.push_back(StatusName(row.as_object()));
  EXPECT_EQ(seen.back(), "kim_thanh/dvc_online_dossier_rate");
  const std::string cursor(first.at("next_cursor").as_string());

  // A reload adds an_duong (before the cursor) and vinh_bao (after it) and a new cycle runs.
  std::vector<std::string> more = kCommunes;
  more.insert(more.end(), {"an_duong", "vinh_bao"});
  evaluator_.Run(TwoProvinces(more));
  std::string next = cursor;
  while (!next.empty()) {
    const HttpResponse page =
        Call("GET", "/api/v1/status?province=hai_phong&limit=4&cursor=" + next);
    ASSERT_EQ(page.status, 200) << page.body;
    const json::object body = Body(page);
    EXPECT_EQ(body.at("total").as_int64(), 15) << "the total of the new evaluation";
    for (const json::value& row : body.at("rows").as_array()) {
      seen.push_back(StatusName(row.as_object()));
    }
    next = body.at("next_cursor").is_null() ? "" : std::string(body.at("next_cursor").as_string());
  }
  EXPECT_EQ(seen,
            (Names{"gia_loc/dvc_online_dossier_rate", "gia_loc/paper_dossier_share",
                   "gia_loc/public_initiatives_recognized", "kim_thanh/dvc_online_dossier_rate",
                   "kim_thanh/paper_dossier_share", "kim_thanh/public_initiatives_recognized",
                   "tu_ky/dvc_online_dossier_rate", "tu_ky/paper_dossier_share",
                   "tu_ky/public_initiatives_recognized", "vinh_bao/dvc_online_dossier_rate",
                   "vinh_bao/paper_dossier_share", "vinh_bao/public_initiatives_recognized"}))
      << "no repeat; an_duong came before the cursor, vinh_bao after it";
}

TEST_F(ProvinceRollUpTest, BadLimitsAndCursorsAreRefusedByName) {
  evaluator_.Run(catalog_);
  for (const std::string list : {"status", "reports", "tasks", "alerts"}) {
    SCOPED_TRACE(list);
    const std::string path = "/api/v1/" + list + "?";
    for (const std::string limit : {"0", "-1", "1.5", "ten", "10001", "99999999999999999999"}) {
      const HttpResponse bad = Call("GET", path + "limit=" + limit);
      EXPECT_EQ(bad.status, 400) << limit;
      EXPECT_NE(bad.body.find("query parameter limit must be a whole number from 1 to 10000"),
                std::string::npos)
          << bad.body;
    }
    EXPECT_EQ(Call("GET", path + "limit=10000").status, 200);
    const std::string status_cursor = EncodeCursor("status", {"gia_loc", "x"});
    for (const std::string& cursor :
         {std::string("zz"), std::string("abc"), std::string("3a"), status_cursor.substr(2),
          EncodeCursor(list, {"one", "two", "three", "four"})}) {
      const HttpResponse bad = Call("GET", path + "cursor=" + cursor);
      EXPECT_EQ(bad.status, 400) << cursor;
      EXPECT_NE(bad.body.find("query parameter cursor is not a cursor of /api/v1/" + list),
                std::string::npos)
          << bad.body;
    }
    EXPECT_EQ(Call("GET", path + "cursor=" + status_cursor).status, list == "status" ? 200 : 400)
        << "a cursor belongs to its list";
  }
}

TEST_F(ProvinceRollUpTest, AlertsOfAProvinceFilteredAndPaged) {
  auto alert = [](const std::string& unit, const std::string& indicator, AlertState state) {
    Alert a;
    a.labels = {
        {"alertname", "ChiTieuCham"},
        {"unit", unit},
        {"indicator", indicator},
        {"office", indicator == "dvc_online_dossier_rate" ? "trung_tam_phvhc" : "phong_vhxh"}};
    a.state = state;
    a.active_at = a.last_active_at = Noon({2025, 11, 8});
    if (state == AlertState::kFiring) a.fired_at = a.active_at;
    return a;
  };
  AlertChanges saved;
  for (const std::string& unit : kCommunes) {
    saved.upserted.push_back(alert(unit, "paper_dossier_share", AlertState::kFiring));
    saved.upserted.push_back(alert(unit, "dvc_online_dossier_rate", AlertState::kPending));
  }
  Alert silent_source = alert("", "", AlertState::kFiring);  // over all units
  silent_source.labels = {{"alertname", "NguonDuLieuIm"}};
  saved.upserted.push_back(silent_source);
  ASSERT_TRUE(alert_log_.Apply(saved).ok());
  ASSERT_TRUE(alerting_.Restore().ok());

  auto alert_name = [](const json::object& a) {
    const json::object& labels = a.at("labels").as_object();
    return (labels.contains("unit") ? Field(labels, "unit") : "-") + "/" +
           (labels.contains("indicator") ? Field(labels, "indicator") : "-");
  };
  for (int limit : {1, 2, 7}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(Walk("/api/v1/alerts", "alerts", limit, 11, alert_name).size(), 11u);
    EXPECT_EQ(Walk("/api/v1/alerts?province=quang_nam", "alerts", limit, 4, alert_name),
              (Names{"a_vuong/dvc_online_dossier_rate", "a_vuong/paper_dossier_share",
                     "tay_giang/dvc_online_dossier_rate", "tay_giang/paper_dossier_share"}));
  }
  EXPECT_EQ(Walk("/api/v1/alerts?province=hai_phong&state=firing&indicator=paper_dossier_share",
                 "alerts", 2, 3, alert_name),
            (Names{"gia_loc/paper_dossier_share", "kim_thanh/paper_dossier_share",
                   "tu_ky/paper_dossier_share"}));
  EXPECT_EQ(
      Walk("/api/v1/alerts?unit=hai_phong&office=trung_tam_phvhc", "alerts", 5, 3, alert_name),
      (Names{"gia_loc/dvc_online_dossier_rate", "kim_thanh/dvc_online_dossier_rate",
             "tu_ky/dvc_online_dossier_rate"}));
  EXPECT_EQ(Call("GET", "/api/v1/alerts?indicator=dvc_online_dossier_rate", "p").status, 403);
}

TEST_F(ProvinceRollUpTest, ReportsAndTasksOfAProvince) {
  evaluator_.Run(catalog_);
  const json::object reports =
      Body(Call("GET", "/api/v1/reports?period=2025-10&province=hai_phong&limit=1"));
  EXPECT_EQ(reports.at("total").as_int64(), 3);
  Names summarized;
  for (const json::value& s : reports.at("summary").as_array()) {
    summarized.push_back(Field(s.as_object(), "unit"));
  }
  EXPECT_EQ(summarized, (Names{"gia_loc", "kim_thanh", "tu_ky"})) << "over every row, not the page";
  const json::object late =
      Body(Call("GET", "/api/v1/reports?period=2025-10&province=hai_phong&state=late"));
  EXPECT_EQ(
      UnitsOf(Call("GET", "/api/v1/reports?period=2025-10&province=hai_phong&state=late"), "rows"),
      Names{"gia_loc"});
  EXPECT_EQ(late.at("total").as_int64(), 1);
  EXPECT_EQ(Call("GET", "/api/v1/reports?state=lost").status, 400);
  EXPECT_EQ(Body(Call("GET", "/api/v1/reports?office=trung_tam_phvhc")).at("total").as_int64(), 0);

  const std::string done = R"({"unit": "kim_thanh", "state": "done"})";
  ASSERT_EQ(Call("POST", "/api/v1/tasks/t1", "w", done).status, 200);
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/tasks?province=hai_phong&overdue=true"), "tasks"),
            (Names{"gia_loc", "tu_ky"}));
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/tasks?unit=hai_phong&state=done"), "tasks"),
            Names{"kim_thanh"});
  EXPECT_EQ(UnitsOf(Call("GET", "/api/v1/tasks/t1?province=quang_nam"), "tasks"),
            (Names{"a_vuong", "tay_giang"}));
  EXPECT_EQ(Call("GET", "/api/v1/tasks?state=finished").status, 400);
}

}  // namespace
}  // namespace chiso::api
