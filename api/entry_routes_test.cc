#include "api/entry_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/testing/store_routes_test.h"
#include "ingest/xlsx_sheet.h"

namespace chiso::api {
namespace {

namespace json = boost::json;

constexpr TimestampMs kEndOfSeptember2025 = 1759251599999;  // 2025-09-30T23:59:59.999+07:00
constexpr TimestampMs kEndOfOctober2025 = 1761929999999;

Labels Reading(const std::string& indicator) {
  Labels labels{
      {"__name__", "chiso_indicator_reading"}, {"indicator", indicator}, {"unit", "gia_loc"}};
  SortLabels(labels);
  return labels;
}

class EntryRoutesTest : public testing::StoreRoutesTest {
 protected:
  void SetUp() override {
    OpenStore(
        {{"viewer", ingest::Sha256Hex("r"), ingest::Role::kRead, {}},
         {"paper_only",
          ingest::Sha256Hex("p"),
          ingest::Role::kRead,
          {{}, {"paper_dossier_share"}, {}}},
         {"elsewhere", ingest::Sha256Hex("e"), ingest::Role::kRead, {{"kim_thanh"}, {}, {}}}});
    ASSERT_TRUE(
        store_
            ->Write(
                {{Reading("paper_dossier_share"), kEndOfSeptember2025, 50, "vhxh", 1, {}},
                 {Reading("paper_dossier_share"), kEndOfOctober2025, 45, "vhxh", 2, "tháng 10"}})
            .ok());
    AddEntryRoutes(router_, *store_);
  }

  HttpResponse Get(const std::string& target, const std::string& token = "r") {
    return StoreRoutesTest::Get(target, token);
  }
};

TEST_F(EntryRoutesTest, TheFormListsTheReportedIndicatorsDueWithStoredLastPlannedAndTarget) {
  const HttpResponse response = Get("/api/v1/entry?unit=gia_loc&period=2025-10");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::object form = json::parse(response.body).as_object();
  EXPECT_EQ(form.at("period_end").as_string(), "2025-10-31T23:59:59.999+07:00");
  // The monthly report carries every indicator of the plan; the derived one is computed, not typed.
  const json::array& rows = form.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u) << response.body;
  const json::object& paper = rows[0].as_object();
  EXPECT_EQ(paper.at("indicator").as_string(), "paper_dossier_share");
  EXPECT_EQ(paper.at("office_name").as_string(), "Phòng Văn hóa - Xã hội");
  EXPECT_EQ(paper.at("stored").at("value").to_number<double>(), 45);
  EXPECT_EQ(paper.at("stored").at("comment").as_string(), "tháng 10");
  EXPECT_EQ(paper.at("last").at("value").to_number<double>(), 50);
  // The path from 60 (end of 2024) to 30 (end of 2025), ten months along.
  const double expected = paper.at("expected").to_number<double>();
  EXPECT_GT(expected, 34);
  EXPECT_LT(expected, 36);
  EXPECT_EQ(paper.at("target").at("date").as_string(), "2025-12-31");
  EXPECT_EQ(paper.at("target").at("value").to_number<double>(), 30);
  EXPECT_EQ(rows[1].at("indicator").as_string(), "public_initiatives_recognized");
  EXPECT_TRUE(rows[1].at("stored").is_null());
  EXPECT_TRUE(rows[1].at("last").is_null());
}

TEST_F(EntryRoutesTest, DueKindsAndPeriodsAfterTheLastMilestone) {
  const json::object kinds = json::parse(Get("/api/v1/entry?unit=gia_loc").body).as_object();
  EXPECT_EQ(json::serialize(kinds.at("due_kinds")), R"(["month","quarter"])");
  EXPECT_TRUE(kinds.at("rows").as_array().empty());
  const json::object quarter =
      json::parse(Get("/api/v1/entry?unit=gia_loc&period=2026-Q1").body).as_object();
  ASSERT_EQ(quarter.at("rows").as_array().size(), 1u);
  EXPECT_TRUE(quarter.at("rows").as_array()[0].at("target").is_null()) << "no milestone after 2025";
}

TEST_F(EntryRoutesTest, BadParametersAndScopes) {
  EXPECT_EQ(Get("/api/v1/entry").status, 400);
  EXPECT_EQ(Get("/api/v1/entry?unit=nowhere").status, 404);
  const HttpResponse bad = Get("/api/v1/entry?unit=gia_loc&period=2025-13");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("parameter period"), std::string::npos) << bad.body;
  EXPECT_EQ(Get("/api/v1/entry?unit=gia_loc&period=2025-10-31").status, 400);
  EXPECT_EQ(Get("/api/v1/entry?unit=gia_loc&period=2025-10", "e").status, 403);
  const json::object narrowed =
      json::parse(Get("/api/v1/entry?unit=gia_loc&period=2025-10", "p").body).as_object();
  ASSERT_EQ(narrowed.at("rows").as_array().size(), 1u);
  EXPECT_EQ(Get("/api/v1/plan?unit=gia_loc&indicator=public_initiatives_recognized", "p").status,
            403);
}

TEST_F(EntryRoutesTest, TemplatesAsCsvAndAsAWorkbookWithTheSameRows) {
  const HttpResponse csv = Get("/api/v1/import/template?unit=gia_loc&period=2025-10");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body,
            "\xEF\xBB\xBFindicator,indicator_name,unit,period,value,comment\r\n"
            "paper_dossier_share,Tỷ lệ hồ sơ nộp giấy,gia_loc,2025-10,,\r\n"
            "public_initiatives_recognized,Số sáng kiến công được công nhận trong "
            "năm,gia_loc,2025-10,,\r\n");

  const HttpResponse xlsx = Get("/api/v1/import/template?unit=gia_loc&period=2025-10&format=xlsx");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  bool named = false;
  for (const auto& [name, value] : xlsx.headers)
    named |= name == "Content-Disposition" &&
             value.find("mau_gia_loc_2025-10.xlsx") != std::string::npos;
  EXPECT_TRUE(named);
  auto sheet = ingest::ReadXlsxSheet(xlsx.body, "", {}, 100);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  EXPECT_EQ(sheet->name, "Số liệu");
  ASSERT_EQ(sheet->rows.size(), 3u);
  ASSERT_EQ(sheet->rows[1].cells.size(), 4u) << "value and comment are empty";
  EXPECT_EQ(sheet->rows[1].cells[1].text, "Tỷ lệ hồ sơ nộp giấy");
  EXPECT_EQ(sheet->rows[1].cells[3].text, "2025-10");
  EXPECT_EQ(sheet->rows[1].cells[3].kind, ingest::CellKind::kText);

  EXPECT_EQ(Get("/api/v1/import/template?unit=gia_loc&period=2025-10&format=ods").status, 400);
  EXPECT_EQ(Get("/api/v1/import/template?unit=gia_loc").status, 400);
}

TEST_F(EntryRoutesTest, ThePlanPathOfOneTarget) {
  const HttpResponse response = Get("/api/v1/plan?unit=gia_loc&indicator=paper_dossier_share");
  ASSERT_EQ(response.status, 200) << response.body;
  const json::array series = json::parse(response.body).at("series").as_array();
  ASSERT_EQ(series.size(), 2u) << response.body;  // the path and the one milestone's target
  EXPECT_EQ(series[0].at("labels").at("__name__").as_string(), "chiso_plan_expected");
  const json::array& path = series[0].at("points").as_array();
  EXPECT_EQ(path.front().as_array()[1].to_number<double>(), 60);
  EXPECT_EQ(path.back().as_array()[1].to_number<double>(), 30);
  EXPECT_EQ(series[1].at("labels").at("milestone").as_string(), "2025-12-31");
  EXPECT_EQ(Get("/api/v1/plan?unit=gia_loc").status, 400);
}

}  // namespace
}  // namespace chiso::api
