#include "ingest/instant.h"

#include <gtest/gtest.h>

namespace chiso::ingest {
namespace {

TEST(ParseInstantTest, ReadsRfc3339AndEpochMilliseconds) {
  constexpr TimestampMs kHalloween = 1761930000000;  // 2025-10-31T17:00:00Z
  EXPECT_EQ(*ParseInstant("2025-10-31T17:00:00Z"), kHalloween);
  EXPECT_EQ(*ParseInstant("2025-11-01T00:00:00+07:00"), kHalloween);
  EXPECT_EQ(*ParseInstant("2025-10-31t17:00:00.5z"), kHalloween + 500);
  EXPECT_EQ(*ParseInstant("2025-10-31 17:00:00.123456789Z"), kHalloween + 123);
  EXPECT_EQ(*ParseInstant("1761930000000"), kHalloween);
  EXPECT_EQ(*ParseInstant("0"), 0);
}

TEST(ParseInstantTest, NamesWhatIsWrong) {
  const auto message = [](std::string_view text) { return ParseInstant(text).status().message(); };
  EXPECT_NE(message("2025-02-30T00:00:00Z").find("does not exist"), std::string::npos);
  EXPECT_NE(message("2025-10-31").find("no time of day"), std::string::npos);
  EXPECT_NE(message("2025-10-31T17:00:00").find("no UTC offset"), std::string::npos);
  EXPECT_NE(message("2025-10-31T25:00:00Z").find("out of range"), std::string::npos);
  EXPECT_NE(message("2025-10-31T17:00:00Zjunk").find("extra characters"), std::string::npos);
  EXPECT_NE(message("-5").find("before 1970"), std::string::npos);
  EXPECT_NE(message("99999999999999999999999").find("too large"), std::string::npos);
  EXPECT_NE(message("").find("empty"), std::string::npos);
  EXPECT_NE(message("tháng 10").find("\"tháng 10\""), std::string::npos);
}

}  // namespace
}  // namespace chiso::ingest
