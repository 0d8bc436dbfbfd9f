#include "remote_read/read_response.h"

#include <gtest/gtest.h>

#include <random>

#include "remote_read/testing/prompb_codec.h"
#include "remote_read/testing/xor_decoder.h"
#include "remote_read/xor_chunk.h"

namespace chiso::remote_read {
namespace {

ReadSeries Series(std::string unit, std::vector<Point> points) {
  return {{{"__name__", "chiso_indicator_reading"},
           {"indicator", "vneid_account_pct"},
           {"store", "chiso"},
           {"unit", std::move(unit)}},
          std::move(points)};
}

std::vector<Point> Monthly(std::size_t count, TimestampMs from = 1'738'342'799'999) {
  std::vector<Point> points;
  for (std::size_t i = 0; i < count; ++i) {
    points.push_back({from + static_cast<TimestampMs>(i) * 2'592'000'000, 50.0 + i * 0.25});
  }
  return points;
}

Labels LabelsOf(const google::protobuf::RepeatedPtrField<prometheus::Label>& labels) {
  Labels out;
  for (const prometheus::Label& label : labels) out.push_back({label.name(), label.value()});
  return out;
}

TEST(ReadResponseTest, SamplesResponseIsAReadResponseWithOneResultPerQuery) {
  const std::vector<QueryResult> results = {
      {Series("gia_loc", Monthly(3)), Series("kim_thanh", Monthly(1))}, {}};
  auto response = testing::DecodeSamplesResponse(EncodeSamplesResponse(results));
  ASSERT_TRUE(response.has_value()) << "snappy ReadResponse, as Prometheus' client reads it";
  ASSERT_EQ(response->results_size(), 2);
  EXPECT_EQ(response->results(1).timeseries_size(), 0);
  const prometheus::QueryResult& first = response->results(0);
  ASSERT_EQ(first.timeseries_size(), 2);
  EXPECT_EQ(LabelsOf(first.timeseries(0).labels()), results[0][0].labels);
  ASSERT_EQ(first.timeseries(0).samples_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(first.timeseries(0).samples(i).timestamp(), results[0][0].points[i].timestamp);
    EXPECT_EQ(first.timeseries(0).samples(i).value(), results[0][0].points[i].value);
  }
  EXPECT_EQ(LabelValue(LabelsOf(first.timeseries(1).labels()), "unit"), "kim_thanh");
}

// Every series of `frames` with the samples of its chunks, decoded and checked.
std::vector<ReadSeries> Reassemble(const std::vector<prometheus::ChunkedReadResponse>& frames,
                                   std::vector<std::int64_t>* query_indexes) {
  std::vector<ReadSeries> out;
  for (const prometheus::ChunkedReadResponse& frame : frames) {
    EXPECT_EQ(frame.chunked_series_size(), 1);
    for (const prometheus::ChunkedSeries& series : frame.chunked_series()) {
      const Labels labels = LabelsOf(series.labels());
      if (out.empty() || out.back().labels != labels) {
        out.push_back({labels, {}});
        query_indexes->push_back(frame.query_index());
      }
      for (const prometheus::Chunk& chunk : series.chunks()) {
        EXPECT_EQ(chunk.type(), prometheus::Chunk::XOR);
        auto points = testing::DecodeXorChunk(chunk.data());
        EXPECT_TRUE(points.has_value());
        if (!points) continue;
        EXPECT_LE(points->size(), kMaxSamplesPerChunk);
        EXPECT_EQ(chunk.min_time_ms(), points->front().timestamp);
        EXPECT_EQ(chunk.max_time_ms(), points->back().timestamp);
        out.back().points.insert(out.back().points.end(), points->begin(), points->end());
      }
    }
  }
  return out;
}

TEST(ReadResponseTest, StreamedResponseIsCrcCheckedFramesOfXorChunks) {
  const std::vector<QueryResult> results = {
      {Series("gia_loc", Monthly(250))},
      {Series("hai_phong", Monthly(2)), Series("kim_thanh", Monthly(120))}};
  const std::string body = EncodeStreamedResponse(results);
  std::string error;
  const auto frames = testing::DecodeFrames(body, &error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(frames.size(), 3u) << "one frame per series";
  EXPECT_EQ(frames[0].chunked_series(0).chunks_size(), 3) << "250 samples: chunks of 120, 120, 10";
  std::vector<std::int64_t> query_indexes;
  const std::vector<ReadSeries> series = Reassemble(frames, &query_indexes);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(query_indexes, (std::vector<std::int64_t>{0, 1, 1}));
  EXPECT_EQ(series[0].labels, results[0][0].labels);
  EXPECT_EQ(series[0].points, results[0][0].points);
  EXPECT_EQ(series[2].points, results[1][1].points);

  std::string corrupt = body;
  corrupt[corrupt.size() / 2] ^= 0x01;
  testing::DecodeFrames(corrupt, &error);
  EXPECT_NE(error, "") << "a flipped bit fails the CRC or the framing";
}

TEST(ReadResponseTest, ASeriesPastOneMebibyteContinuesInTheNextFrame) {
  std::mt19937_64 random(57);
  std::vector<Point> points;
  for (TimestampMs t = 0; t < 200'000; ++t)
    points.push_back({t * 1000, std::bit_cast<double>(random() >> 2)});
  const std::vector<QueryResult> results = {{Series("gia_loc", points)}};
  std::string error;
  const auto frames = testing::DecodeFrames(EncodeStreamedResponse(results), &error);
  ASSERT_EQ(error, "");
  ASSERT_GE(frames.size(), 2u);
  for (const auto& frame : frames) EXPECT_LE(frame.ByteSizeLong(), kMaxFrameBytes + 4096);
  std::vector<std::int64_t> query_indexes;
  const std::vector<ReadSeries> series = Reassemble(frames, &query_indexes);
  ASSERT_EQ(series.size(), 1u) << "the frames continue one series";
  EXPECT_EQ(series[0].points.size(), points.size());
  EXPECT_EQ(series[0].points.back(), points.back());
}

}  // namespace
}  // namespace chiso::remote_read
