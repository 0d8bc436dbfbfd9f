#include "api/router.h"

#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <boost/json.hpp>
#include <sstream>

#include "api/catalog_routes.h"
#include "catalog/catalog_loader.h"

namespace chiso::api {
namespace {

const char kCatalog[] = R"(units:
  - {id: hai_phong, name: Thành phố Hải Phòng, level: province}
  - {id: gia_loc, name: Xã Gia Lộc, level: commune, parent: hai_phong}
offices:
  - {code: phong_vhxh, name: Phòng Văn hóa - Xã hội}
indicators:
  - {code: vneid_account_pct, name: Tỷ lệ người dân có tài khoản định danh điện tử, measure: percent,
     direction: up, period: month, office: phong_vhxh, kind: reported}
)";
const char kPlan[] = R"(plan: {unit: gia_loc, title: Kế hoạch, source: seeds/000}
targets:
  - indicator: vneid_account_pct
    baseline: not_stated
    milestones: [{date: 2025-12-31, target: 70, source: "000 §III.2.1.e"}]
)";

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    AddCatalogRoutes(router_);  // a route of a module, beside the built-in ones
    auto load = catalog::LoadCatalog({{"c.yaml", kCatalog}}, {{"p.yaml", kPlan}});
    EXPECT_TRUE(load.problems.empty());
    auto snapshot = std::make_shared<ServiceSnapshot>();
    snapshot->catalog = load.catalog;
    snapshot->tokens = std::make_shared<ingest::TokenTable>(std::vector<ingest::ApiToken>{
        {"viewer", ingest::Sha256Hex("r"), ingest::Role::kRead, {}},
        {"ops", ingest::Sha256Hex("a"), ingest::Role::kAdmin, {}},
        {"ops_gia_loc", ingest::Sha256Hex("g"), ingest::Role::kAdmin, {{"gia_loc"}, {}, {}}}});
    snapshots_.Set(snapshot);
    prometheus::BuildCounter()
        .Name("chiso_test_total")
        .Help("A counter for the test.")
        .Register(registry_)
        .Add({})
        .Increment();
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& token = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    EXPECT_TRUE(ParseTarget(target, &request.path, &request.query).ok());
    if (!token.empty()) request.authorization = "Bearer " + token;
    return router_.Handle(request);
  }

  Router MakeRouter(RouterHooks hooks) { return Router(&snapshots_, &registry_, std::move(hooks)); }

  SnapshotHolder snapshots_;
  prometheus::Registry registry_;
  int reloads_ = 0;
  Router router_ = MakeRouter({[this] {
                                 ++reloads_;
                                 return reloads_ == 1 ? Diagnostics{}
                                                      : Diagnostics{{"a.yaml", 3, "bad"},
                                                                    {"b.yaml", 9, "worse"}};
                               },
                               nullptr,
                               nullptr,
                               {},
                               {}});
};

TEST_F(RouterTest, OperationalEndpointsAreOpen) {
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
  EXPECT_EQ(Call("GET", "/readyz").status, 200);
  HttpResponse metrics = Call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("chiso_test_total 1"), std::string::npos) << metrics.body;
  EXPECT_EQ(metrics.handler, "/metrics");
}

TEST_F(RouterTest, ClosedOperationalEndpointsNeedAToken) {
  auto closed = std::make_shared<ServiceSnapshot>(*snapshots_.Get());
  closed->open_operational_endpoints = false;
  snapshots_.Set(closed);
  EXPECT_EQ(Call("GET", "/metrics").status, 401);
  EXPECT_EQ(Call("GET", "/metrics", "r").status, 200);
}

TEST_F(RouterTest, CatalogNeedsAValidToken) {
  HttpResponse anonymous = Call("GET", "/api/v1/catalog");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.headers.at(0).first, "WWW-Authenticate");
  EXPECT_NE(anonymous.body.find("missing Authorization header"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/catalog", "nope").status, 401);

  HttpResponse ok = Call("GET", "/api/v1/catalog?unit=gia_loc", "r");
  ASSERT_EQ(ok.status, 200);
  auto json = boost::json::parse(ok.body).as_object();
  EXPECT_EQ(json["units"].as_array().size(), 2u);
  const auto& plan = json["plans"].as_array().at(0).as_object();
  EXPECT_EQ(plan.at("unit").as_string(), "gia_loc");
  const auto& milestone =
      plan.at("targets").as_array().at(0).as_object().at("milestones").as_array().at(0);
  EXPECT_EQ(milestone.at("date").as_string(), "2025-12-31");
  EXPECT_EQ(milestone.at("op").as_string(), ">=");
  EXPECT_EQ(boost::json::parse(Call("GET", "/api/v1/catalog?unit=kim_thanh", "r").body)
                .as_object()["plans"]
                .as_array()
                .size(),
            0u);
}

TEST_F(RouterTest, CatalogPlansFollowTheReadScope) {
  const std::string units = R"(units:
  - {id: hai_phong, name: Thành phố Hải Phòng, level: province}
  - {id: gia_loc, name: Xã Gia Lộc, level: commune, parent: hai_phong}
  - {id: tu_ky, name: Xã Tứ Kỳ, level: commune, parent: hai_phong}
)";
  const std::string rest = std::string(kCatalog).substr(std::string(kCatalog).find("offices:"));
  std::string tu_ky_plan = kPlan;
  tu_ky_plan.replace(tu_ky_plan.find("gia_loc"), 7, "tu_ky");
  auto load =
      catalog::LoadCatalog({{"c.yaml", units + rest}}, {{"p.yaml", kPlan}, {"q.yaml", tu_ky_plan}});
  ASSERT_TRUE(load.problems.empty()) << load.problems.front().ToString();
  auto snapshot = std::make_shared<ServiceSnapshot>(*snapshots_.Get());
  snapshot->catalog = load.catalog;
  snapshot->tokens = std::make_shared<ingest::TokenTable>(std::vector<ingest::ApiToken>{
      {"viewer", ingest::Sha256Hex("r"), ingest::Role::kRead, {}},
      {"gia_loc_viewer", ingest::Sha256Hex("g"), ingest::Role::kRead, {{"gia_loc"}, {}, {}}},
      {"hai_phong_viewer", ingest::Sha256Hex("h"), ingest::Role::kRead, {{"hai_phong"}, {}, {}}}});
  snapshots_.Set(snapshot);

  auto plans = [this](const std::string& target, const std::string& token) {
    const HttpResponse response = Call("GET", target, token);
    EXPECT_EQ(response.status, 200) << response.body;
    const boost::json::value body = boost::json::parse(response.body);
    EXPECT_EQ(body.at("units").as_array().size(), 3u) << "the unit list stays whole";
    std::vector<std::string> out;
    for (const auto& plan : body.at("plans").as_array()) {
      out.emplace_back(plan.at("unit").as_string());
    }
    return out;
  };
  using Units = std::vector<std::string>;
  EXPECT_EQ(plans("/api/v1/catalog", "r"), (Units{"gia_loc", "tu_ky"}));
  EXPECT_EQ(plans("/api/v1/catalog", "g"), (Units{"gia_loc"}));
  EXPECT_EQ(plans("/api/v1/catalog", "h"), (Units{"gia_loc", "tu_ky"}));
  EXPECT_EQ(plans("/api/v1/catalog?unit=tu_ky", "h"), (Units{"tu_ky"}));
  const HttpResponse refused = Call("GET", "/api/v1/catalog?unit=tu_ky", "g");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("may not read unit 'tu_ky' (its units: gia_loc"), std::string::npos)
      << refused.body;
}

// The value of `series` (e.g. chiso_auth_failures_total{reason="missing"}) in /metrics.
double MetricValue(const std::string& exposition, const std::string& series) {
  const std::size_t at = exposition.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(exposition.substr(at + series.size() + 2));
}

TEST_F(RouterTest, FailedAuthenticationIsCountedByReason) {
  auto failures = [this](const std::string& reason) {
    return MetricValue(Call("GET", "/metrics").body,
                       "chiso_auth_failures_total{reason=\"" + reason + "\"}");
  };
  for (const char* reason : {"missing", "malformed", "unknown_token", "forbidden_role"}) {
    EXPECT_EQ(failures(reason), 0) << reason;
  }
  HttpRequest request;
  request.method = "GET";
  request.target = request.path = "/api/v1/catalog";
  for (const char* header : {"", "Bearer", "Basic !!!", "Bearer nope", "Token nope"}) {
    request.authorization = header;
    EXPECT_EQ(router_.Handle(request).status, 401) << header;
  }
  EXPECT_EQ(Call("POST", "/api/v1/admin/reload", "r").status, 403);
  EXPECT_EQ(failures("missing"), 1);
  EXPECT_EQ(failures("malformed"), 2);
  EXPECT_EQ(failures("unknown_token"), 2);
  EXPECT_EQ(failures("forbidden_role"), 1);
}

TEST_F(RouterTest, RepeatedFailuresFromOneAddressAreThrottled) {
  FakeClock clock(1'760'000'000'000);
  prometheus::Registry registry;
  Router router(&snapshots_, &registry, {nullptr, nullptr, &clock, {3, 60'000, 2, 4}, {}});
  AddCatalogRoutes(router);
  auto call = [&router](const std::string& address, const std::string& token) {
    HttpRequest request;
    request.method = "GET";
    request.target = request.path = "/api/v1/catalog";
    request.authorization = "Bearer " + token;
    request.remote_address = address;
    return router.Handle(request);
  };
  const std::string guesser = "192.0.2.7";
  EXPECT_EQ(call(guesser, "a").status, 200);  // the rightful client, before the guessing
  for (int i = 0; i < 4; ++i) EXPECT_EQ(call(guesser, "guess" + std::to_string(i)).status, 401);
  // Past 3 failures in a minute: refused without saying whether the token is right.
  const HttpResponse throttled = call(guesser, "guess4");
  EXPECT_EQ(throttled.status, 429);
  ASSERT_EQ(throttled.headers.size(), 1u);
  EXPECT_EQ(throttled.headers[0].first, "Retry-After");
  EXPECT_EQ(throttled.headers[0].second, "60");
  EXPECT_EQ(call(guesser, "r").status, 429) << "a right guess is not confirmed";
  EXPECT_EQ(call(guesser, "a").status, 200) << "a token that worked from here before still works";
  EXPECT_EQ(call("192.0.2.8", "r").status, 200) << "other addresses are not affected";
  EXPECT_EQ(call("", "guess").status, 401) << "in-process requests are not throttled";
  EXPECT_EQ(MetricValue(
                "\n" +
                    [&] {
                      std::ostringstream out;
                      prometheus::TextSerializer().Serialize(out, registry.Collect());
                      return out.str();
                    }(),
                "chiso_auth_throttled_total"),
            2);

  clock.Advance(45'000);
  EXPECT_EQ(call(guesser, "guess5").headers.at(0).second, "15");
  clock.Advance(15'000);  // the window is over: the address may try again
  EXPECT_EQ(call(guesser, "r").status, 200);
  EXPECT_EQ(call(guesser, "guess6").status, 401);

  // The table holds 2 addresses: a third evicts the least recently seen, whose count restarts.
  clock.Advance(1'000);
  for (int i = 0; i < 4; ++i) call("198.51.100.1", "guess");
  EXPECT_EQ(call("198.51.100.1", "guess").status, 429);
  clock.Advance(1'000);
  call("198.51.100.2", "guess");
  clock.Advance(1'000);
  call("198.51.100.3", "guess");
  EXPECT_EQ(call("198.51.100.1", "guess").status, 401);
}

TEST_F(RouterTest, AdminRoutesNeedTheAdminRole) {
  HttpResponse denied = Call("POST", "/api/v1/admin/reload", "r");
  EXPECT_EQ(denied.status, 403);
  EXPECT_NE(denied.body.find("token 'viewer' has role read; this needs role admin"),
            std::string::npos);
  EXPECT_EQ(reloads_, 0);
  HttpResponse scoped = Call("POST", "/api/v1/admin/reload", "g");
  EXPECT_EQ(scoped.status, 403);
  EXPECT_NE(scoped.body.find("reload acts on the whole service; token 'ops_gia_loc' is limited to "
                             "units [gia_loc]"),
            std::string::npos);
  EXPECT_EQ(reloads_, 0);
  EXPECT_EQ(Call("POST", "/api/v1/admin/reload", "a").status, 200);
  EXPECT_EQ(reloads_, 1);
}

TEST_F(RouterTest, FailedReloadListsEveryProblem) {
  EXPECT_EQ(Call("POST", "/api/v1/admin/reload", "a").status, 200);
  HttpResponse refused = Call("POST", "/api/v1/admin/reload", "a");
  EXPECT_EQ(refused.status, 422);
  auto json = boost::json::parse(refused.body).as_object();
  EXPECT_EQ(json["details"].as_array().size(), 2u);
  EXPECT_EQ(json["details"].as_array()[1].as_string(), "b.yaml:9: worse");
}

TEST_F(RouterTest, UnknownPathsAndMethods) {
  HttpResponse missing = Call("GET", "/api/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.handler, "other") << "unknown paths must not create metric labels";
  HttpResponse wrong_method = Call("DELETE", "/api/v1/catalog", "a");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.headers.at(0), (std::pair<std::string, std::string>{"Allow", "GET"}));
}

TEST_F(RouterTest, ModuleRoutesGetThePrincipalAndPathParameter) {
  router_.AddRoute("POST", "/api/v1/tasks/{id}", ingest::Role::kRead, [](const RequestContext& c) {
    return MakeResponse(200, "text/plain", c.principal->name() + " " + c.path_parameter);
  });
  HttpResponse ok = Call("POST", "/api/v1/tasks/nd_01", "r");
  EXPECT_EQ(ok.body, "viewer nd_01");
  EXPECT_EQ(ok.handler, "/api/v1/tasks/{id}") << "the pattern, not the id, labels metrics";
  EXPECT_EQ(Call("POST", "/api/v1/tasks/nd_01", "").status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/tasks/", "r").status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/tasks/a/b", "r").status, 404);
}

TEST(HttpMessageTest, ParsesTargetsAndRejectsBadEscapes) {
  std::string path;
  std::map<std::string, std::string, std::less<>> query;
  ASSERT_TRUE(
      ParseTarget("/api/v1/status?unit=gia_loc&office=phong%20vhxh&x=a+b", &path, &query).ok());
  EXPECT_EQ(path, "/api/v1/status");
  EXPECT_EQ(query["office"], "phong vhxh");
  EXPECT_EQ(query["x"], "a b");
  EXPECT_FALSE(ParseTarget("/a%2", &path, &query).ok());
  EXPECT_FALSE(ParseTarget("/a?b=%zz", &path, &query).ok());
}

// An exposition that writes one series per unit of the catalog, labelled with its province.
class UnitsExposition final : public MetricsExposition {
 public:
  void Render(const ScrapeScope& scope, ExpositionWriter* out) const override {
    out->Gauge("chiso_unit_known", "A series per unit.");
    for (const catalog::Unit& unit : scope.catalog->units) {
      const std::string_view province = scope.catalog->ProvinceOf(unit.id);
      if (scope.WantsDomain(province)) out->Sample({{"province", province}, {"unit", unit.id}}, 1);
    }
  }
};

TEST_F(RouterTest, MetricsAreShardedByProvince) {
  router_.AddExposition(std::make_shared<UnitsExposition>());
  const std::string gia_loc = R"(chiso_unit_known{province="hai_phong",unit="gia_loc"} 1)";
  HttpResponse all = Call("GET", "/metrics");
  EXPECT_NE(all.body.find(gia_loc), std::string::npos) << all.body;
  EXPECT_NE(all.body.find("chiso_test_total 1"), std::string::npos);

  HttpResponse shard = Call("GET", "/metrics?province=hai_phong");
  ASSERT_EQ(shard.status, 200) << shard.body;
  EXPECT_EQ(shard.body,
            "# HELP chiso_unit_known A series per unit.\n# TYPE chiso_unit_known gauge\n"
            R"(chiso_unit_known{province="hai_phong",unit="hai_phong"} 1)"
            "\n" +
                gia_loc + "\n")
      << "only the province's domain series, no service metrics";

  HttpResponse service = Call("GET", "/metrics?only=service");
  ASSERT_EQ(service.status, 200) << service.body;
  EXPECT_NE(service.body.find("chiso_test_total 1"), std::string::npos);
  EXPECT_EQ(service.body.find("chiso_unit_known"), std::string::npos);

  for (const char* target :
       {"/metrics?province=gia_loc", "/metrics?province=ha_noi", "/metrics?province="}) {
    HttpResponse unknown = Call("GET", target);
    EXPECT_EQ(unknown.status, 400) << target;
    EXPECT_NE(unknown.body.find("parameter province: "), std::string::npos) << unknown.body;
    EXPECT_NE(unknown.body.find(R"("details":["hai_phong"])"), std::string::npos) << unknown.body;
  }
  HttpResponse bad_only = Call("GET", "/metrics?only=domain");
  EXPECT_EQ(bad_only.status, 400);
  EXPECT_NE(bad_only.body.find("parameter only: 'domain'"), std::string::npos) << bad_only.body;
  EXPECT_EQ(Call("GET", "/metrics?only=service&province=hai_phong").status, 400);
}

}  // namespace
}  // namespace chiso::api
