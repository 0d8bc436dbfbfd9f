#include "ingest/auth.h"

#include <gtest/gtest.h>

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
  EXPECT_NE(table.Authenticate("Basic dXNlcg==").status().message().find("Bearer"),
            std::string::npos);
  EXPECT_EQ(table.Authenticate("Bearer wrong").status().message(), "the bearer token is not known");
  EXPECT_TRUE(table.Authenticate("Token portal-secret").ok());  // InfluxDB 2 clients
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
  EXPECT_TRUE(portal.MayWriteReading("gia_loc", "dvc_online_dossier_rate").ok());
  EXPECT_EQ(portal.MayWriteReading("kim_thanh", "dvc_online_dossier_rate").message(),
            "token 'cong_dvc' may not write unit 'kim_thanh' (its units: gia_loc)");
  EXPECT_TRUE(portal.MayWriteMetric("dvc_dossiers_received_total").ok());
  EXPECT_EQ(portal.MayWriteMetric("node_cpu_seconds_total").code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace chiso::ingest
