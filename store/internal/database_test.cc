// Opening directories that are not stores of this chiso's format.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "store/internal/keys.h"
#include "store/store.h"
#include "store/testing/test_util.h"

namespace chiso::store_internal {
namespace {

using testing::TempDir;

// A store of format chiso-store-2 kept a "latest" key space; it is refused with both formats
// named, not mistaken for something that is not a chiso store.
TEST(DatabaseTest, StoreOfTheEarlierFormatIsRefusedNamingBothFormats) {
  TempDir dir;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, {}}, {"samples", {}}, {"latest", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.path().string(), families, &handles, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "format", "chiso-store-2").ok());
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    delete db;
  }
  auto opened = Store::Open(testing::OptionsFor(dir.path()));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(opened.status().message().find("\"chiso-store-2\""), std::string::npos)
      << opened.status().message();
  EXPECT_NE(opened.status().message().find("\"" + std::string(kFormatVersion) + "\""),
            std::string::npos)
      << opened.status().message();
}

}  // namespace
}  // namespace chiso::store_internal
