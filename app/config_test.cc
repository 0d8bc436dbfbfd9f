#include "app/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/file_source.h"
#include "catalog/catalog_loader.h"

namespace chiso::app {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("CHISO_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

std::string Describe(const Diagnostics& problems) {
  std::string out;
  for (const auto& p : problems) out += p.ToString() + "\n";
  return out;
}

TEST(ConfigTest, EmbeddedBundleIsTheRepositoryDeployFolder) {
  EmbeddedFileSource embedded;
  DiskFileSource disk;
  const auto names = embedded.Glob("deploy/*/*.yaml");
  ASSERT_FALSE(names.empty());
  for (const auto& name : names) {
    EXPECT_EQ(embedded.Read(name).value(), disk.Read(SourceDir() + "/" + name).value())
        << name << " is stale in the binary";
  }
}

TEST(ConfigTest, BundledConfigPassesFromDiskAndFromTheBinary) {
  ConfigLoad embedded = LoadServiceConfig(EmbeddedFileSource(), EmbeddedFileSource::kDefaultConfig);
  EXPECT_TRUE(embedded.problems.empty()) << Describe(embedded.problems);
  ConfigLoad disk = LoadServiceConfig(DiskFileSource(), SourceDir() + "/deploy/chiso.yaml");
  EXPECT_TRUE(disk.problems.empty()) << Describe(disk.problems);
  EXPECT_EQ(disk.config.server.port, 9157);
  EXPECT_EQ(disk.config.data_dir, "./data");
  ASSERT_NE(disk.config.catalog, nullptr);
  EXPECT_EQ(disk.config.catalog->plans.size(), 5u);
  for (const char* unit : {"gia_loc", "tay_giang", "rang_dong", "nghia_dan", "kim_thanh"}) {
    EXPECT_EQ(disk.config.catalog->PlansOf(unit).size(), 1u) << unit;
  }
}

// deploy/README.md shows reviewers how much of each seed is encoded; it must say what loads.
TEST(ConfigTest, DeployReadmeTableMatchesTheLoadedPlans) {
  auto readme = DiskFileSource().Read(SourceDir() + "/deploy/README.md");
  ASSERT_TRUE(readme.ok());
  const std::string begin = "<!-- plan-summary:begin -->\n", end = "<!-- plan-summary:end -->";
  const std::size_t from = readme->find(begin), to = readme->find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  ConfigLoad load = LoadServiceConfig(DiskFileSource(), SourceDir() + "/deploy/chiso.yaml");
  const std::string expected =
      catalog::PlanSummaryTable(catalog::SummarizePlans(*load.config.catalog));
  EXPECT_EQ(readme->substr(from + begin.size(), to - from - begin.size()), expected);
}

class BrokenConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("chiso_config_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "catalog");
    Write("catalog/units.yaml", "units:\n  - {id: hai_phong, name: Hải Phòng, level: province}\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::vector<std::string> Load(const std::string& config) {
    Write("chiso.yaml", config);
    std::vector<std::string> out;
    for (const auto& p :
         LoadServiceConfig(DiskFileSource(), (dir_ / "chiso.yaml").string()).problems) {
      out.push_back(p.ToString().substr(dir_.string().size() + 1));
    }
    return out;
  }

  std::filesystem::path dir_;
};

TEST_F(BrokenConfigTest, AcceptsAMinimalConfig) {
  EXPECT_EQ(Load("catalog: [catalog/*.yaml]\nplans: []\n"), std::vector<std::string>{});
}

TEST_F(BrokenConfigTest, NamesEachProblem) {
  const std::string config =
      "listen: 127.0.0.1:99999\n"
      "catalog: [catalog/*.yaml]\n"
      "plans: [plans/*.yaml]\n"
      "server:\n"
      "  request_timeout: 30sec\n"
      "  max_body_bytes: 0\n"
      "tokens:\n"
      "  - name: portal\n"
      "    sha256: not-a-digest\n"
      "    role: writer\n"
      "  - name: other\n"
      "    sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n"
      "    role: read\n"
      "    units: [gia_loc]\n"
      "lisen: typo\n";
  EXPECT_EQ(
      Load(config),
      (std::vector<std::string>{
          "chiso.yaml:1: config: listen address '127.0.0.1:99999' has port '99999', not 0..65535",
          "chiso.yaml:6: server: max_body_bytes must be positive",
          "chiso.yaml:5: server: request_timeout: duration '30sec' has unit 'sec'; use ms, s, m, "
          "h, d, w or y",
          "chiso.yaml:10: token: role 'writer' is not one of: read, write, admin",
          "chiso.yaml:9: token: sha256 must be 64 lower-case hex digits (printf %s SECRET | "
          "sha256sum)",
          "chiso.yaml:3: plans pattern 'plans/*.yaml' matches no file (looked for " +
              (dir_ / "plans/*.yaml").string() + ")",
          "chiso.yaml:15: config: unknown field 'lisen'",
          "chiso.yaml: token 'other': unit 'gia_loc' is not in the catalog",
      }));
}

TEST_F(BrokenConfigTest, ReadsTheStoreSection) {
  Write("chiso.yaml",
        "catalog: [catalog/*.yaml]\nplans: []\nbackup_dir: /var/backups/chiso\n"
        "store:\n  sync: group_commit\n  group_commit_window: 2ms\n"
        "  retention:\n    - {metric_prefix: dvc_, keep: 400d}\n");
  ConfigLoad load = LoadServiceConfig(DiskFileSource(), (dir_ / "chiso.yaml").string());
  ASSERT_TRUE(load.problems.empty()) << Describe(load.problems);
  EXPECT_EQ(load.config.store.sync_mode, SyncMode::kGroupCommit);
  EXPECT_EQ(load.config.store.group_commit_window, std::chrono::milliseconds(2));
  ASSERT_EQ(load.config.store.retention.size(), 1u);
  EXPECT_EQ(load.config.store.retention[0].metric_prefix, "dvc_");
  EXPECT_EQ(load.config.store.retention[0].keep, std::chrono::hours(400 * 24));
  EXPECT_EQ(load.config.backup_dir, "/var/backups/chiso");
}

TEST_F(BrokenConfigTest, NamesStoreProblems) {
  EXPECT_EQ(
      Load("catalog: [catalog/*.yaml]\nplans: []\nstore:\n  sync: always\n"
           "  retention:\n    - {metric_prefix: dvc_, keep: 0d}\n"),
      (std::vector<std::string>{
          "chiso.yaml:4: store: sync 'always' is not one of: per_batch, group_commit",
          "chiso.yaml:6: store retention rule: keep must be a positive duration such as 400d"}));
}

TEST_F(BrokenConfigTest, ReadsTheAuthAndQueriesSections) {
  Write("chiso.yaml",
        "catalog: [catalog/*.yaml]\nplans: []\n"
        "auth:\n  max_failures: 3\n  failure_window: 5m\n  session_lifetime: 30m\n"
        "queries:\n  max_series: 500\n  max_samples: 20000\n  remote_read_max_queries: 8\n");
  ConfigLoad load = LoadServiceConfig(DiskFileSource(), (dir_ / "chiso.yaml").string());
  ASSERT_TRUE(load.problems.empty()) << Describe(load.problems);
  EXPECT_EQ(load.config.auth_throttle.max_failures, 3);
  EXPECT_EQ(load.config.auth_throttle.window_ms, 5 * 60'000);
  EXPECT_EQ(load.config.sessions.lifetime_ms, 30 * 60'000);
  EXPECT_EQ(load.config.history.max_series, 500u);
  EXPECT_EQ(load.config.remote_read.query.max_series, 500u);
  EXPECT_EQ(load.config.remote_read.query.max_samples, 20000u);
  EXPECT_EQ(load.config.remote_read.request.max_queries, 8u);
  EXPECT_EQ(load.config.remote_read.max_body_bytes, std::size_t{1} << 20) << "the default stays";
}

TEST_F(BrokenConfigTest, NamesAuthAndQueriesProblems) {
  EXPECT_EQ(Load("catalog: [catalog/*.yaml]\nplans: []\nauth:\n  session_lifetime: 0s\n"
                 "  max_failure: 3\nqueries:\n  max_series: -1\n"),
            (std::vector<std::string>{
                "chiso.yaml:4: auth: session_lifetime must be a positive duration such as 8h",
                "chiso.yaml:5: auth: unknown field 'max_failure'",
                "chiso.yaml:7: queries: max_series must be positive"}));
}

TEST_F(BrokenConfigTest, MissingConfigFileIsReported) {
  auto problems = LoadServiceConfig(DiskFileSource(), (dir_ / "nope.yaml").string()).problems;
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("cannot read file"), std::string::npos);
}

TEST(ListenAddressTest, ParsesHostAndPort) {
  api::ServerOptions server;
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:8080", &server).ok());
  EXPECT_EQ(server.address, "0.0.0.0");
  EXPECT_EQ(server.port, 8080);
  ASSERT_TRUE(ParseListenAddress("[::1]:0", &server).ok());
  EXPECT_EQ(server.address, "::1");
  EXPECT_FALSE(ParseListenAddress("9157", &server).ok());
  EXPECT_FALSE(ParseListenAddress("host:", &server).ok());
}

}  // namespace
}  // namespace chiso::app
