#include "api/remote_read_routes.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <set>

#include "catalog/testing/test_catalog.h"
#include "remote_read/testing/prompb_codec.h"
#include "store/testing/test_util.h"

namespace chiso::api {
namespace {

using prometheus::LabelMatcher_Type_EQ;
using prometheus::LabelMatcher_Type_RE;
using remote_read::testing::MakeQuery;

constexpr TimestampMs kJanuary2025 = 1'738'342'799'999;  // 2025-01-31T23:59:59.999+07:00

Labels Reading(const std::string& unit, const std::string& indicator) {
  return chiso::testing::SeriesLabels("chiso_indicator_reading",
                                      {{"indicator", indicator}, {"unit", unit}});
}

class RemoteReadRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(Store::Open(chiso::testing::OptionsFor(dir_.path())).value());
    ASSERT_TRUE(store_
                    ->Write({chiso::testing::MakeSample(Reading("gia_loc", "paper_dossier_share"),
                                                        kJanuary2025, 58),
                             chiso::testing::MakeSample(Reading("gia_loc", "vneid_account_pct"),
                                                        kJanuary2025, 40),
                             chiso::testing::MakeSample(Reading("kim_thanh", "vneid_account_pct"),
                                                        kJanuary2025, 70)})
                    .ok());
    auto snapshot = std::make_shared<ServiceSnapshot>();
    snapshot->catalog = catalog::testing::GiaLocTestCatalog();  // hai_phong above gia_loc
    snapshot->tokens = std::make_shared<ingest::TokenTable>(std::vector<ingest::ApiToken>{
        {"viewer", ingest::Sha256Hex("r"), ingest::Role::kRead, {}},
        {"hai_phong_viewer", ingest::Sha256Hex("h"), ingest::Role::kRead, {{"hai_phong"}, {}, {}}},
        {"vneid_viewer",
         ingest::Sha256Hex("v"),
         ingest::Role::kRead,
         {{}, {"vneid_account_pct"}, {}}}});
    snapshots_.Set(snapshot);
    RemoteReadLimits limits;
    limits.max_body_bytes = 4096;
    limits.query.max_series = 20;
    AddRemoteReadRoutes(router_, *store_, limits);
  }

  HttpResponse Post(const std::string& body, const std::string& token = "r") {
    HttpRequest request;
    request.method = "POST";
    request.target = request.path = "/api/v1/read";
    request.content_encoding = "snappy";
    request.body = body;
    if (!token.empty()) request.authorization = "Bearer " + token;
    return router_.Handle(request);
  }

  // Series names of the single query's answer ("metric/unit/indicator"), SAMPLES response.
  std::set<std::string> Read(std::vector<remote_read::testing::MatcherSpec> matchers,
                             const std::string& token = "r") {
    prometheus::ReadRequest request;
    *request.add_queries() = MakeQuery(0, kJanuary2025 + 86'400'000LL * 400, matchers);
    const HttpResponse response = Post(remote_read::testing::EncodeReadRequest(request), token);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.content_type, "application/x-protobuf");
    EXPECT_EQ(response.headers,
              (std::vector<std::pair<std::string, std::string>>{{"Content-Encoding", "snappy"}}));
    auto decoded = remote_read::testing::DecodeSamplesResponse(response.body);
    std::set<std::string> names;
    if (!decoded || decoded->results_size() != 1) {
      ADD_FAILURE() << "not a ReadResponse with one result";
      return names;
    }
    for (const prometheus::TimeSeries& series : decoded->results(0).timeseries()) {
      std::map<std::string, std::string> labels;
      for (const prometheus::Label& label : series.labels()) labels[label.name()] = label.value();
      EXPECT_EQ(labels["store"], "chiso");
      names.insert(labels["__name__"] + "/" + labels["unit"] + "/" + labels["indicator"]);
    }
    return names;
  }

  chiso::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  SnapshotHolder snapshots_;
  prometheus::Registry registry_;
  Router router_{&snapshots_, &registry_, {}};
};

TEST_F(RemoteReadRoutesTest, AnswersStoredAndPlanSeriesWithinTheTokensScope) {
  const std::vector<remote_read::testing::MatcherSpec> everything = {
      {LabelMatcher_Type_EQ, "store", "chiso"}, {LabelMatcher_Type_RE, "unit", ".+"}};
  EXPECT_EQ(Read(everything),
            (std::set<std::string>{"chiso_indicator_reading/gia_loc/paper_dossier_share",
                                   "chiso_indicator_reading/gia_loc/vneid_account_pct",
                                   "chiso_indicator_reading/kim_thanh/vneid_account_pct",
                                   "chiso_plan_expected/gia_loc/paper_dossier_share",
                                   "chiso_plan_expected/gia_loc/public_initiatives_recognized",
                                   "chiso_plan_target/gia_loc/paper_dossier_share",
                                   "chiso_plan_target/gia_loc/public_initiatives_recognized"}));
  EXPECT_EQ(Read(everything, "h"),
            (std::set<std::string>{"chiso_indicator_reading/gia_loc/paper_dossier_share",
                                   "chiso_indicator_reading/gia_loc/vneid_account_pct",
                                   "chiso_plan_expected/gia_loc/paper_dossier_share",
                                   "chiso_plan_expected/gia_loc/public_initiatives_recognized",
                                   "chiso_plan_target/gia_loc/paper_dossier_share",
                                   "chiso_plan_target/gia_loc/public_initiatives_recognized"}))
      << "a province's token reads its communes only";
  EXPECT_EQ(Read(everything, "v"),
            (std::set<std::string>{"chiso_indicator_reading/gia_loc/vneid_account_pct",
                                   "chiso_indicator_reading/kim_thanh/vneid_account_pct"}))
      << "an indicator-scoped token reads neither other readings nor other plans";
  EXPECT_TRUE(Read({{LabelMatcher_Type_EQ, "store", "other"}}).empty());
  EXPECT_TRUE(Read({{LabelMatcher_Type_EQ, "__name__", "nothing_here"}}).empty())
      << "a query matching nothing is an empty result";
}

TEST_F(RemoteReadRoutesTest, StreamsXorChunksWhenTheClientAsksForThem) {
  prometheus::ReadRequest request;
  *request.add_queries() =
      MakeQuery(0, kJanuary2025, {{LabelMatcher_Type_EQ, "unit", "kim_thanh"}});
  request.add_accepted_response_types(prometheus::ReadRequest::STREAMED_XOR_CHUNKS);
  const HttpResponse response = Post(remote_read::testing::EncodeReadRequest(request));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type,
            "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse");
  EXPECT_TRUE(response.headers.empty()) << "streamed frames are not compressed";
  std::string error;
  const auto frames = remote_read::testing::DecodeFrames(response.body, &error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].chunked_series(0).chunks(0).min_time_ms(), kJanuary2025);
}

TEST_F(RemoteReadRoutesTest, BadRequestsGetAPlainTextReason) {
  struct Case {
    std::string body;
    int status;
    std::string reason;
  };
  prometheus::ReadRequest bad_regex;
  *bad_regex.add_queries() = MakeQuery(0, 1, {{LabelMatcher_Type_RE, "unit", "gia_(loc"}});
  prometheus::ReadRequest many;
  for (int i = 0; i < 65; ++i) *many.add_queries() = MakeQuery(0, 1, {});
  const std::vector<Case> cases = {
      {"not snappy at all", 400, "snappy block-compressed"},
      {remote_read::testing::EncodeReadRequest(bad_regex), 400, "queries[0].matchers[0]: "},
      {std::string(5000, 'x'), 413, "larger than the limit of 4096 bytes"},
      {remote_read::testing::EncodeReadRequest(many), 413, "more than 64 queries"},
  };
  for (const Case& c : cases) {
    const HttpResponse response = Post(c.body);
    EXPECT_EQ(response.status, c.status) << response.body;
    EXPECT_EQ(response.content_type, "text/plain; charset=utf-8");
    EXPECT_NE(response.body.find(c.reason), std::string::npos) << response.body;
  }
  EXPECT_EQ(Post("", "").status, 401);
}

TEST_F(RemoteReadRoutesTest, AnAnswerPastTheLimitsIs422WithHowToNarrowIt) {
  // Twenty-one series: one reading per unit of twenty-one communes, limit 20.
  SampleBatch batch;
  for (int i = 0; i < 21; ++i) {
    batch.push_back(chiso::testing::MakeSample(
        Reading("xa_" + std::to_string(i), "vneid_account_pct"), kJanuary2025, i));
  }
  ASSERT_TRUE(store_->Write(batch).ok());
  prometheus::ReadRequest request;
  *request.add_queries() =
      MakeQuery(0, kJanuary2025, {{LabelMatcher_Type_EQ, "indicator", "vneid_account_pct"}});
  const HttpResponse response = Post(remote_read::testing::EncodeReadRequest(request));
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("queries[0]: query selects more than 20 series; narrow the query"),
            std::string::npos)
      << response.body;
}

}  // namespace
}  // namespace chiso::api
