#include "remote_read/read_request.h"

#include <gtest/gtest.h>
#include <snappy.h>

#include <random>

#include "common/protobuf_wire.h"
#include "remote_read/testing/prompb_codec.h"

namespace chiso::remote_read {
namespace {

using prometheus::LabelMatcher_Type_EQ;
using prometheus::LabelMatcher_Type_NEQ;
using prometheus::LabelMatcher_Type_NRE;
using prometheus::LabelMatcher_Type_RE;
using testing::EncodeReadRequest;
using testing::MakeQuery;

std::string Snappy(std::string_view message) {
  std::string compressed;
  snappy::Compress(message.data(), message.size(), &compressed);
  return compressed;
}

TEST(ReadRequestTest, DecodesWhatProtocEncodes) {
  prometheus::ReadRequest request;
  *request.add_queries() = MakeQuery(1735664399999, 1767200399999,
                                     {{LabelMatcher_Type_EQ, "__name__", "chiso_indicator_reading"},
                                      {LabelMatcher_Type_NEQ, "unit", "kim_thanh"},
                                      {LabelMatcher_Type_RE, "indicator", "vneid_.*"},
                                      {LabelMatcher_Type_NRE, "office", "mttq|cong_an"}});
  request.mutable_queries(0)->mutable_hints()->set_step_ms(60000);
  request.mutable_queries(0)->mutable_hints()->set_func("last_over_time");
  *request.add_queries() = MakeQuery(-1, 0, {{LabelMatcher_Type_EQ, "store", "chiso"}});
  request.add_accepted_response_types(prometheus::ReadRequest::STREAMED_XOR_CHUNKS);
  request.add_accepted_response_types(prometheus::ReadRequest::SAMPLES);

  auto decoded = DecodeReadRequest(EncodeReadRequest(request), {});
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->queries.size(), 2u);
  const Query& first = decoded->queries[0];
  EXPECT_EQ(first.start_ms, 1735664399999);
  EXPECT_EQ(first.end_ms, 1767200399999);
  ASSERT_EQ(first.matchers.size(), 4u);
  EXPECT_EQ(first.matchers[0].ToString(), "__name__=\"chiso_indicator_reading\"");
  EXPECT_EQ(first.matchers[1].ToString(), "unit!=\"kim_thanh\"");
  EXPECT_EQ(first.matchers[2].ToString(), "indicator=~\"vneid_.*\"");
  EXPECT_EQ(first.matchers[3].ToString(), "office!~\"mttq|cong_an\"");
  EXPECT_TRUE(first.matchers[2].Matches("vneid_account_pct"));
  EXPECT_FALSE(first.matchers[3].Matches("mttq"));
  EXPECT_EQ(decoded->queries[1].start_ms, -1);
  EXPECT_EQ(decoded->accepted_response_types,
            (std::vector<ResponseType>{ResponseType::kStreamedXorChunks, ResponseType::kSamples}));
  EXPECT_EQ(ChooseResponseType(*decoded), ResponseType::kStreamedXorChunks);
}

TEST(ReadRequestTest, SamplesUnlessTheClientListsStreamingFirst) {
  prometheus::ReadRequest request;  // Prometheus 2.42's client: no list, or [SAMPLES]
  *request.add_queries() = MakeQuery(0, 1, {});
  auto none = DecodeReadRequest(EncodeReadRequest(request), {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(ChooseResponseType(*none), ResponseType::kSamples);
  request.add_accepted_response_types(prometheus::ReadRequest::SAMPLES);
  request.add_accepted_response_types(prometheus::ReadRequest::STREAMED_XOR_CHUNKS);
  EXPECT_EQ(ChooseResponseType(*DecodeReadRequest(EncodeReadRequest(request), {})),
            ResponseType::kSamples);

  // Unpacked repeated enums (proto2 senders) are read too; unknown types are skipped.
  ProtoWriter unpacked;
  unpacked.VarintField(2, 7);
  unpacked.VarintField(2, 1);
  auto streamed = DecodeReadRequest(Snappy(unpacked.bytes()), {});
  ASSERT_TRUE(streamed.ok()) << streamed.status().ToString();
  EXPECT_EQ(ChooseResponseType(*streamed), ResponseType::kStreamedXorChunks);
  ProtoWriter unknown;
  unknown.VarintField(2, 7);
  auto refused = DecodeReadRequest(Snappy(unknown.bytes()), {});
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("accepted_response_types"), std::string::npos);
}

TEST(ReadRequestTest, MalformedBodiesNameTheByteOrField) {
  auto not_snappy = DecodeReadRequest("\xff\xff\xff\xff\xff\xff", {});
  EXPECT_EQ(not_snappy.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_snappy.status().message().find("not snappy"), std::string::npos);

  prometheus::ReadRequest request;
  *request.add_queries() = MakeQuery(0, 1, {{LabelMatcher_Type_EQ, "unit", "gia_loc"}});
  std::string message = request.SerializeAsString();
  message.resize(message.size() - 3);
  auto truncated = DecodeReadRequest(Snappy(message), {});
  EXPECT_EQ(truncated.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(truncated.status().message().find("not a protobuf ReadRequest"), std::string::npos);
  EXPECT_NE(truncated.status().message().find("(byte "), std::string::npos)
      << truncated.status().message();

  ProtoWriter matcher;
  matcher.VarintField(1, 7);
  matcher.BytesField(2, "unit");
  ProtoWriter query;
  query.BytesField(3, matcher.bytes());
  ProtoWriter bad_type;
  bad_type.BytesField(1, query.bytes());
  auto type = DecodeReadRequest(Snappy(bad_type.bytes()), {});
  EXPECT_EQ(type.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(type.status().message(),
            "queries[0].matchers[0].type: 7 is not a matcher type (EQ=0, NEQ=1, RE=2, NRE=3)");

  prometheus::ReadRequest regex;
  *regex.add_queries() = MakeQuery(0, 1, {{LabelMatcher_Type_EQ, "unit", "gia_loc"}});
  *regex.add_queries() = MakeQuery(0, 1,
                                   {{LabelMatcher_Type_EQ, "unit", "gia_loc"},
                                    {LabelMatcher_Type_RE, "indicator", "vneid_(.*"}});
  auto invalid = DecodeReadRequest(EncodeReadRequest(regex), {});
  EXPECT_EQ(invalid.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid.status().message().rfind("queries[1].matchers[1]: ", 0), 0u)
      << invalid.status().message();
  EXPECT_NE(invalid.status().message().find("vneid_(.*"), std::string::npos);

  ProtoWriter wrong_wire;
  wrong_wire.VarintField(1, 5);  // queries as a varint
  auto wire = DecodeReadRequest(Snappy(wrong_wire.bytes()), {});
  EXPECT_NE(wire.status().message().find("queries has wire type 0, expected 2 (byte 1"),
            std::string::npos)
      << wire.status().message();
}

TEST(ReadRequestTest, LimitsAreResourceExhaustedWithAHint) {
  prometheus::ReadRequest request;
  for (int i = 0; i < 3; ++i) *request.add_queries() = MakeQuery(0, 1, {});
  auto queries = DecodeReadRequest(EncodeReadRequest(request), {.max_queries = 2});
  EXPECT_EQ(queries.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(queries.status().message().find("more than 2 queries"), std::string::npos);
  auto size = DecodeReadRequest(EncodeReadRequest(request), {.max_decompressed_bytes = 4});
  EXPECT_EQ(size.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(size.status().message().find("at most 4"), std::string::npos);
}

TEST(ReadRequestTest, MangledRequestsAreRefusedWithAReasonNeverACrash) {
  prometheus::ReadRequest request;
  *request.add_queries() = MakeQuery(1735664399999, 1767200399999,
                                     {{LabelMatcher_Type_EQ, "__name__", "chiso_plan_expected"},
                                      {LabelMatcher_Type_RE, "unit", "gia_.*|kim_thanh"}});
  request.mutable_queries(0)->mutable_hints()->set_func("rate");
  request.add_accepted_response_types(prometheus::ReadRequest::STREAMED_XOR_CHUNKS);
  const std::string valid = request.SerializeAsString();
  std::mt19937 random(57);
  for (int round = 0; round < 5000; ++round) {
    std::string mangled = valid;
    for (int flips = 1 + round % 4; flips > 0; --flips) {
      mangled[random() % mangled.size()] = static_cast<char>(random());
    }
    if (round % 3 == 0) mangled.resize(random() % mangled.size());
    auto decoded = DecodeReadRequest(Snappy(mangled), {});
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
      EXPECT_FALSE(decoded.status().message().empty());
    }
  }
}

}  // namespace
}  // namespace chiso::remote_read
