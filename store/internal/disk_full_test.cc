// The store under a full disk: writes fail with ResourceExhausted, nothing crashes, acknowledged
// data stays, and writing resumes once space is back. The disk is simulated by a RocksDB file
// system whose writes fail with ENOSPC on demand.
#include <gtest/gtest.h>
#include <rocksdb/file_system.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "store/internal/store_impl.h"
#include "store/testing/test_util.h"

namespace chiso::store_internal {
namespace {

using testing::MakeSample;
using testing::SeriesLabels;
using testing::TempDir;

class FullDiskFileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FullDiskFileSystem(std::shared_ptr<rocksdb::FileSystem> base)
      : FileSystemWrapper(std::move(base)) {}
  const char* Name() const override { return "FullDiskFileSystem"; }

  std::atomic<bool> full{false};

  // Like a real full disk, creating a file works; writing to it does not.
  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* debug) override {
    rocksdb::IOStatus status = target()->NewWritableFile(name, options, file, debug);
    if (status.ok()) *file = std::make_unique<File>(std::move(*file), full);
    return status;
  }

 private:
  class File : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file, const std::atomic<bool>& full)
        : FSWritableFileOwnerWrapper(std::move(file)), full_(full) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
      if (full_) return rocksdb::IOStatus::NoSpace("simulated full disk");
      return target()->Append(data, options, debug);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* debug) override {
      if (full_) return rocksdb::IOStatus::NoSpace("simulated full disk");
      return target()->Append(data, options, info, debug);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* debug) override {
      if (full_) return rocksdb::IOStatus::NoSpace("simulated full disk");
      return target()->Sync(options, debug);
    }

   private:
    const std::atomic<bool>& full_;
  };
};

TEST(DiskFullTest, WritesFailCleanlyAndResumeWhenSpaceReturns) {
  TempDir dir;
  auto file_system = std::make_shared<FullDiskFileSystem>(rocksdb::FileSystem::Default());
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(file_system);
  const StoreOptions options = testing::OptionsFor(dir.path());
  const Labels labels = SeriesLabels("chiso_reading", {{"unit", "gia_loc"}});
  {
    auto store = StoreImpl::TEST_OpenWithEnv(options, env.get());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Write({MakeSample(labels, 1, 1)}).ok());

    file_system->full = true;
    auto failed = (*store)->Write({MakeSample(labels, 2, 2)});
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.status().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(failed.status().message().find("disk full"), std::string::npos)
        << failed.status().message();
    EXPECT_FALSE((*store)->Write({MakeSample(labels, 3, 3)}).ok());
    EXPECT_FALSE((*store)->PutState("alerts", "a", "b").ok());
    EXPECT_TRUE((*store)->Select({}, 0, 10).ok());  // reads keep working

    EXPECT_FALSE((*store)->Stats().background_error.empty());

    // RocksDB retries its recovery every 5 s; writes succeed again after one.
    file_system->full = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    Result<WriteSummary> resumed = Status::Unavailable("not tried");
    while (!resumed.ok() && std::chrono::steady_clock::now() < deadline) {
      resumed = (*store)->Write({MakeSample(labels, 4, 4)});
      if (!resumed.ok()) {
        EXPECT_NE(resumed.status().code(), StatusCode::kInternal) << resumed.status().ToString();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
    EXPECT_TRUE((*store)->Stats().background_error.empty());
  }
  auto reopened = Store::Open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto samples = (*reopened)->Select({}, 0, 10);
  ASSERT_TRUE(samples.ok());
  ASSERT_EQ(samples->size(), 1u);
  std::vector<TimestampMs> acknowledged;
  for (const auto& sample : samples->at(0).samples) acknowledged.push_back(sample.timestamp);
  EXPECT_NE(std::find(acknowledged.begin(), acknowledged.end(), 1), acknowledged.end());
  EXPECT_NE(std::find(acknowledged.begin(), acknowledged.end(), 4), acknowledged.end());
}

TEST(DiskFullTest, OpenOnAFullDiskFailsClearly) {
  TempDir dir;
  auto file_system = std::make_shared<FullDiskFileSystem>(rocksdb::FileSystem::Default());
  file_system->full = true;
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(file_system);
  auto store = StoreImpl::TEST_OpenWithEnv(testing::OptionsFor(dir.path()), env.get());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kResourceExhausted) << store.status().ToString();
}

}  // namespace
}  // namespace chiso::store_internal
