#include "rules/alerting/series_alerts.h"

#include <gtest/gtest.h>

#include "catalog/testing/test_catalog.h"

namespace chiso::rules {
namespace {

const TimeZone kZone;  // UTC+7
constexpr TimestampMs kMinute = 60'000;
constexpr TimestampMs kHour = 60 * kMinute;
constexpr TimestampMs kDay = 24 * kHour;

// 08:30 local time on 10 November 2025: every case is judged then.
const TimestampMs kNow = StartOfDay({2025, 11, 10}, kZone) + 8 * kHour + 30 * kMinute;

using AlertLabels = std::map<std::string, std::string>;

const Labels kPaperShare = {{"__name__", "chiso_indicator_reading"},
                            {"indicator", "paper_dossier_share"},
                            {"unit", "gia_loc"}};
const Labels kPortalOnline = {
    {"__name__", "dvc_dossiers_received_total"}, {"channel", "online"}, {"unit", "gia_loc"}};
const Labels kUnknownSource = {{"__name__", "weather_rain_mm"}, {"unit", "nowhere"}};

AlertRule SeriesRule(AlertKind kind, const std::string& selector) {
  AlertRule rule;
  rule.name = kind == AlertKind::kThreshold ? "VuotNguong" : "NguonImLang";
  rule.kind = kind;
  rule.series.selector = selector;
  rule.series.matchers = ParseSeriesSelector(selector).value();
  if (kind == AlertKind::kThreshold) {
    rule.summary = "{{unit_name}}: {{indicator_name}} = {{value}} {{op}} {{threshold}}";
    rule.description = "{{series}} ngày {{value_date}}; {{office_name}}";
  } else {
    rule.series.silent_for = std::chrono::days(3);
    rule.summary = "{{unit_name}}: {{metric}} không gửi quá {{silent_for}}";
    rule.description =
        "Lần cuối {{last_sent}} ({{days_silent}} ngày, {{last_value}}); {{office_name}}";
  }
  return rule;
}

struct Sent {
  Labels labels;
  Reading reading;
};

struct SeriesCase {
  std::string name;
  AlertRule rule;
  std::vector<Sent> sent;
  std::vector<AlertLabels> want_labels;  // of the alerts raised, in label order
  AlertLabels want_annotations;          // of the first one, when given
};

// gtest prints a parameter (`# GetParam() = …` in ctest listings) as the rule and how many
// alerts it should raise: the test name already carries the case's (long) name.
void PrintTo(const SeriesCase& c, std::ostream* os) {
  *os << c.rule.name << ", " << c.want_labels.size() << " alert(s)";
}

AlertRule Narrowed(AlertRule rule, std::vector<std::string> units,
                   std::vector<std::string> offices) {
  rule.units = std::move(units);
  rule.offices = std::move(offices);
  return rule;
}

AlertRule Threshold(const std::string& selector, catalog::Comparison op, double threshold) {
  AlertRule rule = SeriesRule(AlertKind::kThreshold, selector);
  rule.series.op = op;
  rule.series.threshold = threshold;
  return rule;
}

const AlertLabels kPaperShareAlert = {{"alertname", "VuotNguong"},
                                      {"indicator", "paper_dossier_share"},
                                      {"office", "phong_vhxh"},
                                      {"severity", "warning"},
                                      {"unit", "gia_loc"}};
const AlertLabels kPortalSilentAlert = {{"alertname", "NguonImLang"},
                                        {"channel", "online"},
                                        {"office", "trung_tam_phvhc"},
                                        {"severity", "warning"},
                                        {"unit", "gia_loc"}};

class SeriesRules : public ::testing::TestWithParam<SeriesCase> {};

TEST_P(SeriesRules, RaiseAlertsPerSelectedSeries) {
  const SeriesCase& c = GetParam();
  MemorySeriesProbe probe;
  for (const Sent& s : c.sent) probe.Add(s.labels, s.reading);
  auto alerts = MatchSeriesRule(c.rule, *catalog::testing::GiaLocTestCatalog(), probe, kNow);
  ASSERT_TRUE(alerts.ok()) << alerts.status().ToString();
  std::vector<AlertLabels> got;
  for (const Alert& alert : *alerts) got.push_back(alert.labels);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, c.want_labels);
  if (!c.want_annotations.empty() && !alerts->empty()) {
    EXPECT_EQ(alerts->front().annotations, c.want_annotations);
  }
}

const Reading kPaper38 = {EndOfDay({2025, 10, 31}, kZone), 38.25, kNow - 5 * kDay};

INSTANTIATE_TEST_SUITE_P(
    SeriesAlerts, SeriesRules,
    ::testing::Values(
        SeriesCase{"threshold_fires_with_catalog_labels_and_vietnamese_numbers",
                   Threshold("chiso_indicator_reading{indicator=\"paper_dossier_share\"}",
                             catalog::Comparison::kGreater, 35.5),
                   {{kPaperShare, kPaper38}},
                   {kPaperShareAlert},
                   {{"summary", "Xã Gia Lộc: Tỷ lệ hồ sơ nộp giấy = 38,25 > 35,5"},
                    {"description",
                     "chiso_indicator_reading{indicator=\"paper_dossier_share\",unit=\"gia_loc\"} "
                     "ngày 31/10/2025; Phòng Văn hóa - Xã hội"}}},
        SeriesCase{"threshold_not_met",
                   Threshold("chiso_indicator_reading", catalog::Comparison::kLessEqual, 38),
                   {{kPaperShare, kPaper38}},
                   {},
                   {}},
        SeriesCase{"threshold_equal_is_exact",
                   Threshold("chiso_indicator_reading", catalog::Comparison::kEqual, 38.25),
                   {{kPaperShare, kPaper38}},
                   {kPaperShareAlert},
                   {}},
        SeriesCase{"threshold_not_equal",
                   Threshold("chiso_indicator_reading", catalog::Comparison::kNotEqual, 38.25),
                   {{kPaperShare, kPaper38}},
                   {},
                   {}},
        SeriesCase{"threshold_on_a_raw_series_takes_the_derived_indicators_office",
                   Threshold("dvc_dossiers_received_total", catalog::Comparison::kLess, 10),
                   {{kPortalOnline, {kNow - kDay, 4, kNow - kDay}}},
                   {{{"alertname", "VuotNguong"},
                     {"channel", "online"},
                     {"office", "trung_tam_phvhc"},
                     {"severity", "warning"},
                     {"unit", "gia_loc"}}},
                   {{"summary", "Xã Gia Lộc:  = 4 < 10"},
                    {"description",
                     "dvc_dossiers_received_total{channel=\"online\",unit=\"gia_loc\"} ngày "
                     "09/11/2025; Trung tâm Phục vụ hành chính công xã"}}},
        SeriesCase{"threshold_on_an_unknown_series_has_no_office",
                   Threshold("weather_rain_mm", catalog::Comparison::kGreaterEqual, 100),
                   {{kUnknownSource, {kNow, 120, kNow}}},
                   {{{"alertname", "VuotNguong"}, {"severity", "warning"}, {"unit", "nowhere"}}},
                   {}},
        SeriesCase{"units_filter",
                   Narrowed(Threshold("chiso_indicator_reading", catalog::Comparison::kGreater, 0),
                            {"nghia_dan"}, {}),
                   {{kPaperShare, kPaper38}},
                   {},
                   {}},
        SeriesCase{"offices_filter",
                   Narrowed(Threshold("chiso_indicator_reading", catalog::Comparison::kGreater, 0),
                            {}, {"trung_tam_phvhc"}),
                   {{kPaperShare, kPaper38}},
                   {},
                   {}},
        SeriesCase{"silent_longer_than_silent_for",
                   SeriesRule(AlertKind::kSilentSource, "dvc_dossiers_received_total"),
                   {{kPortalOnline, {kNow - 5 * kDay, 12, kNow - 4 * kDay - 2 * kHour}}},
                   {kPortalSilentAlert},
                   {{"summary", "Xã Gia Lộc: dvc_dossiers_received_total không gửi quá 3 ngày"},
                    {"description",
                     "Lần cuối 06/11/2025 06:30 (4 ngày, 12); Trung tâm Phục vụ hành chính công "
                     "xã"}}},
        SeriesCase{"silent_exactly_silent_for_is_not_yet",
                   SeriesRule(AlertKind::kSilentSource, "dvc_dossiers_received_total"),
                   {{kPortalOnline, {kNow - 5 * kDay, 12, kNow - 3 * kDay}}},
                   {},
                   {}},
        SeriesCase{"silent_judged_by_arrival_not_by_the_readings_instant",
                   SeriesRule(AlertKind::kSilentSource, "dvc_dossiers_received_total"),
                   {{kPortalOnline, {kNow - 40 * kDay, 12, kNow - kHour}}},
                   {},
                   {}},
        SeriesCase{"silent_with_unknown_arrival_uses_the_instant",
                   SeriesRule(AlertKind::kSilentSource, "dvc_dossiers_received_total"),
                   {{kPortalOnline, {kNow - 4 * kDay, 12, 0}}},
                   {kPortalSilentAlert},
                   {}},
        SeriesCase{"never_sent_is_silent_like_absent",
                   SeriesRule(AlertKind::kSilentSource,
                              "dvc_dossiers_received_total{unit=\"gia_loc\", channel=~\"on.*\"}"),
                   {{kPaperShare, kPaper38}},
                   {{{"alertname", "NguonImLang"},
                     {"office", "trung_tam_phvhc"},
                     {"severity", "warning"},
                     {"unit", "gia_loc"}}},
                   {{"summary", "Xã Gia Lộc: dvc_dossiers_received_total không gửi quá 3 ngày"},
                    {"description",
                     "Lần cuối chưa từng gửi (chưa xác định ngày, chưa có); Trung tâm Phục vụ "
                     "hành chính công xã"}}},
        SeriesCase{"nothing_sent_by_any_unit",
                   SeriesRule(AlertKind::kSilentSource, "dvc_dossiers_received_total"),
                   {},
                   {{{"alertname", "NguonImLang"},
                     {"office", "trung_tam_phvhc"},
                     {"severity", "warning"}}},
                   {{"summary", "Tất cả đơn vị: dvc_dossiers_received_total không gửi quá 3 ngày"},
                    {"description",
                     "Lần cuối chưa từng gửi (chưa xác định ngày, chưa có); Trung tâm Phục vụ "
                     "hành chính công xã"}}},
        SeriesCase{"never_sent_outside_the_units_filter",
                   Narrowed(SeriesRule(AlertKind::kSilentSource,
                                       "dvc_dossiers_received_total{unit=\"gia_loc\"}"),
                            {"nghia_dan"}, {}),
                   {},
                   {},
                   {}}),
    [](const ::testing::TestParamInfo<SeriesCase>& info) { return info.param.name; });

class FailingProbe final : public SeriesProbe {
 public:
  Result<std::vector<LatestSeriesValue>> Latest(std::span<const LabelMatcher>) const override {
    if (fail) return Status::Unavailable("store busy");
    return probe.Latest(ParseSeriesSelector("dvc_dossiers_received_total").value());
  }
  MemorySeriesProbe probe;
  bool fail = false;
};

Evaluation EvaluationAt(TimestampMs now) {
  Evaluation evaluation;
  evaluation.catalog = catalog::testing::GiaLocTestCatalog();
  evaluation.evaluated_at = now;
  return evaluation;
}

// A silent portal goes through for, fires, survives a failed read, and resolves when the portal
// sends again (after keep_firing_for).
TEST(SeriesAlerts, FollowTheLifecycleAndKeepTheirStateWhenTheSeriesCannotBeRead) {
  FailingProbe probe;
  probe.probe.Add(kPortalOnline, {kNow - 4 * kDay, 12, kNow - 4 * kDay});
  MemoryAlertLog log;
  Alerting alerting(&log, &probe);
  AlertRule rule = SeriesRule(AlertKind::kSilentSource, "dvc_dossiers_received_total");
  rule.for_duration = std::chrono::hours(1);
  rule.keep_firing_for = std::chrono::hours(2);
  alerting.SetRules({rule});

  ASSERT_TRUE(alerting.Update(EvaluationAt(kNow), kNow).ok());
  ASSERT_EQ(alerting.Alerts().size(), 1u);
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kPending);
  ASSERT_TRUE(alerting.Update(EvaluationAt(kNow + kHour), kNow + kHour).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kFiring);
  EXPECT_EQ(alerting.Alerts()[0].annotations.at("description"),
            "Lần cuối 06/11/2025 08:30 (4 ngày, 12); Trung tâm Phục vụ hành chính công xã");

  probe.fail = true;
  std::vector<std::string> problems;
  ASSERT_TRUE(alerting.Update(EvaluationAt(kNow + 2 * kHour), kNow + 2 * kHour, &problems).ok());
  EXPECT_EQ(problems, std::vector<std::string>{"alert rule NguonImLang: store busy"});
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kFiring);  // not resolved for want of data

  // The portal sends again; the condition last held at kNow + 1h.
  probe.fail = false;
  const TimestampMs sent = kNow + 2 * kHour + 30 * kMinute;
  probe.probe.Add(kPortalOnline, {sent, 7, sent});
  ASSERT_TRUE(alerting.Update(EvaluationAt(sent), sent).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kFiring);  // kept firing
  ASSERT_TRUE(alerting.Update(EvaluationAt(kNow + 3 * kHour), kNow + 3 * kHour).ok());
  EXPECT_EQ(alerting.Alerts()[0].state, AlertState::kResolved);
  EXPECT_EQ(log.Load()->at(0).state, AlertState::kResolved);
}

TEST(SeriesAlerts, WithoutAProbeSeriesRulesAreReportedNotEvaluated) {
  const std::vector<AlertRule> rules = {
      SeriesRule(AlertKind::kSilentSource, "dvc_dossiers_received_total")};
  const RuleMatches matches = MatchRules(rules, EvaluationAt(kNow), nullptr);
  EXPECT_TRUE(matches.alerts.empty());
  EXPECT_EQ(matches.unevaluated, std::set<std::string>{"NguonImLang"});
  EXPECT_EQ(matches.problems.size(), 1u);
}

}  // namespace
}  // namespace chiso::rules
