#include "remote_read/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace chiso::remote_read {
namespace {

TEST(Crc32cTest, MatchesTheCastagnoliCheckValues) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);  // the CRC catalogue's check value
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);    // RFC 3720, B.4: 32 bytes of zeros
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);  // and of ones
}

}  // namespace
}  // namespace chiso::remote_read
