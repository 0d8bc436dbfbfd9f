#include "common/label_matcher.h"

#include <gtest/gtest.h>

namespace chiso {
namespace {

using Op = LabelMatcher::Op;

LabelMatcher Make(Op op, std::string name, std::string value) {
  auto matcher = LabelMatcher::Make(op, std::move(name), std::move(value));
  EXPECT_TRUE(matcher.ok()) << matcher.status().ToString();
  return std::move(matcher).value();
}

TEST(LabelMatcherTest, EqualityOperators) {
  EXPECT_TRUE(LabelMatcher::Equal("unit", "gia_loc").Matches("gia_loc"));
  EXPECT_FALSE(LabelMatcher::Equal("unit", "gia_loc").Matches("gia"));
  EXPECT_TRUE(LabelMatcher::NotEqual("unit", "gia_loc").Matches(""));
  EXPECT_FALSE(LabelMatcher::NotEqual("unit", "gia_loc").Matches("gia_loc"));
}

TEST(LabelMatcherTest, RegexIsFullyAnchored) {
  const LabelMatcher matcher = Make(Op::kRegexMatch, "unit", "gia_.*");
  EXPECT_TRUE(matcher.Matches("gia_loc"));
  EXPECT_FALSE(matcher.Matches("xa_gia_loc"));
  EXPECT_FALSE(matcher.Matches(""));
  EXPECT_FALSE(Make(Op::kRegexMatch, "unit", "loc").Matches("gia_loc"));
  EXPECT_TRUE(Make(Op::kRegexNoMatch, "unit", "gia_.*").Matches("nghia_dan"));
}

TEST(LabelMatcherTest, LiteralAlternationAsGrafanaSendsIt) {
  const LabelMatcher matcher = Make(Op::kRegexMatch, "unit", "gia_loc|nghia_dan");
  EXPECT_TRUE(matcher.Matches("gia_loc"));
  EXPECT_TRUE(matcher.Matches("nghia_dan"));
  EXPECT_FALSE(matcher.Matches("gia_loc|nghia_dan"));
  EXPECT_FALSE(matcher.Matches("gia"));
  EXPECT_TRUE(Make(Op::kRegexMatch, "unit", "a|").Matches(""));
}

TEST(LabelMatcherTest, EmptyMatchingRegexSelectsAbsentLabel) {
  EXPECT_TRUE(Make(Op::kRegexMatch, "env", ".*").Matches(""));
  EXPECT_FALSE(Make(Op::kRegexMatch, "env", ".+").Matches(""));
}

TEST(LabelMatcherTest, HostileExpressionsAndLongValuesStayLinear) {
  const std::string long_value(16 * 1024, 'a');  // the longest label value the store accepts
  EXPECT_FALSE(Make(Op::kRegexMatch, "unit", "(a|a)*b").Matches(long_value));
  EXPECT_FALSE(Make(Op::kRegexMatch, "unit", "(a*)*b").Matches(long_value));
  EXPECT_TRUE(Make(Op::kRegexMatch, "unit", ".*").Matches(long_value));
  EXPECT_EQ(LabelMatcher::Make(Op::kRegexMatch, "unit", "(a)\\1").status().code(),
            StatusCode::kInvalidArgument);  // backreferences are not supported
}

TEST(LabelMatcherTest, BadInputIsRejectedWithReason) {
  auto bad_regex = LabelMatcher::Make(Op::kRegexMatch, "unit", "gia_(");
  ASSERT_FALSE(bad_regex.ok());
  EXPECT_EQ(bad_regex.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_regex.status().message().find("\"unit\""), std::string::npos);

  auto no_name = LabelMatcher::Make(Op::kEqual, "", "x");
  EXPECT_EQ(no_name.status().code(), StatusCode::kInvalidArgument);
}

TEST(LabelMatcherTest, PrintsInPromQlForm) {
  EXPECT_EQ(Make(Op::kRegexNoMatch, "unit", "a\"b").ToString(), "unit!~\"a\\\"b\"");
  EXPECT_EQ(LabelMatcher::Equal("unit", "x").ToString(), "unit=\"x\"");
}

}  // namespace
}  // namespace chiso
