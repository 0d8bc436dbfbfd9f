#include "store/internal/wal_syncer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace chiso::store_internal {
namespace {

using std::chrono::milliseconds;

TEST(WalSyncerTest, LoneWriterSyncsOncePerWrite) {
  std::atomic<int> syncs = 0;
  WalSyncer syncer(
      [&] {
        ++syncs;
        return Status::Ok();
      },
      milliseconds(0));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(syncer.WaitDurable(syncer.Written()).ok());
  }
  EXPECT_EQ(syncs.load(), 5);
  EXPECT_EQ(syncer.syncs(), 5u);
}

TEST(WalSyncerTest, NothingPendingCostsNoSync) {
  std::atomic<int> syncs = 0;
  WalSyncer syncer(
      [&] {
        ++syncs;
        return Status::Ok();
      },
      milliseconds(0));
  EXPECT_TRUE(syncer.WaitDurable(syncer.Issued()).ok());
  EXPECT_TRUE(syncer.WaitDurable(syncer.Written()).ok());
  EXPECT_TRUE(syncer.WaitDurable(syncer.Issued()).ok());
  EXPECT_EQ(syncs.load(), 1);
}

TEST(WalSyncerTest, ConcurrentWritersShareSyncs) {
  std::atomic<int> syncs = 0;
  WalSyncer syncer(
      [&] {
        ++syncs;
        std::this_thread::sleep_for(milliseconds(20));
        return Status::Ok();
      },
      milliseconds(0));
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&] { EXPECT_TRUE(syncer.WaitDurable(syncer.Written()).ok()); });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_LT(syncs.load(), 8);
}

TEST(WalSyncerTest, GroupWindowGathersWrites) {
  std::atomic<int> syncs = 0;
  WalSyncer syncer(
      [&] {
        ++syncs;
        return Status::Ok();
      },
      milliseconds(100));
  const std::uint64_t first = syncer.Written();
  std::thread leader([&] { EXPECT_TRUE(syncer.WaitDurable(first).ok()); });
  std::this_thread::sleep_for(milliseconds(10));
  EXPECT_TRUE(syncer.WaitDurable(syncer.Written()).ok());  // joins the open window
  leader.join();
  EXPECT_EQ(syncs.load(), 1);
}

TEST(WalSyncerTest, FailedSyncReachesTheWritersItCovered) {
  bool fail = true;
  WalSyncer syncer([&] { return fail ? Status::ResourceExhausted("disk full") : Status::Ok(); },
                   milliseconds(0));
  const std::uint64_t ticket = syncer.Written();
  EXPECT_EQ(syncer.WaitDurable(ticket).code(), StatusCode::kResourceExhausted);
  fail = false;
  EXPECT_TRUE(syncer.WaitDurable(syncer.Written()).ok());
  EXPECT_TRUE(syncer.WaitDurable(ticket).ok());  // a later successful sync covers it too
}

}  // namespace
}  // namespace chiso::store_internal
