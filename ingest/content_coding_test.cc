#include "ingest/content_coding.h"

#include <gtest/gtest.h>

#include "ingest/testing/bodies.h"

namespace chiso::ingest {
namespace {

using testing::CompressBody;

constexpr std::string_view kLines =
    "dvc,unit=gia_loc,office=Phòng\\ Văn\\ hóa received=12i 1761930000\n"
    "dvc,unit=gia_loc received=13i 1761930060\n";

TEST(ContentCodingTest, ParsesTheHeaderAsSendersWriteIt) {
  EXPECT_EQ(ParseContentCoding(""), ContentCoding::kIdentity);
  EXPECT_EQ(ParseContentCoding("identity"), ContentCoding::kIdentity);
  EXPECT_EQ(ParseContentCoding(" GZIP "), ContentCoding::kGzip);
  EXPECT_EQ(ParseContentCoding("x-gzip"), ContentCoding::kGzip);
  EXPECT_EQ(ParseContentCoding("Deflate"), ContentCoding::kDeflate);
  EXPECT_EQ(ParseContentCoding("snappy"), ContentCoding::kSnappy);
  EXPECT_EQ(ParseContentCoding("br"), std::nullopt);
  EXPECT_EQ(ParseContentCoding("zstd"), std::nullopt);
  EXPECT_EQ(ParseContentCoding("gzip, identity"), std::nullopt);
}

TEST(ContentCodingTest, GzipAndDeflateRoundTrip) {
  for (ContentCoding coding : {ContentCoding::kGzip, ContentCoding::kDeflate}) {
    auto content = DecompressBody(CompressBody(kLines, coding), coding, 1 << 20);
    ASSERT_TRUE(content.ok()) << content.status().message();
    EXPECT_EQ(*content, kLines);
  }
}

TEST(ContentCodingTest, RawDeflateWithoutTheZlibWrapperIsAccepted) {
  const std::string zlib = CompressBody(kLines, ContentCoding::kDeflate);
  const std::string raw = zlib.substr(2, zlib.size() - 6);  // minus header and Adler-32
  auto content = DecompressBody(raw, ContentCoding::kDeflate, 1 << 20);
  ASSERT_TRUE(content.ok()) << content.status().message();
  EXPECT_EQ(*content, kLines);
}

TEST(ContentCodingTest, ConcatenatedGzipMembersAreOneBody) {
  const std::string body = CompressBody("a v=1\n", ContentCoding::kGzip) +
                           CompressBody("", ContentCoding::kGzip) +
                           CompressBody("b v=2\n", ContentCoding::kGzip);
  EXPECT_EQ(DecompressBody(body, ContentCoding::kGzip, 1 << 20).value(), "a v=1\nb v=2\n");
}

TEST(ContentCodingTest, AnEmptyBodyIsAnEmptyContent) {
  EXPECT_EQ(DecompressBody("", ContentCoding::kGzip, 10).value(), "");
  EXPECT_EQ(
      DecompressBody(CompressBody("", ContentCoding::kGzip), ContentCoding::kGzip, 10).value(), "");
}

TEST(ContentCodingTest, TruncatedDataIsNamed) {
  const std::string gzip = CompressBody(kLines, ContentCoding::kGzip);
  for (std::size_t cut : {std::size_t{1}, std::size_t{4}, gzip.size() - 12}) {
    auto content = DecompressBody(gzip.substr(0, gzip.size() - cut), ContentCoding::kGzip, 1 << 20);
    ASSERT_EQ(content.status().code(), StatusCode::kInvalidArgument) << cut;
    EXPECT_NE(content.status().message().find("not valid gzip data: it is truncated"),
              std::string::npos)
        << content.status().message();
  }
  auto header_only = DecompressBody(gzip.substr(0, 5), ContentCoding::kGzip, 1 << 20);
  EXPECT_NE(header_only.status().message().find("truncated"), std::string::npos);
}

TEST(ContentCodingTest, CorruptDataIsNamedWithItsByte) {
  auto plain = DecompressBody("dvc received=12i\n", ContentCoding::kGzip, 1 << 20);
  ASSERT_EQ(plain.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(plain.status().message(),
            "body is not valid gzip data (incorrect header check at byte 2)");

  std::string gzip = CompressBody(kLines, ContentCoding::kGzip);
  gzip[gzip.size() - 6] = static_cast<char>(gzip[gzip.size() - 6] ^ 0x55);  // inside the CRC-32
  auto bad_crc = DecompressBody(gzip, ContentCoding::kGzip, 1 << 20);
  EXPECT_NE(bad_crc.status().message().find("incorrect data check"), std::string::npos)
      << bad_crc.status().message();

  std::string zlib = CompressBody(kLines, ContentCoding::kDeflate);
  zlib[2] = static_cast<char>(0xFF);  // an invalid block type
  auto bad_block = DecompressBody(zlib, ContentCoding::kDeflate, 1 << 20);
  EXPECT_NE(bad_block.status().message().find("not valid deflate data (invalid block type at byte"),
            std::string::npos)
      << bad_block.status().message();
}

TEST(ContentCodingTest, TrailingBytesAreRefused) {
  auto gzip = DecompressBody(CompressBody(kLines, ContentCoding::kGzip) + "junk",
                             ContentCoding::kGzip, 1 << 20);
  EXPECT_EQ(gzip.status().code(), StatusCode::kInvalidArgument);
  auto deflate = DecompressBody(CompressBody(kLines, ContentCoding::kDeflate) + "junk",
                                ContentCoding::kDeflate, 1 << 20);
  EXPECT_NE(deflate.status().message().find("has 4 bytes after the end of its compressed data"),
            std::string::npos)
      << deflate.status().message();
}

TEST(ContentCodingTest, ABombStopsAtTheLimit) {
  const std::string zeros(8u << 20, '\0');
  const std::string bomb = CompressBody(zeros, ContentCoding::kGzip);
  ASSERT_LT(bomb.size(), 64u << 10);
  auto refused = DecompressBody(bomb, ContentCoding::kGzip, 1u << 20);
  ASSERT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.status().message(),
            "body decompresses (Content-Encoding: gzip) to more than 1048576 bytes, the limit; "
            "send smaller batches");
  EXPECT_EQ(DecompressBody(bomb, ContentCoding::kGzip, zeros.size()).value().size(), zeros.size())
      << "exactly the limit is allowed";
  EXPECT_EQ(DecompressBody(bomb, ContentCoding::kGzip, zeros.size() - 1).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(ContentCodingTest, OnlyGzipAndDeflateAreDecompressedHere) {
  EXPECT_EQ(DecompressBody("x", ContentCoding::kSnappy, 10).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace chiso::ingest
