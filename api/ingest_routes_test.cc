// The write endpoints through the Router, on a real store in a temporary directory, with a fake
// clock: what is stored, what is refused and how, and what the metrics count.
#include "api/ingest_routes.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/server.h"
#include "ingest/content_coding.h"
#include "ingest/instant.h"
#include "ingest/testing/bodies.h"
#include "ingest/testing/fixtures.h"
#include "ingest/testing/xlsx_files.h"
#include "store/testing/test_util.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace chiso::api {
namespace {

namespace json = boost::json;

class IngestRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto snapshot = std::make_shared<ServiceSnapshot>();
    snapshot->catalog = ingest::testing::SmallCatalog();
    snapshot->tokens = std::make_shared<ingest::TokenTable>(ingest::testing::TestTokens());
    snapshots_.Set(snapshot);
    store_ = chiso::testing::OpenOrDie(chiso::testing::OptionsFor(dir_.path()));
    Rebuild();
  }

  void Rebuild() {
    router_ = std::make_unique<Router>(&snapshots_, &registry_, RouterHooks{});
    AddIngestRoutes(*router_, *store_, clock_, limits_, probe_, [this] { ++wakes_; });
  }

  HttpResponse Post(const std::string& target, std::string body,
                    const std::string& token = "writer") {
    return Send(target, std::move(body), token.empty() ? "" : "Bearer " + token);
  }

  // As the server passes a request on: with its Content-Encoding, Influx query credentials adopted.
  HttpResponse Send(const std::string& target, std::string body, std::string authorization,
                    std::string content_encoding = "", std::string content_type = "") {
    HttpRequest request;
    request.method = "POST";
    request.target = target;
    EXPECT_TRUE(ParseTarget(target, &request.path, &request.query).ok());
    request.authorization = std::move(authorization);
    request.content_encoding = std::move(content_encoding);
    request.content_type = std::move(content_type);
    request.body = std::move(body);
    AdoptInfluxQueryCredentials(&request);
    return router_->Handle(request);
  }

  std::vector<SeriesSamples> Stored(const std::string& metric) {
    const std::vector<LabelMatcher> matchers{LabelMatcher::Equal("__name__", metric)};
    auto selected = store_->Select(matchers, kMinSampleTimestamp, kMaxSampleTimestamp);
    EXPECT_TRUE(selected.ok());
    return selected.ok() ? *selected : std::vector<SeriesSamples>{};
  }

  std::string Metrics() {
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, registry_.Collect());
    return out.str();
  }

  static std::string Header(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }

  chiso::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  FakeClock clock_{*ingest::ParseInstant("2025-11-22T08:00:00Z")};
  ingest::IngestLimits limits_;
  prometheus::Registry registry_;
  ingest::IngestProbe probe_{registry_};
  SnapshotHolder snapshots_;
  std::unique_ptr<Router> router_;
  std::atomic<int> wakes_{0};  // calls of the routes' samples_stored callback
};

constexpr const char* kThreeReadings = R"({"readings":[
  {"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":72.5,"period":"2025-10","comment":"Tháng 10"},
  {"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":120,"period":"2025-09"},
  {"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":70,"period":"2025-09","source":"dvc"}]})";

TEST_F(IngestRoutesTest, JsonStoresTheValidReadingsAndListsTheOthersByIndex) {
  const HttpResponse response = Post("/api/v1/readings", kThreeReadings);
  EXPECT_EQ(response.status, 400);
  const json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("accepted").as_int64(), 2);
  EXPECT_EQ(body.at("stored").as_int64(), 2);
  EXPECT_EQ(body.at("rejected").as_int64(), 1);
  EXPECT_EQ(body.at("error").as_string(), "1 readings refused; 2 valid samples were stored");
  const json::object& error = body.at("errors").as_array()[0].as_object();
  EXPECT_EQ(error.at("index").as_int64(), 1);
  EXPECT_EQ(error.at("reason").as_string(), "out_of_domain");
  EXPECT_NE(
      body.at("details").as_array()[0].as_string().find("readings[1]: value 120 is outside 0..100"),
      std::string::npos);

  const auto series = Stored("chiso_indicator_reading");
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].samples.size(), 2u);
  EXPECT_EQ(series[0].samples[0].writer, "writer/dvc");
  EXPECT_EQ(series[0].samples[1].value, 72.5);
  EXPECT_EQ(series[0].samples[1].comment, "Tháng 10");
  EXPECT_EQ(series[0].samples[1].arrived_at, clock_.Now());
}

TEST_F(IngestRoutesTest, ARetryIsIdempotentAndACorrectionIsAudited) {
  const std::string body =
      R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":72.5,"period":"2025-10"}]})";
  EXPECT_EQ(Post("/api/v1/readings", body).status, 200);
  clock_.Advance(60'000);
  const json::object again = json::parse(Post("/api/v1/readings", body).body).as_object();
  EXPECT_EQ(again.at("unchanged").as_int64(), 1);
  EXPECT_EQ(again.at("inserted").as_int64(), 0);
  EXPECT_EQ(Stored("chiso_indicator_reading")[0].samples[0].arrived_at, clock_.Now() - 60'000);

  std::string corrected = body;
  corrected.replace(corrected.find("72.5"), 4, "73.0");
  EXPECT_EQ(json::parse(Post("/api/v1/readings", corrected).body).at("changed").as_int64(), 1);
  EXPECT_EQ(Stored("chiso_indicator_reading")[0].samples[0].revision, 1u);
}

TEST_F(IngestRoutesTest, DryRunValidatesWithoutStoring) {
  const HttpResponse response = Post("/api/v1/readings?dry_run=true", kThreeReadings);
  EXPECT_EQ(response.status, 400);
  const json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("accepted").as_int64(), 2);
  EXPECT_EQ(body.at("stored").as_int64(), 0);
  EXPECT_TRUE(body.at("dry_run").as_bool());
  EXPECT_TRUE(Stored("chiso_indicator_reading").empty());
}

TEST_F(IngestRoutesTest, ScopeAndRoleRefusals) {
  const std::string tay_giang =
      R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"tay_giang","value":1,"period":"2025-10"}]})";
  const HttpResponse forbidden = Post("/api/v1/readings", tay_giang, "gia_loc_writer");
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_NE(
      forbidden.body.find("unit 'tay_giang' is outside token 'gia_loc_writer''s units [gia_loc]"),
      std::string::npos);
  EXPECT_EQ(Post("/api/v1/readings", tay_giang, "reader").status, 403);
  EXPECT_EQ(Post("/api/v1/readings", tay_giang, "").status, 401);
  EXPECT_EQ(Post("/write", "m v=1", "nobody").status, 401);
}

// The unit scope on each of the four protocols: another unit's series, or one without a unit
// label, is refused with the position, the label and the scope, and nothing of it is stored.
TEST_F(IngestRoutesTest, EveryProtocolKeepsAUnitScopedTokenToItsUnits) {
  const std::string outside =
      "unit 'tay_giang' is outside token 'gia_loc_writer''s units [gia_loc]";
  const std::string no_unit =
      "a series without a 'unit' label is outside token 'gia_loc_writer''s units [gia_loc]";
  const auto refused = [&](const HttpResponse& response, const std::string& detail) {
    EXPECT_EQ(response.status, 403) << response.body;
    EXPECT_NE(response.body.find(detail), std::string::npos) << response.body;
  };
  refused(Post("/api/v1/readings",
               R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"tay_giang",)"
               R"("value":1,"period":"2025-10"}]})",
               "gia_loc_writer"),
          "readings[0]: " + outside);
  refused(Post("/api/v1/import/csv",
               "indicator,unit,period,value\ndvc_online_dossier_rate,tay_giang,2025-10,1\n",
               "gia_loc_writer"),
          "line 2: " + outside);
  EXPECT_TRUE(Stored("chiso_indicator_reading").empty());

  refused(Post("/write", "dvc,unit=tay_giang v=1\n", "gia_loc_writer"), "line 1: " + outside);
  refused(Post("/api/v2/write", "dvc v=1\n", "gia_loc_writer"), "line 1: " + no_unit);
  EXPECT_TRUE(Stored("dvc_v").empty());

  const auto remote = [&](Labels labels) {
    return ingest::testing::EncodeRemoteWrite({{std::move(labels), {{clock_.Now(), 1}}}});
  };
  refused(Post("/api/v1/write", remote({{"__name__", "dvc_x"}, {"unit", "tay_giang"}}),
               "gia_loc_writer"),
          R"(timeseries[0]: series \"dvc_x\": )" + outside);
  refused(Post("/api/v1/write", remote({{"__name__", "dvc_x"}}), "gia_loc_writer"),
          R"(timeseries[0]: series \"dvc_x\": )" + no_unit);
  EXPECT_TRUE(Stored("dvc_x").empty());

  // A request mixing both stores only the series within scope.
  EXPECT_EQ(
      Post("/write", "dvc,unit=gia_loc v=1\ndvc,unit=tay_giang v=2\n", "gia_loc_writer").status,
      403);
  const auto mixed = Stored("dvc_v");
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(LabelValue(mixed[0].labels, "unit"), "gia_loc");
}

// A token scoped to a province writes its communes on every protocol; its indicator scope holds
// on indicator readings whatever the protocol.
TEST_F(IngestRoutesTest, AProvinceScopeCoversItsCommunesAndIndicatorScopesHold) {
  const std::string token = "province_writer";
  EXPECT_EQ(Post("/api/v1/readings",
                 R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"gia_loc",)"
                 R"("value":1,"period":"2025-10"}]})",
                 token)
                .status,
            200);
  EXPECT_EQ(Post("/api/v1/import/csv",
                 "indicator,unit,period,value\ndvc_online_dossier_rate,gia_loc,2025-09,2\n", token)
                .status,
            200);
  EXPECT_EQ(Stored("chiso_indicator_reading")[0].samples.size(), 2u);
  EXPECT_EQ(Post("/write", "dvc,unit=gia_loc v=1\ndvc,unit=hai_phong v=2\n", token).status, 204);
  EXPECT_EQ(Stored("dvc_v").size(), 2u);
  EXPECT_EQ(Post("/api/v1/write",
                 ingest::testing::EncodeRemoteWrite(
                     {{{{"__name__", "dvc_x"}, {"unit", "gia_loc"}}, {{clock_.Now(), 3}}}}),
                 token)
                .status,
            204);
  EXPECT_EQ(Stored("dvc_x").size(), 1u);
  EXPECT_EQ(Post("/write", "dvc,unit=tay_giang v=1\n", token).status, 403);

  const std::string outside =
      "indicator 'digital_initiatives' is outside token 'province_writer''s indicators "
      "[dvc_online_dossier_rate]";
  const HttpResponse json = Post("/api/v1/readings",
                                 R"({"readings":[{"indicator":"digital_initiatives",)"
                                 R"("unit":"gia_loc","value":1,"period":"2025"}]})",
                                 token);
  EXPECT_EQ(json.status, 403);
  EXPECT_NE(json.body.find("readings[0]: " + outside), std::string::npos) << json.body;
  const HttpResponse influx = Post(
      "/write", "chiso_indicator,indicator=digital_initiatives,unit=gia_loc reading=1\n", token);
  EXPECT_EQ(influx.status, 403);
  EXPECT_NE(influx.body.find("line 1: " + outside), std::string::npos) << influx.body;
  const HttpResponse remote =
      Post("/api/v1/write",
           ingest::testing::EncodeRemoteWrite({{{{"__name__", "chiso_indicator_reading"},
                                                 {"indicator", "digital_initiatives"},
                                                 {"unit", "gia_loc"}},
                                                {{clock_.Now(), 1}}}}),
           token);
  EXPECT_EQ(remote.status, 403);
  EXPECT_NE(remote.body.find(outside), std::string::npos) << remote.body;
  EXPECT_EQ(Stored("chiso_indicator_reading").size(), 1u);  // only dvc_online_dossier_rate
}

TEST_F(IngestRoutesTest, MalformedAndOversizedRequestsStoreNothing) {
  const HttpResponse broken = Post("/api/v1/readings", R"({"readings":[{"value":)");
  EXPECT_EQ(broken.status, 400);
  EXPECT_NE(broken.body.find("not valid JSON"), std::string::npos);
  EXPECT_NE(broken.body.find("nothing was stored"), std::string::npos);

  limits_.max_items_per_request = 1;
  Rebuild();
  EXPECT_EQ(Post("/api/v1/readings", kThreeReadings).status, 413);
  EXPECT_TRUE(Stored("chiso_indicator_reading").empty());
  EXPECT_NE(Metrics().find("chiso_ingest_rejected_total{protocol=\"json\",reason=\"too_large\"} 1"),
            std::string::npos);
}

TEST_F(IngestRoutesTest, CsvImportReportsLineNumbers) {
  const HttpResponse response = Post("/api/v1/import/csv",
                                     "\xEF\xBB\xBFindicator;unit;period;value;comment\r\n"
                                     "dvc_online_dossier_rate;gia_loc;2025-10;72,5;Tháng 10\r\n"
                                     "dvc_online_dossier_rate;gia_loc;2025-11;abc;\r\n");
  EXPECT_EQ(response.status, 400);
  const json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("stored").as_int64(), 1);
  EXPECT_EQ(body.at("errors").as_array()[0].at("line").as_int64(), 3);
  EXPECT_EQ(body.at("details").as_array()[0].as_string(), "line 3: value \"abc\" is not a number");
  EXPECT_EQ(Stored("chiso_indicator_reading")[0].samples[0].value, 72.5);
}

TEST_F(IngestRoutesTest, ADryRunWithPreviewListsEveryDecodedRowWithItsRefusal) {
  const std::string csv =
      "indicator,indicator_name,unit,period,value,comment\n"
      "dvc_online_dossier_rate,Tỷ lệ hồ sơ trực tuyến,gia_loc,2025-10,72.5,Tháng 10\n"
      "dvc_online_dossier_rate,,gia_loc,2025-11,abc,\n"
      "dvc_online_dossier_rate,,gia_loc,2025-12,140,\n";
  const HttpResponse response = Post("/api/v1/import/csv?dry_run=true&preview=true", csv);
  EXPECT_EQ(response.status, 400);
  const json::object body = json::parse(response.body).as_object();
  const json::array& rows = body.at("rows").as_array();
  ASSERT_EQ(rows.size(), 3u) << response.body;
  EXPECT_EQ(rows[0].at("line").as_int64(), 2);
  EXPECT_EQ(rows[0].at("value").to_number<double>(), 72.5);
  EXPECT_EQ(rows[0].at("period").as_string(), "2025-10");
  EXPECT_EQ(rows[0].at("comment").as_string(), "Tháng 10");
  EXPECT_TRUE(rows[0].at("error").is_null());
  EXPECT_EQ(rows[1].at("error").as_string(), "value \"abc\" is not a number");
  EXPECT_NE(rows[2].at("error").as_string().find("outside 0..100"), std::string::npos);
  EXPECT_TRUE(Stored("chiso_indicator_reading").empty());
  // Without a dry run, or without preview, no rows are listed.
  EXPECT_FALSE(
      json::parse(Post("/api/v1/import/csv?dry_run=true", csv).body).as_object().contains("rows"));
  EXPECT_FALSE(
      json::parse(Post("/api/v1/import/csv?preview=true", csv).body).as_object().contains("rows"));
}

TEST_F(IngestRoutesTest, XlsxImportStoresValidRowsAndNamesBadCells) {
  const std::string xlsx = ingest::testing::XlsxFromCsvByLibreOffice(
      "indicator,unit,period,value,comment\n"
      "dvc_online_dossier_rate,gia_loc,2025-10,72.5,Tháng 10\n"
      "dvc_online_dossier_rate,xa_khac,2025-10,70,\n"
      "dvc_online_dossier_rate,gia_loc,2025-09-30,68,\n",
      "Số liệu");
  const HttpResponse dry = Post("/api/v1/import/xlsx?dry_run=true", xlsx);
  EXPECT_EQ(dry.status, 400);
  const json::object checked = json::parse(dry.body).as_object();
  EXPECT_EQ(checked.at("accepted").as_int64(), 2);
  EXPECT_EQ(checked.at("stored").as_int64(), 0);
  EXPECT_TRUE(Stored("chiso_indicator_reading").empty());

  const HttpResponse response = Post("/api/v1/import/xlsx", xlsx);
  EXPECT_EQ(response.status, 400);
  const json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("stored").as_int64(), 2);
  EXPECT_EQ(body.at("errors").as_array()[0].at("row").as_int64(), 3);
  const std::string detail(body.at("details").as_array()[0].as_string());
  EXPECT_TRUE(detail.starts_with("sheet 'Số liệu', row 3, column B: ")) << detail;
  EXPECT_NE(detail.find("xa_khac"), std::string::npos) << detail;
  const auto series = Stored("chiso_indicator_reading");
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].samples.size(), 2u);
  // The date cell 2025-09-30 is the day period, stored at its last millisecond in Vietnam.
  EXPECT_EQ(series[0].samples[0].timestamp, *ingest::ParseInstant("2025-09-30T23:59:59.999+07:00"));
  EXPECT_EQ(series[0].samples[0].value, 68);
  EXPECT_EQ(series[0].samples[1].value, 72.5);
  EXPECT_EQ(series[0].samples[1].comment, "Tháng 10");
  EXPECT_NE(Metrics().find("chiso_ingest_samples_total{protocol=\"xlsx\"} 2"), std::string::npos);
}

TEST_F(IngestRoutesTest, XlsxImportReadsTheNamedSheetAndItsDateTimes) {
  // 45961.3541666… is 2025-10-31 08:30 on the sheet: the unit's wall clock (UTC+7).
  const std::string xlsx = ingest::testing::HandMadeXlsx(
      "<row><c t=\"inlineStr\"><is><t>indicator</t></is></c><c t=\"inlineStr\"><is><t>unit</t>"
      "</is></c><c t=\"inlineStr\"><is><t>time</t></is></c><c t=\"inlineStr\"><is><t>value</t>"
      "</is></c></row><row><c t=\"inlineStr\"><is><t>digital_initiatives</t></is></c>"
      "<c t=\"inlineStr\"><is><t>gia_loc</t></is></c><c s=\"3\"><v>45961.354166666664</v></c>"
      "<c><v>4</v></c></row>",
      {}, "Số liệu");
  const HttpResponse missing = Post("/api/v1/import/xlsx?sheet=T%C3%A1ng%2010", xlsx);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(
      missing.body.find("the workbook has no sheet \\\"Táng 10\\\"; its sheets are 'Số liệu'"),
      std::string::npos)
      << missing.body;

  const HttpResponse named = Post("/api/v1/import/xlsx?sheet=S%E1%BB%91%20li%E1%BB%87u", xlsx);
  EXPECT_EQ(named.status, 200) << named.body;
  const auto series = Stored("chiso_indicator_reading");
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].samples[0].timestamp, *ingest::ParseInstant("2025-10-31T01:30:00Z"));
}

TEST_F(IngestRoutesTest, XlsxImportRefusesZipBombsAndBodiesThatAreNoWorkbook) {
  const std::string bomb =
      ingest::testing::ZipArchive({{"xl/worksheets/sheet1.xml", std::string(8 << 20, ' ')}});
  const HttpResponse too_large = Post("/api/v1/import/xlsx", bomb);
  EXPECT_EQ(too_large.status, 413);
  EXPECT_NE(too_large.body.find("refused as a zip bomb"), std::string::npos) << too_large.body;

  const HttpResponse csv = Post("/api/v1/import/xlsx", "indicator,unit,period,value\n");
  EXPECT_EQ(csv.status, 400);
  EXPECT_NE(csv.body.find("the body is not an .xlsx file"), std::string::npos) << csv.body;
  EXPECT_TRUE(Stored("chiso_indicator_reading").empty());
  EXPECT_NE(Metrics().find("chiso_ingest_rejected_total{protocol=\"xlsx\",reason=\"too_large\"} 1"),
            std::string::npos);
}

TEST_F(IngestRoutesTest, InfluxLinesAreStoredWithPrecision) {
  EXPECT_EQ(Post("/write?precision=s", "dvc,unit=gia_loc received=12i 1761930000\n").status, 204);
  EXPECT_EQ(
      Post("/api/v2/write?precision=ms", "dvc,unit=gia_loc received=13i 1761930060000\n").status,
      204);
  const auto series = Stored("dvc_received");
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].samples.size(), 2u);
  EXPECT_EQ(series[0].samples[0].timestamp, 1761930000000);
  EXPECT_EQ(series[0].samples[1].value, 13);

  const HttpResponse partial = Post("/write", "dvc ok=1\nbroken\ndvc ok2=2\n");
  EXPECT_EQ(partial.status, 400);
  EXPECT_NE(partial.body.find("line 2: expected a space before the fields"), std::string::npos)
      << partial.body;
  EXPECT_EQ(Stored("dvc_ok2").size(), 1u);
  EXPECT_EQ(Post("/write?precision=sec", "dvc ok=1\n").status, 400);
}

TEST_F(IngestRoutesTest, RemoteWriteAnswersPerTheSpec) {
  const std::string request = ingest::testing::EncodeRemoteWrite(
      {{{{"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}}, {{clock_.Now(), 42}}}});
  const HttpResponse stored = Post("/api/v1/write", request);
  EXPECT_EQ(stored.status, 204);
  EXPECT_EQ(Stored("dvc_dossiers_received_total")[0].samples[0].value, 42);

  const HttpResponse bad = Post("/api/v1/write", "garbage");
  EXPECT_EQ(bad.status, 400);  // never retried by Prometheus
  EXPECT_NE(bad.body.find("snappy"), std::string::npos);
  EXPECT_NE(Metrics().find("chiso_ingest_samples_total{protocol=\"remote_write\"} 1"),
            std::string::npos);
  EXPECT_NE(Metrics().find(
                "chiso_ingest_rejected_total{protocol=\"remote_write\",reason=\"malformed\"} 1"),
            std::string::npos);
}

TEST_F(IngestRoutesTest, ATokenOverItsRateIsToldWhenToRetry) {
  limits_.rate_samples_per_second = 1;
  limits_.rate_burst_seconds = 2;
  Rebuild();
  EXPECT_EQ(Post("/write", "m a=1,b=2,c=3\n").status, 204);  // admitted in credit, now 1 in debt
  const HttpResponse limited = Post("/write", "m a=1\n");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Header(limited, "Retry-After"), "1");
  EXPECT_EQ(Post("/write", "m a=1\n", "gia_loc_writer").status, 403);  // another token's bucket
  clock_.Advance(1000);
  EXPECT_EQ(Post("/write", "m a=1\n").status, 204);
  EXPECT_NE(
      Metrics().find("chiso_ingest_rejected_total{protocol=\"influx\",reason=\"rate_limited\"} 1"),
      std::string::npos);
}

// What Prometheus retries: 5xx with Retry-After. A token over its rate gets 503 on remote write
// (429 would make Prometheus drop the batch unless retry_on_http_429 is set), 429 elsewhere.
TEST_F(IngestRoutesTest, RemoteWriteIsToldToRetryWith503) {
  limits_.rate_samples_per_second = 1;
  limits_.rate_burst_seconds = 1;
  Rebuild();
  const auto request = [&](double value) {
    return ingest::testing::EncodeRemoteWrite(
        {{{{"__name__", "dvc_x"}, {"unit", "gia_loc"}},
          {{clock_.Now(), value}, {clock_.Now() - 1, value}}}});
  };
  EXPECT_EQ(Post("/api/v1/write", request(1)).status, 204);  // admitted in credit, now in debt
  const HttpResponse limited = Post("/api/v1/write", request(2));
  EXPECT_EQ(limited.status, 503);
  EXPECT_EQ(Header(limited, "Retry-After"), "1");
  EXPECT_EQ(Post("/write", "m a=1\n").status, 429);  // the same bucket, another protocol

  // Overload: bytes in flight past the budget, here the decompressed size of the body alone
  // on top of its compressed bytes.
  limits_.rate_samples_per_second = 1e9;
  limits_.max_in_flight_bytes = 40;
  Rebuild();
  const HttpResponse overloaded = Post("/api/v1/write", request(3));
  EXPECT_EQ(overloaded.status, 503);
  EXPECT_EQ(Header(overloaded, "Retry-After"), "1");
  EXPECT_EQ(Stored("dvc_x")[0].samples.size(), 2u);  // only the first request's
}

TEST_F(IngestRoutesTest, ARemoteWrite2RequestGets415) {
  const std::string body = ingest::testing::EncodeRemoteWrite(
      {{{{"__name__", "dvc_x"}, {"unit", "gia_loc"}}, {{clock_.Now(), 1}}}});
  const HttpResponse v2 = Send("/api/v1/write", body, "Bearer writer", "snappy",
                               "application/x-protobuf;proto=io.prometheus.write.v2.Request");
  EXPECT_EQ(v2.status, 415);
  EXPECT_NE(v2.body.find("proto=prometheus.WriteRequest"), std::string::npos) << v2.body;
  EXPECT_TRUE(Stored("dvc_x").empty());
  EXPECT_EQ(Send("/api/v1/write", body, "Bearer writer", "snappy",
                 "application/x-protobuf;proto=prometheus.WriteRequest")
                .status,
            204);
}

TEST_F(IngestRoutesTest, GzipAndDeflateBodiesAreStoredOnEveryEndpoint) {
  using ingest::ContentCoding;
  using ingest::testing::CompressBody;
  const std::string lines = "dvc,unit=gia_loc received=12i 1761930000\n";
  EXPECT_EQ(
      Send("/write?precision=s", CompressBody(lines, ContentCoding::kGzip), "Bearer writer", "gzip")
          .status,
      204);
  EXPECT_EQ(
      Send("/api/v2/write?precision=s",
           CompressBody("dvc,unit=gia_loc received=13i 1761930060\n", ContentCoding::kDeflate),
           "Token writer", "deflate")
          .status,
      204);
  const auto series = Stored("dvc_received");
  ASSERT_EQ(series.size(), 1u);
  ASSERT_EQ(series[0].samples.size(), 2u);
  EXPECT_EQ(series[0].samples[1].value, 13);
  EXPECT_NE(Metrics().find("chiso_ingest_samples_total{protocol=\"influx\"} 2"), std::string::npos);

  const HttpResponse readings =
      Send("/api/v1/readings", CompressBody(kThreeReadings, ContentCoding::kGzip), "Bearer writer",
           "gzip");
  EXPECT_EQ(readings.status, 400);
  EXPECT_EQ(json::parse(readings.body).at("stored").as_int64(), 2) << readings.body;
  const HttpResponse csv =
      Send("/api/v1/import/csv",
           CompressBody("indicator,unit,period,value\ndvc_online_dossier_rate,gia_loc,2025-11,74\n",
                        ContentCoding::kGzip),
           "Bearer writer", "GZIP");
  EXPECT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(Stored("chiso_indicator_reading")[0].samples.size(), 3u);
}

TEST_F(IngestRoutesTest, BrokenCompressedBodiesAndUnknownCodingsStoreNothing) {
  using ingest::ContentCoding;
  using ingest::testing::CompressBody;
  const std::string gzip = CompressBody("dvc ok=1\n", ContentCoding::kGzip);
  const HttpResponse truncated =
      Send("/write", gzip.substr(0, gzip.size() - 4), "Bearer writer", "gzip");
  EXPECT_EQ(truncated.status, 400);
  EXPECT_NE(truncated.body.find("not valid gzip data: it is truncated"), std::string::npos)
      << truncated.body;
  EXPECT_NE(truncated.body.find("nothing was stored"), std::string::npos);
  const HttpResponse plain = Send("/write", "dvc ok=1\n", "Bearer writer", "gzip");
  EXPECT_EQ(plain.status, 400);
  EXPECT_NE(plain.body.find("incorrect header check"), std::string::npos) << plain.body;

  limits_.max_decompressed_bytes = 1u << 20;
  Rebuild();
  const std::string bomb = CompressBody(std::string(4u << 20, '\n'), ContentCoding::kGzip);
  const HttpResponse too_large = Send("/api/v2/write", bomb, "Bearer writer", "gzip");
  EXPECT_EQ(too_large.status, 413);
  EXPECT_NE(too_large.body.find("to more than 1048576 bytes, the limit"), std::string::npos)
      << too_large.body;

  const HttpResponse brotli = Send("/write", "dvc ok=1\n", "Bearer writer", "br");
  EXPECT_EQ(brotli.status, 415);
  EXPECT_EQ(json::parse(brotli.body).at("error").as_string(),
            "Content-Encoding \"br\" is not supported on /write; send gzip, deflate or no "
            "Content-Encoding; nothing was stored");
  EXPECT_EQ(Header(brotli, "Accept-Encoding"), "gzip, deflate");
  EXPECT_EQ(Send("/api/v1/readings", kThreeReadings, "Bearer writer", "snappy").status, 415);

  // Remote write is snappy by definition: Prometheus says so, anything else is refused.
  const std::string request = ingest::testing::EncodeRemoteWrite(
      {{{{"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}}, {{clock_.Now(), 42}}}});
  EXPECT_EQ(Send("/api/v1/write", request, "Bearer writer", "snappy").status, 204);
  const HttpResponse gzip_rw =
      Send("/api/v1/write", CompressBody(request, ContentCoding::kGzip), "Bearer writer", "gzip");
  EXPECT_EQ(gzip_rw.status, 415);
  EXPECT_NE(gzip_rw.body.find("send snappy, as remote write 1.0 defines"), std::string::npos);
  EXPECT_EQ(Header(gzip_rw, "Accept-Encoding"), "snappy");

  EXPECT_TRUE(Stored("dvc_ok").empty());
  const std::string metrics = Metrics();
  EXPECT_NE(metrics.find("chiso_ingest_rejected_total{protocol=\"influx\",reason=\"malformed\"} 2"),
            std::string::npos);
  EXPECT_NE(metrics.find("chiso_ingest_rejected_total{protocol=\"influx\",reason=\"too_large\"} 1"),
            std::string::npos);
  EXPECT_NE(
      metrics.find(
          "chiso_ingest_rejected_total{protocol=\"influx\",reason=\"unsupported_encoding\"} 1"),
      std::string::npos);
}

TEST_F(IngestRoutesTest, InfluxClientsAuthenticateTheirWays) {
  EXPECT_EQ(Send("/write", "m a=1\n", ingest::BasicAuthorization("writer", "writer")).status, 204);
  EXPECT_EQ(Send("/write", "m a=1\n", ingest::BasicAuthorization("", "writer")).status, 204);
  EXPECT_EQ(Send("/api/v2/write", "m a=1\n", "Token writer").status, 204);
  EXPECT_EQ(Send("/write?db=x&u=writer&p=writer", "m a=1\n", "").status, 204);
  EXPECT_EQ(Send("/write?p=writer", "m a=1\n", "").status, 204);
  EXPECT_EQ(
      Send("/api/v1/readings", kThreeReadings, ingest::BasicAuthorization("", "writer")).status,
      400)
      << "Basic auth works on every endpoint";

  const HttpResponse wrong = Send("/write?u=writer&p=guessed-secret", "m a=1\n", "");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body.find("guessed-secret"), std::string::npos) << wrong.body;
  // Query credentials only where InfluxDB 1.x defines them.
  EXPECT_EQ(Send("/api/v2/write?u=writer&p=writer", "m a=1\n", "").status, 401);
  EXPECT_EQ(Send("/api/v1/readings?p=writer", kThreeReadings, "").status, 401);
  // A header wins over the query.
  EXPECT_EQ(Send("/write?p=writer", "m a=1\n", "Bearer reader").status, 403);
  const HttpResponse other_user = Send("/write?u=telegraf&p=writer", "m a=1\n", "");
  EXPECT_EQ(other_user.status, 401);
  EXPECT_NE(other_user.body.find("send its name 'writer' or an empty user name"),
            std::string::npos);
}

// A request that stores samples wakes the evaluation once, whatever its protocol and even when
// some items are refused; a dry run, a request refused whole and an empty one do not.
TEST_F(IngestRoutesTest, OnlyRequestsThatStoreSamplesWakeTheEvaluation) {
  ASSERT_EQ(Post("/api/v1/readings", kThreeReadings).status, 400);  // two of three stored
  EXPECT_EQ(wakes_, 1);
  ASSERT_EQ(Post("/write", "dvc,unit=gia_loc received=12i 1761930000000000000\n").status, 204);
  EXPECT_EQ(wakes_, 2);

  ASSERT_EQ(Post("/api/v1/readings?dry_run=true", kThreeReadings).status, 400);
  const std::string all_refused =
      R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":120,"period":"2025-09"}]})";
  ASSERT_EQ(Post("/api/v1/readings", all_refused).status, 400);
  ASSERT_EQ(Post("/api/v1/readings", kThreeReadings, "").status, 401);
  ASSERT_EQ(Post("/api/v1/readings", R"({"readings":[]})").status / 100, 2);
  EXPECT_EQ(wakes_, 2);
}

// Real HTTP: curl sends what gzip(1) made (two concatenated members), with Basic auth, as an
// InfluxDB 1.x client configured with a user name and password would.
TEST_F(IngestRoutesTest, CurlPostsAGzipFileThroughTheServer) {
  const std::string curl = chiso::testing::FindOnPath("curl");
  const std::string gzip = chiso::testing::FindOnPath("gzip");
  ASSERT_FALSE(curl.empty()) << "curl (Debian package) must be installed: scripts/deps test";
  ASSERT_FALSE(gzip.empty()) << "gzip (Debian package) must be installed: scripts/deps test";

  prometheus::Registry server_registry;
  HttpProbe http_probe(server_registry);
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  HttpServer server(
      options, [this](const HttpRequest& request) { return router_->Handle(request); },
      &http_probe);
  ASSERT_TRUE(server.Start().ok());

  const chiso::testing::TempDir files;
  const std::filesystem::path first = files.path() / "first.lp";
  const std::filesystem::path second = files.path() / "second.lp";
  std::ofstream(first) << "dvc,unit=gia_loc received=12i 1761930000\n";
  std::ofstream(second) << "dvc,unit=gia_loc received=13i 1761930060\n";
  for (const auto& file : {first, second}) {
    ASSERT_EQ(chiso::testing::RunCommand(gzip, {"-f", file.string()}).exit_code, 0);
  }
  const std::filesystem::path body = files.path() / "body.lp.gz";
  {
    std::ofstream out(body, std::ios::binary);
    for (const auto& file : {first, second}) {
      std::ifstream in(file.string() + ".gz", std::ios::binary);
      out << in.rdbuf();
    }
  }
  const std::string url =
      "http://127.0.0.1:" + std::to_string(server.port()) + "/write?db=chiso&precision=s";
  const auto result = chiso::testing::RunCommand(
      curl, {"-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", "writer:writer", "-H",
             "Content-Encoding: gzip", "--data-binary", "@" + body.string(), url});
  EXPECT_EQ(result.output, "204");
  const auto series = Stored("dvc_received");
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].samples.size(), 2u);

  // Through the server too, ?u=&p= authenticate /write and a corrupt body is a 400.
  auto raw = chiso::testing::HttpCall(server.port(), "POST", "/write?u=writer&p=writer",
                                      "\x1f\x8b garbage", "Content-Encoding: gzip");
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->status, 400);
  EXPECT_NE(raw->body.find("not valid gzip data"), std::string::npos) << raw->body;
}

// The corpus of broken input of issue 4: each request gets a 4xx naming what is wrong, and the
// valid writes before and after are all kept.
TEST_F(IngestRoutesTest, BrokenInputIsRefusedPreciselyAndNothingValidIsLost) {
  const auto reading = [](const std::string& period) {
    return R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":70,"period":")" +
           period + R"("}]})";
  };
  ASSERT_EQ(Post("/api/v1/readings", reading("2025-08")).status, 200);
  ASSERT_EQ(Post("/write", "before v=1\n").status, 204);

  const std::string valid_rw =
      ingest::testing::EncodeRemoteWrite({{{{"__name__", "a"}}, {{clock_.Now(), 1}}}});
  struct Broken {
    std::string target;
    std::string body;
    std::string message_part;
  };
  const std::vector<Broken> corpus = {
      {"/api/v1/readings", R"({"readings":[{"indicator":"dvc_online_dossier_rate",)",
       "not valid JSON"},
      {"/api/v1/readings",
       R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":"70","period":"2025-10"}]})",
       "must be a number, not a string \\\"70\\\""},
      {"/api/v1/readings", R"({"readings":[{"value":NaN}]})", "not valid JSON"},
      {"/api/v1/readings",
       R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":1e999,"period":"2025-10"}]})",
       "not a finite number"},
      {"/api/v1/readings",
       R"({"readings":[{"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":1e300,"period":"2025-10"}]})",
       "outside 0..100"},
      {"/api/v1/readings", "{\"readings\":[{\"unit\":\"Gia L\xF4\x63\"}]}",
       "not valid JSON (or not UTF-8)"},
      {"/api/v1/import/csv",
       "indicator,unit,period,value\ndvc_online_dossier_rate,Gia L\xF4\x63,2025-10,1\n",
       "line 2: column unit is not valid UTF-8"},
      {"/write", "m,t=" + std::string(10u << 20, 'x') + " v=1\n",
       "line 1: value of label \\\"t\\\" is 10485760 bytes"},
      {"/write", "m,a=1,a=2 v=1\n", "line 1: label \\\"a\\\" appears twice"},
      {"/write", "m v=NaNx\n", "not a number"},
      {"/api/v1/write", "\xff\xff\xff\xff\xff\xff", "not snappy"},
      {"/api/v1/write", valid_rw.substr(0, valid_rw.size() - 2), "snappy"},
      {"/api/v1/write",
       ingest::testing::EncodeRemoteWrite(
           {{{{"__name__", "a"}, {"x", "1"}, {"x", "2"}}, {{clock_.Now(), 1}}}}),
       "timeseries[0]: series \\\"a\\\": label \\\"x\\\" appears twice"},
  };
  for (const Broken& broken : corpus) {
    const HttpResponse response = Post(broken.target, broken.body);
    EXPECT_GE(response.status, 400) << broken.message_part;
    EXPECT_LT(response.status, 500) << broken.message_part;
    EXPECT_NE(response.body.find(broken.message_part), std::string::npos)
        << response.body.substr(0, 500);
    EXPECT_NO_THROW(json::parse(response.body)) << "answers stay valid JSON (UTF-8)";
  }

  ASSERT_EQ(Post("/api/v1/readings", reading("2025-09")).status, 200);
  ASSERT_EQ(Post("/write", "after v=1\n").status, 204);
  EXPECT_EQ(Stored("chiso_indicator_reading")[0].samples.size(), 2u);
  EXPECT_EQ(Stored("before_v").size(), 1u);
  EXPECT_EQ(Stored("after_v").size(), 1u);
  EXPECT_TRUE(Stored("a").empty());
  EXPECT_TRUE(Stored("m_v").empty());
}

}  // namespace
}  // namespace chiso::api
