#include "ingest/auth.h"

#include <gtest/gtest.h>

#include "ingest/testing/fixtures.h"

namespace chiso::ingest {
namespace {

TokenTable MakeTable() {
  return TokenTable({
      {"viewer", Sha256Hex("read-secret"), Role::kRead, {}},
      {"cong_dvc", Sha256Hex("portal-secret"), Role::kWrite, {{"gia_loc"}, {}, {"dvc_"}}},
      {"ops", Sha256Hex("admin-secret"), Role::kAdmin, {}},
  });
}

TEST(AuthTest, Sha256MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthTest, AuthenticatesByBearerSecret) {
  TokenTable table = MakeTable();
  auto principal = table.Authenticate("Bearer portal-secret");
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->name(), "cong_dvc");
  EXPECT_TRUE(table.Authenticate("bearer admin-secret").ok()) << "the scheme is case-insensitive";
}

TEST(AuthTest, RejectsMissingMalformedAndUnknownTokens) {
  TokenTable table = MakeTable();
  EXPECT_EQ(table.Authenticate("").status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(table.Authenticate("Digest dXNlcg==").status().message().find("Bearer"),
            std::string::npos);
  EXPECT_NE(table.Authenticate("Bearer").status().message().find("Bearer <token>"),
            std::string::npos);
  EXPECT_EQ(table.Authenticate("Bearer wrong").status().message(), "the bearer token is not known");
}

TEST(AuthTest, InfluxDb2TokenScheme) {
  TokenTable table = MakeTable();
  EXPECT_EQ(table.Authenticate("Token portal-secret")->name(), "cong_dvc");
  EXPECT_EQ(table.Authenticate("token portal-secret")->name(), "cong_dvc");
  EXPECT_EQ(table.Authenticate("Token wrong").status().message(), "the token is not known");
  // InfluxDB 1.8's "Token <user>:<password>" for 2.x clients.
  EXPECT_EQ(table.Authenticate("Token cong_dvc:portal-secret")->name(), "cong_dvc");
  EXPECT_EQ(table.Authenticate("Token :portal-secret")->name(), "cong_dvc");
  EXPECT_EQ(table.Authenticate("Token ops:portal-secret").status().code(),
            StatusCode::kUnauthenticated);
}

TEST(AuthTest, BasicAuthorizationEncodesAsRfc7617) {
  EXPECT_EQ(BasicAuthorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(BasicAuthorization("", "ab"), "Basic OmFi");
  EXPECT_EQ(BasicAuthorization("", "a"), "Basic OmE=");
}

TEST(AuthTest, InfluxDb1BasicAuthTakesTheTokenAsPassword) {
  TokenTable table = MakeTable();
  EXPECT_EQ(table.Authenticate(BasicAuthorization("cong_dvc", "portal-secret"))->name(),
            "cong_dvc");
  EXPECT_EQ(table.Authenticate(BasicAuthorization("", "portal-secret"))->name(), "cong_dvc");
  EXPECT_EQ(table.Authenticate("basic Y29uZ19kdmM6cG9ydGFsLXNlY3JldA")->name(), "cong_dvc")
      << "lower-case scheme, padding left out";

  const Status other_name =
      table.Authenticate(BasicAuthorization("telegraf", "portal-secret")).status();
  EXPECT_EQ(other_name.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(other_name.message(),
            "the user name does not match the token given as password: send its name "
            "'cong_dvc' or an empty user name");
  const Status unknown = table.Authenticate(BasicAuthorization("cong_dvc", "guessed")).status();
  EXPECT_EQ(unknown.message(), "the password (a token's secret) is not known");
  EXPECT_EQ(table.Authenticate(BasicAuthorization("portal-secret", "")).status().message(),
            "the password is empty; send the token as the password");
}

TEST(AuthTest, BasicPasswordsMayContainColons) {
  TokenTable table({{"sensor", Sha256Hex("a:b::c"), Role::kWrite, {}}});
  EXPECT_EQ(table.Authenticate(BasicAuthorization("sensor", "a:b::c"))->name(), "sensor");
  EXPECT_EQ(table.Authenticate(BasicAuthorization("", "a:b::c"))->name(), "sensor");
  EXPECT_EQ(table.Authenticate("Token a:b::c")->name(), "sensor") << "a whole secret first";
}

TEST(AuthTest, MalformedBasicCredentialsAreNamed) {
  TokenTable table = MakeTable();
  for (std::string_view bad : {"Basic !!!!", "Basic Y29uZ", "Basic Y29u=Z19k",
                               "Basic Y29uZ===", "Basic Y29uZ19kdmM6cG9ydGFsLXNlY3JldA==="}) {
    EXPECT_EQ(table.Authenticate(bad).status().message(),
              "the Basic credentials are not valid base64")
        << bad;
  }
  EXPECT_EQ(table.Authenticate("Basic dXNlcg==").status().message(),
            "the Basic credentials must be base64 of '<user>:<token>'; they have no colon");
}

TEST(AuthTest, MessagesNeverQuoteTheSecret) {
  TokenTable table = MakeTable();
  for (const std::string& header :
       {std::string("Bearer s3cr3t-guess"), std::string("Token s3cr3t-guess"),
        std::string("Token user:s3cr3t-guess"), BasicAuthorization("user", "s3cr3t-guess"),
        BasicAuthorization("s3cr3t-guess", "")}) {
    const std::string message = table.Authenticate(header).status().message();
    EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
  }
}

TEST(AuthTest, DigestsSharingTheirIndexedPrefixAreComparedWhole) {
  // Made-up digests that begin like the secret's: only the whole digest authenticates.
  const std::string digest = Sha256Hex("secret");
  std::string last_differs = digest;
  last_differs.back() = last_differs.back() == '0' ? '1' : '0';
  std::string middle_differs = digest;
  middle_differs[40] = middle_differs[40] == '0' ? '1' : '0';
  TokenTable table({{"decoy_a", last_differs, Role::kRead, {}},
                    {"real", digest, Role::kWrite, {}},
                    {"decoy_b", middle_differs, Role::kRead, {}}});
  auto principal = table.Authenticate("Bearer secret");
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->name(), "real");
  EXPECT_FALSE(
      TokenTable({{"decoy_a", last_differs, Role::kRead, {}}}).Authenticate("Bearer secret").ok());
}

TEST(AuthTest, RolesIncludeLowerRoles) {
  TokenTable table = MakeTable();
  auto viewer = table.Authenticate("Bearer read-secret").value();
  EXPECT_TRUE(viewer.RequireRole(Role::kRead).ok());
  Status denied = viewer.RequireRole(Role::kAdmin);
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(), "token 'viewer' has role read; this needs role admin");
  EXPECT_TRUE(table.Authenticate("Bearer admin-secret")->RequireRole(Role::kWrite).ok());
}

TEST(AuthTest, ScopesLimitUnitsAndMetricPrefixes) {
  TokenTable table = MakeTable();  // a Principal borrows its token from the table
  auto portal = table.Authenticate("Bearer portal-secret").value();
  const catalog::Catalog catalog;  // no tree: only listed units
  const auto reading = [](const char* unit) {
    return Labels{{"__name__", "chiso_indicator_reading"},
                  {"indicator", "dvc_online_dossier_rate"},
                  {"unit", unit}};
  };
  EXPECT_TRUE(portal.MayWriteSeries(reading("gia_loc"), catalog).ok());
  EXPECT_EQ(portal.MayWriteSeries(reading("kim_thanh"), catalog).message(),
            "unit 'kim_thanh' is outside token 'cong_dvc''s units [gia_loc]");
  EXPECT_TRUE(portal.MayWriteMetric("dvc_dossiers_received_total").ok());
  EXPECT_EQ(portal.MayWriteMetric("node_cpu_seconds_total").code(), StatusCode::kPermissionDenied);
}

TEST(AuthTest, SeriesScopesFollowTheUnitTreeAndIndicators) {
  const auto catalog = testing::SmallCatalog();  // gia_loc is a commune of hai_phong
  const std::vector<ApiToken> tokens = testing::TestTokens();
  const Principal province(&tokens[3]);  // units [hai_phong], indicators [dvc_online_dossier_rate]
  EXPECT_TRUE(province.MayWriteSeries({{"__name__", "x"}, {"unit", "gia_loc"}}, *catalog).ok());
  EXPECT_TRUE(province.MayWriteSeries({{"__name__", "x"}, {"unit", "hai_phong"}}, *catalog).ok());
  EXPECT_EQ(province.MayWriteSeries({{"__name__", "x"}, {"unit", "tay_giang"}}, *catalog).message(),
            "unit 'tay_giang' is outside token 'province_writer''s units [hai_phong]");
  EXPECT_EQ(province.MayWriteSeries({{"__name__", "x"}}, *catalog).message(),
            "a series without a 'unit' label is outside token 'province_writer''s units "
            "[hai_phong]");
  const Labels other_indicator{{"__name__", "chiso_indicator_reading"},
                               {"indicator", "digital_initiatives"},
                               {"unit", "gia_loc"}};
  EXPECT_EQ(province.MayWriteSeries(other_indicator, *catalog).message(),
            "indicator 'digital_initiatives' is outside token 'province_writer''s indicators "
            "[dvc_online_dossier_rate]");
  const Principal unscoped(&tokens[0]);
  EXPECT_TRUE(unscoped.MayWriteSeries({{"__name__", "x"}}, *catalog).ok());
  EXPECT_EQ(Principal(&tokens[2]).MayWriteSeries({{"__name__", "x"}}, *catalog).code(),
            StatusCode::kPermissionDenied);  // role read
}

TEST(AuthTest, WholeServiceActionsNeedAnUnscopedAdmin) {
  const ApiToken admin{"ops", Sha256Hex("a"), Role::kAdmin, {}};
  const ApiToken commune_admin{"ops_gia_loc", Sha256Hex("b"), Role::kAdmin, {{"gia_loc"}, {}, {}}};
  const ApiToken prefix_admin{"ops_dvc", Sha256Hex("c"), Role::kAdmin, {{}, {}, {"dvc_"}}};
  const ApiToken writer{"portal", Sha256Hex("d"), Role::kWrite, {}};
  EXPECT_TRUE(Principal(&admin).MayActOnWholeService("backup").ok());
  EXPECT_EQ(Principal(&commune_admin).MayActOnWholeService("backup").message(),
            "backup acts on the whole service; token 'ops_gia_loc' is limited to units [gia_loc]");
  EXPECT_EQ(
      Principal(&prefix_admin).MayActOnWholeService("reload").message(),
      "reload acts on the whole service; token 'ops_dvc' is limited to metric prefixes [dvc_]");
  EXPECT_EQ(Principal(&writer).MayActOnWholeService("reload").message(),
            "token 'portal' has role write; this needs role admin");
}

}  // namespace
}  // namespace chiso::ingest
