// The write endpoints through the Router, on a real store in a temporary directory, with a fake
// clock: what is stored, what is refused and how, and what the metrics count.
#include "api/ingest_routes.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <boost/json.hpp>
#include <sstream>

#include "ingest/instant.h"
#include "ingest/remote_write.h"
#include "ingest/testing/fixtures.h"
#include "store/test_util.h"

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
    AddIngestRoutes(*router_, *store_, clock_, limits_, probe_);
  }

  HttpResponse Post(const std::string& target, std::string body,
                    const std::string& token = "writer") {
    HttpRequest request;
    request.method = "POST";
    request.target = target;
    EXPECT_TRUE(ParseTarget(target, &request.path, &request.query).ok());
    request.authorization = token.empty() ? "" : "Bearer " + token;
    request.body = std::move(body);
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
  EXPECT_NE(forbidden.body.find("may not write unit 'tay_giang'"), std::string::npos);
  EXPECT_EQ(Post("/api/v1/readings", tay_giang, "reader").status, 403);
  EXPECT_EQ(Post("/api/v1/readings", tay_giang, "").status, 401);
  EXPECT_EQ(Post("/write", "m v=1", "nobody").status, 401);
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
  const std::string request = ingest::EncodeRemoteWrite(
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
      ingest::EncodeRemoteWrite({{{{"__name__", "a"}}, {{clock_.Now(), 1}}}});
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
       ingest::EncodeRemoteWrite(
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
