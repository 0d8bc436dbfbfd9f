#include "forward/sender.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "forward/testing/journaled_write.h"
#include "forward/testing/receiver.h"
#include "store/testing/test_util.h"

namespace chiso::forward {
namespace {

using chiso::testing::MakeSample;
using chiso::testing::OpenOrDie;
using chiso::testing::OptionsFor;
using chiso::testing::SeriesLabels;
using chiso::testing::TempDir;
using std::chrono::milliseconds;
using testing::ReceivedRequest;
using testing::RemoteWriteReceiver;
using testing::ScriptedAnswer;

TEST(ClassifyAnswerTest, FollowsTheRemoteWriteSpec) {
  EXPECT_EQ(ClassifyAnswer(200), AnswerClass::kSent);
  EXPECT_EQ(ClassifyAnswer(204), AnswerClass::kSent);
  EXPECT_EQ(ClassifyAnswer(429), AnswerClass::kRetry);
  EXPECT_EQ(ClassifyAnswer(500), AnswerClass::kRetry);
  EXPECT_EQ(ClassifyAnswer(503), AnswerClass::kRetry);
  EXPECT_EQ(ClassifyAnswer(400), AnswerClass::kRefused);
  EXPECT_EQ(ClassifyAnswer(401), AnswerClass::kRefused);
  EXPECT_EQ(ClassifyAnswer(404), AnswerClass::kRefused);
  EXPECT_EQ(ClassifyAnswer(302), AnswerClass::kRefused);
}

TEST(ParseRetryAfterTest, ReadsSecondsAndDates) {
  const TimestampMs now = 1'445'412'480'000;  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(ParseRetryAfter("120", now), milliseconds(120'000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds(30'000));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", now), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-3", now), std::nullopt);
}

TEST(RetryDelayTest, DoublesWithJitterUpToTheCapAndHonoursRetryAfter) {
  QueueOptions options;
  options.min_backoff = milliseconds(100);
  options.max_backoff = milliseconds(1000);
  EXPECT_EQ(RetryDelay(1, std::nullopt, options, 0.999), milliseconds(100));
  EXPECT_EQ(RetryDelay(1, std::nullopt, options, 0), milliseconds(50));
  EXPECT_EQ(RetryDelay(2, std::nullopt, options, 0), milliseconds(100));
  EXPECT_EQ(RetryDelay(3, std::nullopt, options, 0), milliseconds(200));
  EXPECT_EQ(RetryDelay(30, std::nullopt, options, 0.999), milliseconds(1000));
  EXPECT_EQ(RetryDelay(30, std::nullopt, options, 0), milliseconds(500));
  EXPECT_EQ(RetryDelay(1, milliseconds(7000), options, 0.5), milliseconds(7000));
}

// The series of the requests of `shard`, decoded.
std::vector<WriteRequestSeries> Decoded(const std::vector<Payload>& shard) {
  std::vector<WriteRequestSeries> series;
  for (const Payload& request : shard) {
    auto decoded = DecodeWriteRequest(request.message);
    EXPECT_TRUE(decoded.ok());
    if (decoded.ok()) series.insert(series.end(), decoded->begin(), decoded->end());
  }
  return series;
}

TEST(MakeRequestsTest, SelectsByMatchAddsExternalLabelsAndKeepsASeriesInOneShard) {
  Endpoint endpoint;
  endpoint.external_labels = {{"province", "nghe_an"}, {"unit", "tinh"}};
  endpoint.match.push_back(
      *LabelMatcher::Make(LabelMatcher::Op::kRegexMatch, "__name__", "dvc_.*"));
  const std::string message =
      EncodeWriteRequest({{SeriesLabels("dvc_received", {{"unit", "gia_loc"}}), {{1, 1}, {2, 2}}},
                          {SeriesLabels("other"), {{1, 1}}},
                          {SeriesLabels("dvc_received", {{"unit", "gia_loc"}}), {{3, 3}}}});
  auto requests = MakeRequests(endpoint, message, 3, 100);
  ASSERT_TRUE(requests.ok());
  ASSERT_EQ(requests->size(), 3u);
  std::size_t filled = 0;
  for (const std::vector<Payload>& shard : *requests) {
    if (shard.empty()) continue;
    ++filled;
    ASSERT_EQ(shard.size(), 1u);
    EXPECT_EQ(shard[0].samples, 3u);
    const auto series = Decoded(shard);
    ASSERT_EQ(series.size(), 2u);
    EXPECT_EQ(series[0].labels,
              SeriesLabels("dvc_received", {{"unit", "tinh"}, {"province", "nghe_an"}}));
    EXPECT_EQ(series[1].samples, (std::vector<std::pair<TimestampMs, double>>{{3, 3}}));
  }
  EXPECT_EQ(filled, 1u);
}

TEST(MakeRequestsTest, CutsRequestsInOrderBetweenAndWithinSeries) {
  const std::string message = EncodeWriteRequest(
      {{SeriesLabels("a"), {{1, 1}, {2, 2}, {3, 3}}}, {SeriesLabels("b"), {{4, 4}}}});
  auto requests = MakeRequests(Endpoint{}, message, 1, 2);
  ASSERT_TRUE(requests.ok());
  const std::vector<Payload>& shard = requests->front();
  ASSERT_EQ(shard.size(), 2u);
  EXPECT_EQ(shard[0].samples, 2u);
  EXPECT_EQ(shard[1].samples, 2u);
  const auto second = Decoded({shard[1]});
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].samples, (std::vector<std::pair<TimestampMs, double>>{{3, 3}}));
  EXPECT_EQ(second[1].labels, SeriesLabels("b"));
  EXPECT_EQ(MakeRequests(Endpoint{}, message, 1, 4)->front().size(), 1u);
  EXPECT_TRUE(MakeRequests(Endpoint{}, "", 1, 4)->front().empty());
  EXPECT_FALSE(MakeRequests(Endpoint{}, std::string("\x0a\x05") + "ab", 1, 4).ok());  // truncated
}

class SenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(OptionsFor(dir_.path()));
    queue_ = ForwardQueue::Open(*store_, clock_, {"national"}, 1000, &probe_).value();
    endpoint_.name = "national";
    endpoint_.url = receiver_.url();
    endpoint_.headers = {{"X-Scope-OrgID", "nghe_an"}};
    options_.min_backoff = milliseconds(10);
    options_.max_backoff = milliseconds(50);
  }

  void Accept(TimestampMs timestamp, double value) {
    ASSERT_TRUE(testing::WriteJournaled(
        *store_, *queue_,
        {MakeSample(SeriesLabels("dvc_received", {{"unit", "gia_loc"}}), timestamp, value)}));
  }

  double Counter(const std::string& name, const std::string& reason = "") {
    if (reason.empty()) return testing::CounterValue(registry_, name);
    return testing::CounterValue(registry_, name, {{"reason", reason}});
  }

  // Waits (at most 20 s) until the position passes every queued entry.
  bool AllPassed() {
    for (int i = 0; i < 2000 && queue_->PendingFor("national").samples > 0; ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    return queue_->PendingFor("national").samples == 0;
  }

  TempDir dir_;
  FakeClock clock_{1'764'460'800'000};
  prometheus::Registry registry_;
  ForwardProbe probe_{registry_, 1000};
  std::unique_ptr<Store> store_;
  std::unique_ptr<ForwardQueue> queue_;
  RemoteWriteReceiver receiver_;
  Endpoint endpoint_;
  QueueOptions options_;
};

TEST_F(SenderTest, SendsWithRemoteWriteHeadersAndMovesThePosition) {
  Accept(1'735'689'600'000, 12);
  Sender sender(endpoint_, options_, *queue_, clock_, probe_);
  sender.Start();
  ASSERT_TRUE(AllPassed());
  sender.Stop();
  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.at("content-encoding"), "snappy");
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/x-protobuf");
  EXPECT_EQ(requests[0].headers.at("x-prometheus-remote-write-version"), "0.1.0");
  EXPECT_EQ(requests[0].headers.at("x-scope-orgid"), "nghe_an");
  const auto accepted = receiver_.Accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted.begin()->second,
            (std::vector<std::pair<TimestampMs, double>>{{1'735'689'600'000, 12}}));
  EXPECT_EQ(Counter("chiso_forward_samples_sent_total"), 1);
}

TEST_F(SenderTest, RetriesOn5xxAnd429ThenDelivers) {
  receiver_.Script({{503, ""}, {429, "0"}, {500, ""}});
  Accept(1, 1);
  Sender sender(endpoint_, options_, *queue_, clock_, probe_);
  sender.Start();
  ASSERT_TRUE(AllPassed());
  sender.Stop();
  EXPECT_EQ(receiver_.requests().size(), 4u);
  EXPECT_EQ(receiver_.Accepted().size(), 1u);
  EXPECT_EQ(Counter("chiso_forward_samples_failed_total"), 3);
  EXPECT_EQ(Counter("chiso_forward_samples_sent_total"), 1);
}

TEST_F(SenderTest, WaitsAsLongAsRetryAfterSaysEvenBeyondMaxBackoff) {
  receiver_.Script({{429, "1"}});  // max_backoff is 50 ms
  Accept(1, 1);
  Sender sender(endpoint_, options_, *queue_, clock_, probe_);
  const auto began = std::chrono::steady_clock::now();
  sender.Start();
  ASSERT_TRUE(AllPassed());
  const auto waited = std::chrono::steady_clock::now() - began;
  sender.Stop();
  EXPECT_EQ(receiver_.requests().size(), 2u);
  EXPECT_GE(waited, std::chrono::seconds(1));
}

TEST_F(SenderTest, DropsWhatA4xxRefusesAndGoesOn) {
  receiver_.Script({{400, ""}});
  Accept(1, 1);
  Sender sender(endpoint_, options_, *queue_, clock_, probe_);
  sender.Start();
  ASSERT_TRUE(AllPassed());
  Accept(2, 2);
  ASSERT_TRUE(AllPassed());
  sender.Stop();
  EXPECT_EQ(Counter("chiso_forward_samples_dropped_total", "http_4xx"), 1);
  const auto accepted = receiver_.Accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted.begin()->second, (std::vector<std::pair<TimestampMs, double>>{{2, 2}}));
}

TEST_F(SenderTest, SplitsWhatA400RefusesAndDropsOnlyTheSamplesRefusedAlone) {
  // As a Prometheus receiver: the whole request refused while it holds the bad sample (4).
  receiver_.Script({{400, ""}, {204, ""}, {400, ""}, {204, ""}, {400, ""}});
  ASSERT_TRUE(testing::WriteJournaled(*store_, *queue_,
                                      {MakeSample(SeriesLabels("dvc_received"), 1, 1),
                                       MakeSample(SeriesLabels("dvc_received"), 2, 2),
                                       MakeSample(SeriesLabels("dvc_received"), 3, 3),
                                       MakeSample(SeriesLabels("dvc_received"), 4, 4)}));
  Sender sender(endpoint_, options_, *queue_, clock_, probe_);
  sender.Start();
  ASSERT_TRUE(AllPassed());
  sender.Stop();
  EXPECT_EQ(receiver_.requests().size(), 5u);
  EXPECT_EQ(Counter("chiso_forward_samples_dropped_total", "http_4xx"), 1);
  EXPECT_EQ(Counter("chiso_forward_samples_sent_total"), 3);
  const auto accepted = receiver_.Accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted.begin()->second,
            (std::vector<std::pair<TimestampMs, double>>{{1, 1}, {2, 2}, {3, 3}}));
}

TEST_F(SenderTest, ShardsSendInParallelButThePositionWaitsForTheOldestUnanswered) {
  // Two series that land in different shards; the receiver refuses with 503 every request that
  // holds `stuck`, so its shard retries while the other one goes on.
  options_.shards = 4;
  const Labels stuck = SeriesLabels("dvc_received", {{"unit", "stuck"}});
  Labels flowing;
  for (int i = 0;; ++i) {
    flowing = SeriesLabels("dvc_received", {{"unit", "u" + std::to_string(i)}});
    auto requests =
        MakeRequests(endpoint_, EncodeWriteRequest({{stuck, {{1, 1}}}, {flowing, {{1, 1}}}}), 4, 9);
    ASSERT_TRUE(requests.ok());
    if (std::count_if(requests->begin(), requests->end(),
                      [](const auto& shard) { return !shard.empty(); }) == 2) {
      break;
    }
  }
  std::atomic<bool> healed{false};
  receiver_.AnswerBy([&](const ReceivedRequest& request) -> unsigned {
    for (const WriteRequestSeries& series : request.series) {
      if (series.labels == stuck && !healed) return 503;
    }
    return 204;
  });
  const std::uint64_t start = queue_->PositionOf("national");
  ASSERT_TRUE(testing::WriteJournaled(*store_, *queue_, {MakeSample(stuck, 1, 1)}));
  ASSERT_TRUE(testing::WriteJournaled(*store_, *queue_, {MakeSample(flowing, 2, 2)}));
  ASSERT_TRUE(testing::WriteJournaled(*store_, *queue_, {MakeSample(flowing, 3, 3)}));
  {
    Sender sender(endpoint_, options_, *queue_, clock_, probe_);
    sender.Start();
    for (int i = 0; i < 2000 && receiver_.Accepted()[LabelsToString(flowing)].size() < 2; ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    EXPECT_EQ(receiver_.Accepted()[LabelsToString(flowing)],
              (std::vector<std::pair<TimestampMs, double>>{{2, 2}, {3, 3}}));
    // Later entries were answered, the first was not: the durable position stays before it.
    EXPECT_EQ(queue_->PositionOf("national"), start);
    sender.Stop();
  }
  // As after a kill -9 at that moment: reopened, the sender resumes at the unanswered entry.
  queue_.reset();
  store_.reset();
  store_ = OpenOrDie(OptionsFor(dir_.path()));
  queue_ = ForwardQueue::Open(*store_, clock_, {"national"}, 1000, &probe_).value();
  healed = true;
  Sender sender(endpoint_, options_, *queue_, clock_, probe_);
  sender.Start();
  ASSERT_TRUE(AllPassed());
  sender.Stop();
  EXPECT_EQ(receiver_.Accepted()[LabelsToString(stuck)],
            (std::vector<std::pair<TimestampMs, double>>{{1, 1}}));
  EXPECT_EQ(receiver_.Accepted()[LabelsToString(flowing)].size(), 4u);  // sent again: at least once
}

TEST_F(SenderTest, KeepsTheBacklogWhileTheReceiverIsDownAndResumesAfterRestart) {
  Endpoint down = endpoint_;
  down.url = "http://127.0.0.1:1/api/v1/write";  // nothing listens on port 1
  {
    Sender sender(down, options_, *queue_, clock_, probe_);
    sender.Start();
    Accept(1, 1);
    Accept(2, 2);
    for (int i = 0; i < 1000 && Counter("chiso_forward_samples_failed_total") < 2; ++i) {
      std::this_thread::sleep_for(milliseconds(10));
    }
    EXPECT_GE(Counter("chiso_forward_samples_failed_total"), 2);
    sender.Stop();
  }
  EXPECT_EQ(queue_->PendingFor("national").samples, 2u);
  queue_.reset();
  store_.reset();
  store_ = OpenOrDie(OptionsFor(dir_.path()));
  queue_ = ForwardQueue::Open(*store_, clock_, {"national"}, 1000, &probe_).value();
  Sender sender(endpoint_, options_, *queue_, clock_, probe_);
  sender.Start();
  ASSERT_TRUE(AllPassed());
  sender.Stop();
  const auto accepted = receiver_.Accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted.begin()->second,
            (std::vector<std::pair<TimestampMs, double>>{{1, 1}, {2, 2}}));
}

}  // namespace
}  // namespace chiso::forward
