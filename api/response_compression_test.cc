#include "api/response_compression.h"

#include <gtest/gtest.h>

#include "ingest/content_coding.h"

namespace chiso::api {
namespace {

std::string Header(const HttpResponse& response, std::string_view name) {
  for (const auto& [n, v] : response.headers)
    if (n == name) return v;
  return "";
}

std::string Text(std::size_t bytes) {
  std::string text;
  while (text.size() < bytes) text += "chiso_indicator_status{unit=\"gia_loc\"} 1\n";
  return text.substr(0, bytes);
}

TEST(ResponseCompressionTest, WhatAcceptEncodingAccepts) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=zero"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
}

TEST(ResponseCompressionTest, LargeTextIsGzippedAndReadsBackTheSame) {
  HttpResponse response =
      MakeResponse(200, "text/plain; version=0.0.4; charset=utf-8", Text(100'000));
  CompressForClient("gzip", &response);
  EXPECT_EQ(Header(response, "Content-Encoding"), "gzip");
  EXPECT_EQ(Header(response, "Vary"), "Accept-Encoding");
  EXPECT_LT(response.body.size(), 10'000u);
  auto back = ingest::DecompressBody(response.body, ingest::ContentCoding::kGzip, 1 << 20);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, Text(100'000));
}

TEST(ResponseCompressionTest, LeftAsItIsWhenNotAskedSmallBinaryOrAlreadyEncoded) {
  HttpResponse unasked = MakeResponse(200, "application/json", Text(5000));
  CompressForClient("", &unasked);
  EXPECT_EQ(unasked.body, Text(5000));
  EXPECT_EQ(Header(unasked, "Vary"), "Accept-Encoding");

  HttpResponse small = MakeResponse(200, "application/json", Text(kMinCompressedBytes - 1));
  CompressForClient("gzip", &small);
  EXPECT_EQ(small.body.size(), kMinCompressedBytes - 1);

  HttpResponse workbook = MakeResponse(
      200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Text(5000));
  CompressForClient("gzip", &workbook);
  EXPECT_EQ(workbook.body, Text(5000));
  EXPECT_TRUE(workbook.headers.empty());

  HttpResponse snappy = MakeResponse(200, "text/plain", Text(5000));
  snappy.headers.emplace_back("Content-Encoding", "snappy");
  CompressForClient("gzip", &snappy);
  EXPECT_EQ(snappy.body, Text(5000));
}

}  // namespace
}  // namespace chiso::api
