#include "common/protobuf_wire.h"

#include <gtest/gtest.h>

#include <bit>
#include <limits>

namespace chiso {
namespace {

TEST(ProtoWriterTest, EncodesEachFieldKindAsProtobufDoes) {
  ProtoWriter writer;
  writer.VarintField(1, 150);  // the protobuf guide's example: 08 96 01
  writer.Int64Field(2, -1);    // int64 -1: ten bytes
  writer.SintField(3, -2);     // ZigZag 3
  writer.DoubleField(4, 1.0);
  writer.BytesField(5, "hi");
  const std::string expected =
      std::string("\x08\x96\x01", 3) + "\x10\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01" + "\x18\x03" +
      std::string("\x21\x00\x00\x00\x00\x00\x00\xf0\x3f", 9) + "\x2a\x02hi";
  EXPECT_EQ(writer.bytes(), expected);
}

TEST(ProtoWriterTest, ZigZagFollowsTheProtobufTable) {
  EXPECT_EQ(ZigZag(0), 0u);
  EXPECT_EQ(ZigZag(-1), 1u);
  EXPECT_EQ(ZigZag(1), 2u);
  EXPECT_EQ(ZigZag(-2), 3u);
  EXPECT_EQ(ZigZag(std::numeric_limits<std::int64_t>::min()),
            std::numeric_limits<std::uint64_t>::max());
}

TEST(ProtoReaderTest, ReadsWhatTheWriterWrote) {
  ProtoWriter inner;
  inner.Int64Field(1, 1700000000000);
  ProtoWriter writer;
  writer.BytesField(7, inner.bytes());
  writer.DoubleField(2, -0.5);

  ProtoReader reader(writer.bytes(), 0, "Test");
  std::uint32_t field = 0, wire = 0;
  ASSERT_TRUE(reader.ReadKey(&field, &wire).ok());
  EXPECT_EQ(field, 7u);
  EXPECT_TRUE(reader.ExpectWire(wire, kLengthDelimited, "Test.inner").ok());
  std::string_view payload;
  std::size_t offset = 0;
  ASSERT_TRUE(reader.ReadBytes(&payload, &offset).ok());
  EXPECT_EQ(offset, 2u);
  ProtoReader nested(payload, offset, "Test");
  std::uint64_t value = 0;
  ASSERT_TRUE(nested.ReadKey(&field, &wire).ok());
  ASSERT_TRUE(nested.ReadVarint(&value).ok());
  EXPECT_EQ(value, 1700000000000u);
  EXPECT_TRUE(nested.AtEnd());
  ASSERT_TRUE(reader.ReadKey(&field, &wire).ok());
  ASSERT_TRUE(reader.ReadFixed64(&value).ok());
  EXPECT_EQ(std::bit_cast<double>(value), -0.5);
  EXPECT_TRUE(reader.AtEnd());
}

TEST(ProtoReaderTest, ErrorsNameTheMessageTheReasonAndTheByte) {
  const std::string truncated =
      "\x0a\x05"
      "ab";  // a 5-byte field with 2 bytes left
  ProtoReader reader(truncated, 10, "ReadRequest");
  std::uint32_t field = 0, wire = 0;
  ASSERT_TRUE(reader.ReadKey(&field, &wire).ok());
  std::string_view payload;
  std::size_t offset = 0;
  const Status status = reader.ReadBytes(&payload, &offset);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "body is not a protobuf ReadRequest: a length of 5 bytes runs past the end of its "
            "message (byte 12 after snappy decompression)");
  EXPECT_NE(reader.ExpectWire(kVarint, kFixed64, "Sample.value")
                .message()
                .find("Sample.value has wire type 0, expected 1"),
            std::string::npos);
  ProtoReader zero(std::string_view("\x00", 1), 0, "ReadRequest");
  EXPECT_FALSE(zero.ReadKey(&field, &wire).ok());
  const std::string eleven_bytes(11, '\xff');
  ProtoReader endless(eleven_bytes, 0, "ReadRequest");
  std::uint64_t value = 0;
  EXPECT_NE(endless.ReadVarint(&value).message().find("longer than 10 bytes"), std::string::npos);
}

}  // namespace
}  // namespace chiso
