#include "common/write_request.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/protobuf_wire.h"
#include "common/snappy_body.h"

namespace chiso {
namespace {

TEST(WriteRequestTest, DecodesWhatItEncodes) {
  const std::vector<WriteRequestSeries> series = {
      {{{"__name__", "dvc_received"}, {"unit", "gia_loc"}}, {{1'735'689'600'000, 12.5}, {2, -1}}},
      {{{"__name__", "dvc_sent"}}, {{-5, std::nan("")}}}};
  auto decoded = DecodeWriteRequest(EncodeWriteRequest(series));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[0].labels, series[0].labels);
  EXPECT_EQ((*decoded)[0].samples, series[0].samples);
  EXPECT_EQ((*decoded)[1].samples[0].first, -5);
  EXPECT_TRUE(std::isnan((*decoded)[1].samples[0].second));
}

TEST(WriteRequestTest, EncodesTheNestedMessagesOfTheProtocol) {
  const std::vector<WriteRequestSeries> series = {
      {{{"__name__", "up"}, {"unit", std::string(200, 'x')}}, {{-1, 0.5}, {1'735'689'600'000, 2}}},
      {{{"__name__", "down"}}, {}}};
  ProtoWriter expected;
  for (const WriteRequestSeries& one : series) {
    ProtoWriter encoded;
    for (const Label& label : one.labels) {
      ProtoWriter item;
      item.BytesField(1, label.name);
      item.BytesField(2, label.value);
      encoded.BytesField(1, item.bytes());
    }
    for (const auto& [timestamp, value] : one.samples) {
      ProtoWriter item;
      item.DoubleField(1, value);
      item.Int64Field(2, timestamp);
      encoded.BytesField(2, item.bytes());
    }
    expected.BytesField(1, encoded.bytes());
  }
  EXPECT_EQ(EncodeWriteRequest(series), expected.bytes());
}

TEST(WriteRequestTest, SeriesViewsCopiedBackGiveTheSameRequest) {
  const std::string message = EncodeWriteRequest(
      {{{{"__name__", "up"}, {"unit", "gia_loc"}}, {{1, 0.5}, {2, 2}}}, {{{"__name__", "a"}}, {}}});
  std::string copied;
  ASSERT_TRUE(ForEachSeriesView(message, [&](const WriteRequestSeriesView& series) {
                AppendSeries(copied, series.labels, series.samples);
              }).ok());
  EXPECT_EQ(copied, message);
  EXPECT_FALSE(ForEachSeriesView(message.substr(0, 5), [](const WriteRequestSeriesView&) {}).ok());
}

TEST(WriteRequestTest, ConcatenatedRequestsDecodeAsOne) {
  const std::string both = EncodeWriteRequest({{{{"__name__", "a"}}, {{1, 1}}}}) +
                           EncodeWriteRequest({{{{"__name__", "b"}}, {{2, 2}}}});
  auto decoded = DecodeWriteRequest(both);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[1].labels[0].value, "b");
}

TEST(WriteRequestTest, RefusesTruncatedMessage) {
  const std::string encoded = EncodeWriteRequest({{{{"__name__", "a"}}, {{1, 1}}}});
  auto decoded = DecodeWriteRequest(encoded.substr(0, encoded.size() - 3));
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
}

TEST(WriteRequestTest, CompressedBodyDecompressesToTheMessage) {
  const std::string message = EncodeWriteRequest({{{{"__name__", "a"}}, {{1, 1}}}});
  auto body = DecompressSnappyBody(SnappyCompress(message), 1 << 20, "", "");
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, message);
}

}  // namespace
}  // namespace chiso
