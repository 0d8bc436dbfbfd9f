#include "store/internal/info_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "store/testing/test_util.h"

namespace chiso::store_internal {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(InfoLogTest, WritesLinesAndKeepsThePreviousFile) {
  testing::TempDir dir;
  const auto path = dir.path() / "LOG";
  {
    InfoLog log(path);
    rocksdb::Log(rocksdb::InfoLogLevel::INFO_LEVEL, &log, "first %d", 1);
  }
  {
    InfoLog log(path);
    rocksdb::Log(rocksdb::InfoLogLevel::WARN_LEVEL, &log, "second");
  }
  EXPECT_NE(ReadFile(dir.path() / "LOG.old").find("first 1\n"), std::string::npos);
  const std::string current = ReadFile(path);
  EXPECT_NE(current.find("second\n"), std::string::npos);
  EXPECT_EQ(current.find("first"), std::string::npos);
}

TEST(InfoLogTest, UnwritableOrEmptyPathsAreIgnored) {
  InfoLog nowhere("/nonexistent-dir/LOG");
  InfoLog discard{std::filesystem::path()};
  rocksdb::Log(rocksdb::InfoLogLevel::ERROR_LEVEL, &nowhere, "lost");
  rocksdb::Log(rocksdb::InfoLogLevel::ERROR_LEVEL, &discard, "lost");
  nowhere.Flush();
}

}  // namespace
}  // namespace chiso::store_internal
