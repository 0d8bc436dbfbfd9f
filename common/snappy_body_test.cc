#include "common/snappy_body.h"

#include <gtest/gtest.h>
#include <snappy.h>

namespace chiso {
namespace {

std::string Compress(std::string_view content) {
  std::string out;
  snappy::Compress(content.data(), content.size(), &out);
  return out;
}

TEST(SnappyBodyTest, DecompressesWithinTheLimitAndSaysWhatIsWrongOtherwise) {
  const std::string content(1000, 'x');
  auto body = DecompressSnappyBody(Compress(content), 1000, "send snappy", "send less");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, content);

  auto large = DecompressSnappyBody(Compress(content), 999, "send snappy", "send less");
  EXPECT_EQ(large.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(large.status().message(),
            "body decompresses to 1000 bytes; at most 999 are allowed: send less");

  auto header = DecompressSnappyBody("\xff\xff\xff\xff\xff\xff", 1000, "send snappy", "send less");
  EXPECT_EQ(header.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(header.status().message(),
            "body is not snappy block-compressed (its length header is malformed); send snappy");

  std::string truncated = Compress(content);
  truncated.resize(truncated.size() - 2);
  auto corrupt = DecompressSnappyBody(truncated, 1000, "send snappy", "send less");
  EXPECT_EQ(corrupt.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(corrupt.status().message().find("corrupt or truncated"), std::string::npos);
}

}  // namespace
}  // namespace chiso
