// Browser sessions through the Router: sign-in, the cookie, CSRF and same-origin checks on
// writes, expiry, sign-out, and a reload that removes the token.
#include "api/sessions.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <boost/json.hpp>

#include "api/router.h"

namespace chiso::api {
namespace {

namespace json = boost::json;

class SessionsTest : public ::testing::Test {
 protected:
  SessionsTest() {
    SetTokens(
        {{"writer", ingest::Sha256Hex("w-secret"), ingest::Role::kWrite, {{"gia_loc"}, {}, {}}},
         {"viewer", ingest::Sha256Hex("r-secret"), ingest::Role::kRead, {}}});
    router_.AddRoute("POST", "/api/v1/thing", ingest::Role::kWrite, [](const RequestContext& c) {
      return MakeResponse(200, "application/json", "{\"by\":\"" + c.principal->name() + "\"}");
    });
  }

  void SetTokens(std::vector<ingest::ApiToken> tokens) {
    auto snapshot = std::make_shared<ServiceSnapshot>();
    snapshot->tokens = std::make_shared<ingest::TokenTable>(std::move(tokens));
    snapshots_.Set(snapshot);
  }

  HttpResponse Call(const std::string& method, const std::string& path, const std::string& cookie,
                    const std::string& csrf = "", const std::string& body = "",
                    const std::string& origin = "") {
    HttpRequest request;
    request.method = method;
    request.target = request.path = path;
    request.cookie = cookie;
    request.csrf_token = csrf;
    request.body = body;
    request.host = "chiso.example:9157";
    request.origin = origin;
    request.remote_address = "10.0.0.7";
    return router_.Handle(request);
  }

  static std::string Header(const HttpResponse& response, std::string_view name) {
    for (const auto& [n, v] : response.headers)
      if (n == name) return v;
    return "";
  }

  // Signs in with `secret`; returns the Cookie header to send and the CSRF token.
  std::pair<std::string, std::string> SignIn(const std::string& secret) {
    const HttpResponse response =
        Call("POST", "/api/v1/session", "", "", "{\"token\":\"" + secret + "\"}");
    EXPECT_EQ(response.status, 200) << response.body;
    const std::string set_cookie = Header(response, "Set-Cookie");
    const std::string id = CookieValue(set_cookie.substr(0, set_cookie.find(';')), kSessionCookie);
    EXPECT_EQ(id.size(), 64u) << set_cookie;
    const json::object body = json::parse(response.body).as_object();
    return {"theme=dark; chiso_session=" + id, std::string(body.at("csrf_token").as_string())};
  }

  FakeClock clock_{1'780'000'000'000};
  SnapshotHolder snapshots_;
  prometheus::Registry registry_;
  Router router_{&snapshots_, &registry_, RouterHooks{nullptr, nullptr, &clock_, {}, {}}};
};

TEST_F(SessionsTest, SignInSetsAStrictHttpOnlyExpiringCookieAndTellsWhatTheTokenMay) {
  const HttpResponse response = Call("POST", "/api/v1/session", "", "", R"({"token":"w-secret"})");
  ASSERT_EQ(response.status, 200) << response.body;
  const std::string cookie = Header(response, "Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("chiso_session=")) << cookie;
  for (const char* attribute : {"; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age=28800"})
    EXPECT_NE(cookie.find(attribute), std::string::npos) << attribute << " in " << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  const json::object body = json::parse(response.body).as_object();
  EXPECT_EQ(body.at("user").as_string(), "writer");
  EXPECT_EQ(body.at("role").as_string(), "write");
  EXPECT_EQ(body.at("units").as_array().size(), 1u);
  EXPECT_EQ(body.at("csrf_token").as_string().size(), 64u);
}

TEST_F(SessionsTest, BehindATlsProxyTheCookieIsSecure) {
  HttpRequest request;
  request.method = "POST";
  request.target = request.path = "/api/v1/session";
  request.body = R"({"token":"r-secret"})";
  request.forwarded_proto = "https";
  EXPECT_NE(Header(router_.Handle(request), "Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(SessionsTest, AWrongTokenOrBodyIsRefusedNamingTheField) {
  const HttpResponse unknown = Call("POST", "/api/v1/session", "", "", R"({"token":"nope"})");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(unknown.body.find("field token"), std::string::npos) << unknown.body;
  EXPECT_TRUE(Header(unknown, "Set-Cookie").empty());
  const HttpResponse missing = Call("POST", "/api/v1/session", "", "", R"({"secret":"w-secret"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("field token"), std::string::npos) << missing.body;
  EXPECT_EQ(Call("POST", "/api/v1/session", "", "", "not json").status, 400);
}

TEST_F(SessionsTest, ReadsNeedOnlyTheCookieWritesAlsoTheCsrfTokenAndTheSameOrigin) {
  const auto [cookie, csrf] = SignIn("w-secret");
  const HttpResponse who = Call("GET", "/api/v1/session", cookie);
  ASSERT_EQ(who.status, 200);
  EXPECT_EQ(json::parse(who.body).at("csrf_token").as_string(), csrf);

  const HttpResponse no_csrf = Call("POST", "/api/v1/thing", cookie);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_NE(no_csrf.body.find("X-CSRF-Token"), std::string::npos) << no_csrf.body;
  EXPECT_EQ(Call("POST", "/api/v1/thing", cookie, std::string(64, 'a')).status, 403);
  const HttpResponse cross_site =
      Call("POST", "/api/v1/thing", cookie, csrf, "", "https://evil.example");
  EXPECT_EQ(cross_site.status, 403);
  EXPECT_NE(cross_site.body.find("evil.example"), std::string::npos) << cross_site.body;

  const HttpResponse same_site =
      Call("POST", "/api/v1/thing", cookie, csrf, "", "http://chiso.example:9157");
  EXPECT_EQ(same_site.status, 200) << same_site.body;
  EXPECT_EQ(same_site.body, R"({"by":"writer"})");
  EXPECT_EQ(Call("POST", "/api/v1/thing", cookie, csrf).status, 200);  // no Origin sent
}

TEST_F(SessionsTest, TheTokensRoleStillDecides) {
  const auto [cookie, csrf] = SignIn("r-secret");
  EXPECT_EQ(Call("POST", "/api/v1/thing", cookie, csrf).status, 403);
}

TEST_F(SessionsTest, ASessionEndsWhenItExpiresAtSignOutAndWhenItsTokenIsRemoved) {
  {
    const auto [cookie, csrf] = SignIn("w-secret");
    clock_.Advance(8 * 3600 * 1000 - 1);
    EXPECT_EQ(Call("GET", "/api/v1/session", cookie).status, 200);
    clock_.Advance(1);
    const HttpResponse expired = Call("GET", "/api/v1/session", cookie);
    EXPECT_EQ(expired.status, 401);
    EXPECT_NE(expired.body.find("sign in again"), std::string::npos) << expired.body;
  }
  {
    const auto [cookie, csrf] = SignIn("w-secret");
    EXPECT_EQ(Call("DELETE", "/api/v1/session", cookie).status, 403);  // sign-out is a write
    const HttpResponse out = Call("DELETE", "/api/v1/session", cookie, csrf);
    EXPECT_EQ(out.status, 200);
    EXPECT_NE(Header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(Call("GET", "/api/v1/session", cookie).status, 401);
  }
  {
    const auto [cookie, csrf] = SignIn("w-secret");
    SetTokens({{"viewer", ingest::Sha256Hex("r-secret"), ingest::Role::kRead, {}}});
    const HttpResponse removed = Call("GET", "/api/v1/session", cookie);
    EXPECT_EQ(removed.status, 401);
    EXPECT_NE(removed.body.find("no longer configured"), std::string::npos) << removed.body;
  }
}

TEST_F(SessionsTest, AnAuthorizationHeaderIsNotASessionAndNeedsNoCsrfToken) {
  HttpRequest request;
  request.method = "POST";
  request.target = request.path = "/api/v1/thing";
  request.authorization = "Bearer w-secret";
  request.origin = "https://elsewhere.example";
  EXPECT_EQ(router_.Handle(request).status, 200);
}

TEST(CookieValueTest, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(CookieValue("a=1; chiso_session=abc; b=2", "chiso_session"), "abc");
  EXPECT_EQ(CookieValue("chiso_session=abc", "chiso_session"), "abc");
  EXPECT_EQ(CookieValue("xchiso_session=abc", "chiso_session"), "");
  EXPECT_EQ(CookieValue("", "chiso_session"), "");
}

}  // namespace
}  // namespace chiso::api
