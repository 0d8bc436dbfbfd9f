#include "ingest/remote_write.h"

#include <gtest/gtest.h>
#include <snappy.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <optional>

#include "common/protobuf_wire.h"
#include "ingest/testing/bodies.h"
#include "ingest/testing/fixtures.h"

namespace chiso::ingest {
namespace {

using testing::EncodeRemoteWrite;

constexpr TimestampMs kNow = 1761930000000;

Labels L(std::initializer_list<std::pair<const char*, const char*>> pairs) {
  Labels labels;
  for (const auto& [name, value] : pairs) labels.push_back({name, value});
  return labels;
}

class RemoteWriteTest : public ::testing::Test {
 protected:
  Result<DecodedSamples> Decode(std::string_view body, std::size_t token = 0) {
    principal_ = Principal(&tokens_[token]);
    return DecodeRemoteWrite(body, 1u << 20, {principal_, kNow, limits_, *catalog_});
  }
  static std::string Compress(std::string_view raw) {
    std::string out;
    snappy::Compress(raw.data(), raw.size(), &out);
    return out;
  }

  std::shared_ptr<const catalog::Catalog> catalog_ = testing::SmallCatalog();
  std::vector<ApiToken> tokens_ = testing::TestTokens();
  Principal principal_{&tokens_[0]};
  IngestLimits limits_;
};

TEST_F(RemoteWriteTest, DecodesWhatItEncodes) {
  const double stale_nan = std::bit_cast<double>(std::uint64_t{0x7ff0000000000002});
  auto decoded = Decode(EncodeRemoteWrite({
      {L({{"__name__", "dvc_dossiers_received_total"},
          {"unit", "gia_loc"},
          {"kênh", "trực tuyến"}}),
       {{kNow - 1000, 41}, {kNow, 42}}},
      {L({{"job", "dvc"}, {"__name__", "up"}, {"empty", ""}}), {{kNow, stale_nan}}},
  }));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(decoded->errors.empty());
  ASSERT_EQ(decoded->samples.size(), 3u);
  EXPECT_EQ(LabelsToString(decoded->samples[1].labels),
            "dvc_dossiers_received_total{kênh=\"trực tuyến\",unit=\"gia_loc\"}");
  EXPECT_EQ(decoded->samples[0].timestamp, kNow - 1000);
  EXPECT_EQ(decoded->samples[1].value, 42);
  EXPECT_EQ(decoded->samples[1].writer, "writer");
  EXPECT_EQ(LabelsToString(decoded->samples[2].labels), "up{job=\"dvc\"}");  // empty label dropped
  EXPECT_EQ(std::bit_cast<std::uint64_t>(decoded->samples[2].value), 0x7ff0000000000002u);
}

// Senders write each Label name first and each Sample value first, with short fields; the
// decoder reads that layout directly. Any other valid layout decodes the same.
TEST_F(RemoteWriteTest, EveryFieldOrderAndLengthDecodes) {
  const std::string long_value(200, 'x');  // a two-byte length
  const auto label = [](std::string_view name, std::string_view value, bool value_first) {
    ProtoWriter out;
    if (value_first) out.BytesField(2, value);
    out.BytesField(1, name);
    if (!value_first) out.BytesField(2, value);
    return out.Take();
  };
  const auto sample = [](std::optional<double> value, std::optional<TimestampMs> timestamp,
                         bool timestamp_first) {
    ProtoWriter out;
    if (timestamp_first && timestamp) out.Int64Field(2, *timestamp);
    if (value) out.DoubleField(1, *value);
    if (!timestamp_first && timestamp) out.Int64Field(2, *timestamp);
    return out.Take();
  };
  ProtoWriter series;
  series.BytesField(1, label("__name__", "dvc_x", true));
  series.BytesField(1, label("unit", long_value, false));
  series.BytesField(2, sample(7.5, kNow - 2000, true));
  series.BytesField(2, sample(std::nullopt, kNow - 1000, false));  // value 0 left out
  series.BytesField(2, sample(-3, kNow, false));
  ProtoWriter request;
  request.BytesField(1, series.bytes());
  auto decoded = Decode(Compress(request.bytes()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(decoded->errors.empty());
  ASSERT_EQ(decoded->samples.size(), 3u);
  for (const Sample& got : decoded->samples) {
    EXPECT_EQ(got.labels, L({{"__name__", "dvc_x"}, {"unit", long_value.c_str()}}));
  }
  EXPECT_EQ(decoded->samples[0].timestamp, kNow - 2000);
  EXPECT_EQ(decoded->samples[0].value, 7.5);
  EXPECT_EQ(decoded->samples[1].timestamp, kNow - 1000);
  EXPECT_EQ(decoded->samples[1].value, 0);
  EXPECT_EQ(decoded->samples[2].timestamp, kNow);
  EXPECT_EQ(decoded->samples[2].value, -3);
}

TEST_F(RemoteWriteTest, BadSeriesAreRefusedByIndexAndTheOthersKept) {
  auto decoded = Decode(EncodeRemoteWrite({
      {L({{"__name__", "a"}}), {{kNow, 1}}},
      {L({{"job", "x"}}), {{kNow, 1}}},
      {L({{"__name__", "b"}, {"x", "1"}, {"x", "2"}}), {{kNow, 1}}},
      {L({{"__name__", "c"}}), {{-5, 1}}},
      {L({{"__name__", "d"}}), {{kNow + 3'600'000, 1}}},
      {L({{"__name__", "e"}, {"v", "\xC3"}}), {{kNow, 1}}},
      {L({{"__name__", "f"}}), {{kNow, 1}}},
  }));
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->samples.size(), 2u);
  ASSERT_EQ(decoded->errors.size(), 5u);
  EXPECT_EQ(decoded->errors[0].position, 1u);
  EXPECT_NE(decoded->errors[0].rejection.message.find("no metric name"), std::string::npos);
  EXPECT_NE(decoded->errors[1].rejection.message.find("series \"b\": label \"x\" appears twice"),
            std::string::npos);
  EXPECT_EQ(decoded->errors[2].rejection.reason, RejectReason::kBadTime);
  EXPECT_EQ(decoded->errors[3].rejection.reason, RejectReason::kFuture);
  EXPECT_EQ(decoded->errors[4].rejection.reason, RejectReason::kBadLabel);
  EXPECT_EQ(decoded->errors[4].position, 5u);
}

TEST_F(RemoteWriteTest, MetricPrefixesOfTheTokenApply) {
  auto decoded =
      Decode(EncodeRemoteWrite({{L({{"__name__", "dvc_x"}, {"unit", "gia_loc"}}), {{kNow, 1}}},
                                {L({{"__name__", "node_cpu"}, {"unit", "gia_loc"}}), {{kNow, 1}}}}),
             1);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->samples.size(), 1u);
  ASSERT_EQ(decoded->errors.size(), 1u);
  EXPECT_EQ(decoded->errors[0].rejection.reason, RejectReason::kForbidden);
}

TEST_F(RemoteWriteTest, BrokenBodiesAreRefusedWithTheReason) {
  EXPECT_NE(Decode("not snappy at all").status().message().find("snappy"), std::string::npos);
  const std::string valid = EncodeRemoteWrite({{L({{"__name__", "a"}}), {{kNow, 1}}}});
  EXPECT_NE(Decode(valid.substr(0, valid.size() - 3)).status().message().find("snappy"),
            std::string::npos);

  std::string raw;
  snappy::Uncompress(valid.data(), valid.size(), &raw);
  auto truncated = Decode(Compress(raw.substr(0, raw.size() - 4)));
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("runs past the end"), std::string::npos)
      << truncated.status().message();
  auto wrong_type = Decode(Compress("\x08\x01"));  // field 1 as a varint
  EXPECT_NE(wrong_type.status().message().find("WriteRequest.timeseries has wire type 0"),
            std::string::npos);
  EXPECT_NE(Decode(Compress("\x0f")).status().message().find("wire type 7"), std::string::npos);
  EXPECT_TRUE(Decode(Compress("")).ok());  // an empty WriteRequest stores nothing
  EXPECT_TRUE(Decode(Compress(std::string("\x1a\x00", 2))).ok());  // metadata is skipped
}

TEST_F(RemoteWriteTest, LimitsRefuseTheRequest) {
  const std::string big = EncodeRemoteWrite(
      {{L({{"__name__", "a"}, {"v", std::string(2u << 20, 'x').c_str()}}), {{kNow, 1}}}});
  EXPECT_EQ(Decode(big).status().code(), StatusCode::kResourceExhausted);
  limits_.max_items_per_request = 1;
  EXPECT_EQ(Decode(EncodeRemoteWrite({{L({{"__name__", "a"}}), {{kNow - 1, 1}, {kNow, 2}}}}))
                .status()
                .code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace chiso::ingest
