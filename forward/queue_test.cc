#include "forward/queue.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "forward/testing/journaled_write.h"
#include "store/testing/test_util.h"

namespace chiso::forward {
namespace {

using chiso::testing::MakeSample;
using chiso::testing::OpenOrDie;
using chiso::testing::OptionsFor;
using chiso::testing::SeriesLabels;
using chiso::testing::TempDir;
using std::chrono::milliseconds;

class ForwardQueueTest : public ::testing::Test {
 protected:
  void Reopen(std::vector<std::string> endpoints = {"national"}, std::size_t max_samples = 1000) {
    queue_.reset();
    store_.reset();
    store_ = OpenOrDie(OptionsFor(dir_.path()));
    auto queue = ForwardQueue::Open(*store_, clock_, endpoints, max_samples, &probe_);
    ASSERT_TRUE(queue.ok()) << queue.status().ToString();
    queue_ = std::move(*queue);
  }

  // One accepted batch written as the write pipeline writes it: samples and entry together.
  void Accept(const SampleBatch& batch) {
    ASSERT_TRUE(testing::WriteJournaled(*store_, *queue_, batch));
  }

  SampleBatch Readings(TimestampMs from, int count) {
    SampleBatch batch;
    for (int i = 0; i < count; ++i) {
      batch.push_back(MakeSample(SeriesLabels("dvc_received", {{"unit", "gia_loc"}}), from + i,
                                 static_cast<double>(from + i)));
    }
    return batch;
  }

  double Dropped(const std::string& endpoint, const std::string& reason) {
    return testing::CounterValue(registry_, "chiso_forward_samples_dropped_total",
                                 {{"endpoint", endpoint}, {"reason", reason}});
  }

  TempDir dir_;
  FakeClock clock_{1'764'460'800'000};
  prometheus::Registry registry_;
  ForwardProbe probe_{registry_, 1000};
  std::unique_ptr<Store> store_;
  std::unique_ptr<ForwardQueue> queue_;
};

TEST_F(ForwardQueueTest, HandsOutAcceptedSamplesInOrder) {
  Reopen();
  Accept(Readings(1'735'689'600'000, 3));  // 2025 readings, written today
  Accept(Readings(1'735'689'700'000, 2));
  auto chunk = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->samples, 5u);
  const auto series = DecodeWriteRequest(chunk->message).value();
  ASSERT_EQ(series.size(), 2u);  // one series per entry
  EXPECT_EQ(series[0].samples.front(),
            (std::pair<TimestampMs, double>{1'735'689'600'000, 1'735'689'600'000.0}));
  EXPECT_EQ(series[0].labels, SeriesLabels("dvc_received", {{"unit", "gia_loc"}}));
  EXPECT_EQ(queue_->PendingFor("national").samples, 5u);
  EXPECT_EQ(queue_->PendingFor("national").oldest_queued_at, clock_.Now());
}

TEST_F(ForwardQueueTest, ChunkHoldsWholeEntriesUpToTheLimit) {
  Reopen();
  Accept(Readings(0, 3));
  Accept(Readings(10, 3));
  auto first = queue_->Next("national", 0, 4, milliseconds(0));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->samples, 3u);
  ASSERT_TRUE(queue_->Advance("national", first->end).ok());
  auto second = queue_->Next("national", 0, 1, milliseconds(0));  // at least one entry
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->samples, 3u);
}

TEST_F(ForwardQueueTest, EntriesAndPositionSurviveReopen) {
  Reopen();
  Accept(Readings(0, 2));
  Accept(Readings(10, 4));
  auto first = queue_->Next("national", 0, 2, milliseconds(0));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(queue_->Advance("national", first->end).ok());
  Reopen();
  auto rest = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->samples, 4u);
  EXPECT_EQ(DecodeWriteRequest(rest->message).value()[0].samples.front().first, 10);
  // The sent entry was deleted from the store; the unsent one is still there.
  auto stored = store_->ScanState(kQueueSpace);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->size(), 1u);
}

TEST_F(ForwardQueueTest, EntryNumbersAreNotReusedAfterEverythingWasSent) {
  Reopen();
  Accept(Readings(0, 2));
  auto chunk = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(chunk.ok());
  ASSERT_TRUE(queue_->Advance("national", chunk->end).ok());
  Reopen();
  Accept(Readings(20, 1));
  auto next = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->samples, 1u);
}

TEST_F(ForwardQueueTest, FailedWriteQueuesNothingAndBlocksNothing) {
  Reopen();
  SampleBatch bad = Readings(0, 1);
  bad[0].labels = {};  // refused by the store
  StateBatch entry;
  const std::uint64_t ticket = queue_->Stage(bad, entry);
  EXPECT_FALSE(store_->Write(bad, entry).ok());
  queue_->Settle(ticket, false);
  Accept(Readings(5, 1));
  auto chunk = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->samples, 1u);
  EXPECT_EQ(store_->ScanState(kQueueSpace)->size(), 1u);
}

TEST_F(ForwardQueueTest, EntryStagedEarlierHoldsBackLaterOnesUntilSettled) {
  Reopen();
  const SampleBatch slow = Readings(0, 1);
  StateBatch slow_entry;
  const std::uint64_t slow_ticket = queue_->Stage(slow, slow_entry);
  Accept(Readings(10, 1));
  auto held = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(held->samples, 0u);
  ASSERT_TRUE(store_->Write(slow, slow_entry).ok());
  queue_->Settle(slow_ticket, true);
  auto both = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->samples, 2u);
  EXPECT_EQ(DecodeWriteRequest(both->message).value()[0].samples.front().first, 0);
}

TEST_F(ForwardQueueTest, BoundDropsOldestEntriesAndCountsThem) {
  Reopen({"national", "region"}, 5);
  Accept(Readings(0, 3));
  auto chunk = queue_->Next("region", 0, 100, milliseconds(0));
  ASSERT_TRUE(chunk.ok());
  ASSERT_TRUE(queue_->Advance("region", chunk->end).ok());  // region sent the first entry
  Accept(Readings(10, 3));                                  // 6 > 5: the first is dropped
  EXPECT_EQ(Dropped("national", "queue_full"), 3);
  EXPECT_EQ(Dropped("region", "queue_full"), 0);
  auto left = queue_->Next("national", 0, 100, milliseconds(0));
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->samples, 3u);
  EXPECT_EQ(DecodeWriteRequest(left->message).value()[0].samples.front().first, 10);
  Reopen({"national", "region"}, 5);  // the drop is durable
  EXPECT_EQ(queue_->PendingFor("national").samples, 3u);
}

TEST_F(ForwardQueueTest, NewEndpointStartsWithTheNextEntryAndRemovedOneIsForgotten) {
  Reopen({"national"});
  Accept(Readings(0, 2));
  Reopen({"region"});
  EXPECT_EQ(queue_->PendingFor("region").samples, 0u);
  Accept(Readings(10, 1));
  EXPECT_EQ(queue_->PendingFor("region").samples, 1u);
  EXPECT_EQ(store_->ScanState(kPositionSpace)->size(), 1u);
  // Nothing holds the entry only "national" wanted.
  auto chunk = queue_->Next("region", 0, 100, milliseconds(0));
  ASSERT_TRUE(queue_->Advance("region", chunk->end).ok());
  EXPECT_TRUE(store_->ScanState(kQueueSpace)->empty());
}

TEST_F(ForwardQueueTest, NextWaitsForAnEntryAndInterruptEndsTheWait) {
  Reopen();
  std::thread writer([&] {
    std::this_thread::sleep_for(milliseconds(50));
    Accept(Readings(0, 1));
  });
  auto chunk = queue_->Next("national", 0, 100, milliseconds(10'000));
  writer.join();
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(chunk->samples, 1u);
  ASSERT_TRUE(queue_->Advance("national", chunk->end).ok());
  std::atomic<bool> returned{false};
  std::thread interrupter([&] {
    while (!returned) {  // an Interrupt before Next waits wakes nobody: repeat it
      queue_->Interrupt();
      std::this_thread::sleep_for(milliseconds(20));
    }
  });
  auto none = queue_->Next("national", 0, 100, milliseconds(60'000));
  returned = true;
  interrupter.join();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->samples, 0u);
}

TEST_F(ForwardQueueTest, UnknownEndpointIsNamed) {
  Reopen();
  auto chunk = queue_->Next("elsewhere", 0, 100, milliseconds(0));
  EXPECT_EQ(chunk.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(chunk.status().message().find("elsewhere"), std::string::npos);
}

}  // namespace
}  // namespace chiso::forward
