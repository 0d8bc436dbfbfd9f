#include "rules/alerting/series_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace chiso::rules {
namespace {

using ::testing::HasSubstr;

struct SelectorCase {
  std::string name;
  std::string text;
  std::vector<Labels> selected;      // each must be selected
  std::vector<Labels> not_selected;  // none may be
};

// gtest prints a parameter (`# GetParam() = …` in ctest listings) as its name, not its bytes.
void PrintTo(const SelectorCase& c, std::ostream* os) { *os << c.name; }

const Labels kOnline = {
    {"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}, {"channel", "online"}};
const Labels kOffline = {
    {"__name__", "dvc_dossiers_received_total"}, {"unit", "gia_loc"}, {"channel", "offline"}};
const Labels kOtherUnit = {
    {"__name__", "dvc_dossiers_received_total"}, {"unit", "xa_gia_loc"}, {"channel", "online"}};
const Labels kReading = {
    {"__name__", "chiso_indicator_reading"}, {"unit", "gia_loc"}, {"indicator", "vneid"}};

class Selectors : public ::testing::TestWithParam<SelectorCase> {};

TEST_P(Selectors, SelectWithPrometheusSemantics) {
  const SelectorCase& c = GetParam();
  auto matchers = ParseSeriesSelector(c.text);
  ASSERT_TRUE(matchers.ok()) << matchers.status().ToString();
  for (const Labels& labels : c.selected) EXPECT_TRUE(SelectsSeries(*matchers, labels));
  for (const Labels& labels : c.not_selected) EXPECT_FALSE(SelectsSeries(*matchers, labels));
}

INSTANTIATE_TEST_SUITE_P(
    SeriesProbe, Selectors,
    ::testing::Values(
        SelectorCase{"metric_only", "dvc_dossiers_received_total", {kOnline, kOffline}, {kReading}},
        SelectorCase{"equal",
                     "dvc_dossiers_received_total{channel=\"online\"}",
                     {kOnline, kOtherUnit},
                     {kOffline, kReading}},
        SelectorCase{"not_equal_and_spaces",
                     " dvc_dossiers_received_total { channel != 'online' } ",
                     {kOffline},
                     {kOnline}},
        SelectorCase{"regex_is_anchored",
                     "{__name__=~\"dvc_.*\", unit=~`gia_.*`,}",
                     {kOnline, kOffline},
                     {kOtherUnit, kReading}},
        SelectorCase{
            "regex_no_match", "chiso_indicator_reading{indicator!~\"vne.*\"}", {}, {kReading}},
        SelectorCase{"absent_label_is_empty",
                     "dvc_dossiers_received_total{source=\"\"}",
                     {kOnline},
                     {kReading}},
        SelectorCase{"escapes",
                     R"(m{a="x\"y\\z"})",
                     {{{"__name__", "m"}, {"a", "x\"y\\z"}}},
                     {{{"__name__", "m"}, {"a", "x"}}}},
        SelectorCase{"regex_escape_kept",
                     R"(m{a=~"1\.5"})",
                     {{{"__name__", "m"}, {"a", "1.5"}}},
                     {{{"__name__", "m"}, {"a", "105"}}}}),
    [](const ::testing::TestParamInfo<SelectorCase>& info) { return info.param.name; });

struct BadSelector {
  std::string name;
  std::string text;
  std::string why;
};

// gtest prints a parameter (`# GetParam() = …` in ctest listings) as its name, not its bytes.
void PrintTo(const BadSelector& c, std::ostream* os) { *os << c.name; }

class BadSelectors : public ::testing::TestWithParam<BadSelector> {};

TEST_P(BadSelectors, AreRejectedWithTheReason) {
  auto matchers = ParseSeriesSelector(GetParam().text);
  ASSERT_FALSE(matchers.ok());
  EXPECT_EQ(matchers.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(matchers.status().message(), HasSubstr(GetParam().why));
}

INSTANTIATE_TEST_SUITE_P(
    SeriesProbe, BadSelectors,
    ::testing::Values(
        BadSelector{"empty", "", "a selector needs a metric name or matchers"},
        BadSelector{"empty_braces", "{}", "a selector needs a metric name or matchers"},
        BadSelector{"unclosed_brace", "m{a=\"x\"", "expected ',' or '}' at offset 7"},
        BadSelector{"unclosed_value", "m{a=\"x}", "value has no closing \""},
        BadSelector{"unknown_operator", "m{a=>\"x\"}", "expected a quoted value at offset 4"},
        BadSelector{"no_operator", "m{a \"x\"}", "expected one of =, !=, =~, !~ after label 'a'"},
        BadSelector{"bare_value", "m{a=x}", "expected a quoted value"},
        BadSelector{"label_name", "m{1a=\"x\"}", "expected a label name at offset 2"},
        BadSelector{"name_twice", "m{__name__=\"n\"}", "the metric name is given twice"},
        BadSelector{"range", "m[5m]", "unexpected '['"},
        BadSelector{"comparison_inside", "m > 5", "unexpected '>'"},
        BadSelector{"bad_regex", "m{a=~\"(x\"}", "invalid regular expression for label \"a\""},
        BadSelector{"matches_empty", "{a=~\".*\", b!=\"x\"}",
                    "selector must have a matcher that rejects the empty value"}),
    [](const ::testing::TestParamInfo<BadSelector>& info) { return info.param.name; });

TEST(MemorySeriesProbe, GivesTheSampleWithTheGreatestInstantPerSeries) {
  MemorySeriesProbe probe;
  probe.Add(kOnline, {200, 5, 1000});
  probe.Add(kOnline, {100, 9, 2000});  // backdated: not the latest
  probe.Add(kOffline, {150, 3, 1500});
  probe.Add(kReading, {300, 57.3, 3000});
  auto matchers = ParseSeriesSelector("dvc_dossiers_received_total");
  ASSERT_TRUE(matchers.ok());
  auto latest = probe.Latest(*matchers);
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 2u);
  std::map<std::string, Reading> by_channel;
  for (const LatestSeriesValue& v : *latest)
    by_channel[std::string(LabelValue(v.labels, "channel"))] = v.latest;
  EXPECT_EQ(by_channel.at("online"), (Reading{200, 5, 1000}));
  EXPECT_EQ(by_channel.at("offline"), (Reading{150, 3, 1500}));
}

}  // namespace
}  // namespace chiso::rules
