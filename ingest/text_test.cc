#include "ingest/text.h"

#include <gtest/gtest.h>

namespace chiso::ingest {
namespace {

TEST(Utf8Test, AcceptsVietnameseAndRejectsIllFormedSequences) {
  EXPECT_EQ(FindInvalidUtf8("Xã Gia Lộc — Phòng Văn hóa - Xã hội"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3"), 2u);               // truncated sequence
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), 1u);            // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);         // surrogate
  EXPECT_EQ(FindInvalidUtf8("ok\xF4\x90\x80\x80"), 2u);   // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("X\xE3 Gia L\xF4\x63"), 1u);  // Windows-1258 bytes
}

TEST(Utf8Test, FindsTheBadByteAfterLongAsciiRuns) {
  const std::string ascii(20, 'a');
  EXPECT_EQ(FindInvalidUtf8(ascii), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8(ascii + "\xC3"), 20u);
  EXPECT_EQ(FindInvalidUtf8("abcdefgha\xFF"
                            "bcdefgh"),
            9u);  // inside the second eight bytes
  EXPECT_EQ(FindInvalidUtf8(ascii + "é" + ascii + "\x80"), 42u);
}

TEST(QuoteTest, KeepsUtf8VerbatimAndShowsBadBytes) {
  EXPECT_EQ(Quote("Gia Lộc"), "\"Gia Lộc\"");
  EXPECT_EQ(Quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Quote("x\xFFy\n"), "\"x\\xffy\\x0a\"");
}

TEST(QuoteTest, CutsLongTextAtACharacterBoundary) {
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "ộ";
  const std::string quoted = Quote(long_text, 11);
  EXPECT_LT(quoted.size(), 30u);
  EXPECT_EQ(FindInvalidUtf8(quoted), std::string_view::npos);
  EXPECT_TRUE(quoted.ends_with("…\""));
}

TEST(DescribeOffsetTest, NamesByteLineAndColumn) {
  EXPECT_EQ(DescribeOffset("ab\ncd", 4), "byte 4 (line 2, column 2)");
  EXPECT_EQ(DescribeOffset("", 9), "byte 0 (line 1, column 1)");
}

}  // namespace
}  // namespace chiso::ingest
