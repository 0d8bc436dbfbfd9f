#include "api/history_routes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "api/testing/store_routes_test.h"

namespace chiso::api {
namespace {

namespace json = boost::json;

Labels Reading(const std::string& unit, const std::string& indicator) {
  Labels labels{{"__name__", "chiso_indicator_reading"}, {"indicator", indicator}, {"unit", unit}};
  SortLabels(labels);
  return labels;
}

class HistoryRoutesTest : public testing::StoreRoutesTest {
 protected:
  void SetUp() override {
    OpenStore(
        {{"viewer", ingest::Sha256Hex("r"), ingest::Role::kRead, {}},
         {"gia_loc_viewer", ingest::Sha256Hex("g"), ingest::Role::kRead, {{"gia_loc"}, {}, {}}},
         {"hai_phong_viewer", ingest::Sha256Hex("h"), ingest::Role::kRead, {{"hai_phong"}, {}, {}}},
         {"other_indicator", ingest::Sha256Hex("i"), ingest::Role::kRead, {{}, {"paper"}, {}}}});
    // 2025-10 and 2025-11 of Gia Lộc; October corrected once; one raw portal series.
    ASSERT_TRUE(
        store_
            ->Write({{Reading("gia_loc", "vneid_account_pct"), 1761929999999, 55, "cong_an", 1,
                      "tháng 10"},
                     {Reading("gia_loc", "vneid_account_pct"), 1764521999999, 58, "cong_an", 2, {}},
                     {Reading("kim_thanh", "vneid_account_pct"), 1761929999999, 40, "mttq", 3, {}},
                     {{{"__name__", "dvc_dossiers_received_total"},
                       {"channel", "online"},
                       {"unit", "gia_loc"}},
                      1761929999999,
                      120,
                      "portal",
                      4,
                      {}}})
            .ok());
    ASSERT_TRUE(store_
                    ->Write({{Reading("gia_loc", "vneid_account_pct"), 1761929999999, 56.5,
                              "phong_vhxh", 5, "sửa số liệu"}})
                    .ok());
    AddHistoryRoutes(router_, *store_, {10, 100});
  }

  HttpResponse Get(const std::string& target, const std::string& token = "r") {
    return StoreRoutesTest::Get(target, token);
  }
};

TEST_F(HistoryRoutesTest, ReadingsOfOneUnitWithRevisions) {
  HttpResponse response = Get("/api/v1/readings?unit=gia_loc&indicator=vneid_account_pct");
  ASSERT_EQ(response.status, 200) << response.body;
  auto series = json::parse(response.body).at("series").as_array();
  ASSERT_EQ(series.size(), 1u);
  const auto& readings = series[0].at("readings").as_array();
  ASSERT_EQ(readings.size(), 2u);
  EXPECT_EQ(readings[0].at("time").as_string(), "2025-10-31T16:59:59.999Z");
  EXPECT_EQ(readings[0].at("value").to_number<double>(), 56.5);
  EXPECT_EQ(readings[0].at("revisions").as_int64(), 1);
  EXPECT_EQ(readings[0].at("writer").as_string(), "phong_vhxh");
  EXPECT_EQ(readings[0].at("comment").as_string(), "sửa số liệu");
  EXPECT_EQ(readings[1].at("revisions").as_int64(), 0);
}

TEST_F(HistoryRoutesTest, TimeRangeAndRawMetrics) {
  auto november = json::parse(Get("/api/v1/readings?unit=gia_loc&from=2025-11-01T00:00:00Z").body);
  EXPECT_EQ(november.at("series").as_array()[0].at("readings").as_array().size(), 1u);
  auto raw = json::parse(Get("/api/v1/readings?metric=dvc_dossiers_received_total").body);
  EXPECT_EQ(raw.at("series").as_array()[0].at("labels").at("channel").as_string(), "online");
  EXPECT_EQ(json::parse(Get("/api/v1/readings").body).at("series").as_array().size(), 2u)
      << "without a unit: every unit's readings";
}

TEST_F(HistoryRoutesTest, AuditShowsOldAndNew) {
  HttpResponse response = Get("/api/v1/audit?unit=gia_loc");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::value body = json::parse(response.body);
  const auto& changes = body.at("series").as_array()[0].at("changes").as_array();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].at("old_value").to_number<double>(), 55);
  EXPECT_EQ(changes[0].at("new_value").to_number<double>(), 56.5);
  EXPECT_EQ(changes[0].at("old_writer").as_string(), "cong_an");
  EXPECT_EQ(changes[0].at("new_writer").as_string(), "phong_vhxh");
}

// The `unit` label of every series a token reads, sorted, with "-" for a series without one.
std::vector<std::string> UnitsRead(const HttpResponse& response) {
  EXPECT_EQ(response.status, 200) << response.body;
  std::vector<std::string> units;
  const json::value body = json::parse(response.body);
  for (const auto& series : body.at("series").as_array()) {
    const auto* unit = series.at("labels").as_object().if_contains("unit");
    units.emplace_back(unit ? std::string(unit->as_string()) : "-");
  }
  std::sort(units.begin(), units.end());
  return units;
}

TEST_F(HistoryRoutesTest, ReadScopesNarrowReadingsAndAudit) {
  ASSERT_TRUE(store_
                  ->Write({{{{"__name__", "dvc_dossiers_received_total"}, {"channel", "paper"}},
                            1761929999999,
                            7,
                            "portal",
                            6,
                            {}},
                           {Reading("kim_thanh", "vneid_account_pct"), 1761929999999, 41, "mttq", 7,
                            "sửa"}})  // so both units have an audit entry
                  .ok());
  const std::string raw = "/api/v1/readings?metric=dvc_dossiers_received_total";
  using Units = std::vector<std::string>;
  for (const std::string path : {"/api/v1/readings", "/api/v1/audit"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(UnitsRead(Get(path)), (Units{"gia_loc", "kim_thanh"}));
    EXPECT_EQ(UnitsRead(Get(path, "g")), (Units{"gia_loc"}));
    EXPECT_EQ(UnitsRead(Get(path, "h")), (Units{"gia_loc"})) << "a province covers its communes";
    EXPECT_EQ(UnitsRead(Get(path, "i")), Units{}) << "readings of other indicators";
    HttpResponse refused = Get(path + "?unit=kim_thanh", "g");
    EXPECT_EQ(refused.status, 403);
    EXPECT_NE(refused.body.find("may not read unit 'kim_thanh' (its units: gia_loc"),
              std::string::npos)
        << refused.body;
    EXPECT_EQ(Get(path + "?unit=kim_thanh", "h").status, 403);
    EXPECT_EQ(Get(path + "?indicator=vneid_account_pct", "i").status, 403);
  }
  // Raw series: one without a unit label only for tokens without a unit scope; an indicator
  // scope does not narrow them.
  EXPECT_EQ(UnitsRead(Get(raw)), (Units{"-", "gia_loc"}));
  EXPECT_EQ(UnitsRead(Get(raw, "g")), (Units{"gia_loc"}));
  EXPECT_EQ(UnitsRead(Get(raw, "h")), (Units{"gia_loc"}));
  EXPECT_EQ(UnitsRead(Get(raw, "i")), (Units{"-", "gia_loc"}));
}

TEST_F(HistoryRoutesTest, BadParametersAndOversizedAnswers) {
  HttpResponse bad = Get("/api/v1/readings?from=yesterday");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("parameter from"), std::string::npos) << bad.body;
  EXPECT_EQ(Get("/api/v1/readings?from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").status, 400);
  Router small(&snapshots_, &registry_, {});
  AddHistoryRoutes(small, *store_, {1, 100});
  HttpRequest request;
  request.method = "GET";
  request.target = "/api/v1/readings";
  ASSERT_TRUE(ParseTarget(request.target, &request.path, &request.query).ok());
  request.authorization = "Bearer r";
  HttpResponse too_big = small.Handle(request);
  EXPECT_EQ(too_big.status, 422);
  EXPECT_NE(too_big.body.find("narrow the request"), std::string::npos) << too_big.body;
}

}  // namespace
}  // namespace chiso::api
