#include "ingest/reading.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "ingest/instant.h"
#include "ingest/testing/fixtures.h"

namespace chiso::ingest {
namespace {

class ReadingValidatorTest : public ::testing::Test {
 protected:
  std::optional<Rejection> Check(const RawReading& reading, const ApiToken& token) {
    Principal principal(&token);
    ReadingValidator validator(*catalog_, principal, now_, limits_);
    sample_ = Sample{};
    return validator.Validate(reading, &sample_);
  }
  std::optional<Rejection> Check(const RawReading& reading) { return Check(reading, tokens_[0]); }

  static RawReading October(double value) {
    RawReading reading;
    reading.indicator = "dvc_online_dossier_rate";
    reading.unit = "gia_loc";
    reading.value = value;
    reading.period = "2025-10";
    return reading;
  }

  std::shared_ptr<const catalog::Catalog> catalog_ = testing::SmallCatalog();
  std::vector<ApiToken> tokens_ = testing::TestTokens();
  IngestLimits limits_;
  TimestampMs now_ = *ParseInstant("2025-11-22T08:00:00Z");
  Sample sample_;
};

TEST_F(ReadingValidatorTest, StoresAPeriodAtItsLastMillisecondInTheUnitsZone) {
  RawReading reading = October(72.5);
  reading.comment = "Số liệu từ Cổng DVC";
  ASSERT_EQ(Check(reading), std::nullopt);
  EXPECT_EQ(LabelsToString(sample_.labels),
            "chiso_indicator_reading{indicator=\"dvc_online_dossier_rate\",unit=\"gia_loc\"}");
  EXPECT_EQ(sample_.timestamp, *ParseInstant("2025-10-31T23:59:59.999+07:00"));
  EXPECT_EQ(sample_.value, 72.5);
  EXPECT_EQ(sample_.writer, "writer");
  EXPECT_EQ(sample_.arrived_at, now_);
  EXPECT_EQ(sample_.comment, "Số liệu từ Cổng DVC");
}

TEST_F(ReadingValidatorTest, TimeLabelsAndSourceAreKept) {
  RawReading reading = October(80);
  reading.period.reset();
  reading.time = "2025-11-01T09:00:00+07:00";
  reading.labels = {{"channel", "cổng_dvc"}, {"batch", "đợt 1"}};
  reading.source = "dvc_portal";
  ASSERT_EQ(Check(reading), std::nullopt);
  EXPECT_EQ(sample_.timestamp, *ParseInstant("2025-11-01T02:00:00Z"));
  EXPECT_EQ(LabelsToString(sample_.labels),
            "chiso_indicator_reading{batch=\"đợt 1\",channel=\"cổng_dvc\","
            "indicator=\"dvc_online_dossier_rate\",unit=\"gia_loc\"}");
  EXPECT_EQ(sample_.writer, "writer/dvc_portal");
}

TEST_F(ReadingValidatorTest, AWallClockTimeIsInTheUnitsZone) {
  RawReading reading = October(70);
  reading.period.reset();
  reading.time = "2025-10-31T08:30:00";
  reading.time_is_local = true;
  ASSERT_EQ(Check(reading), std::nullopt);
  EXPECT_EQ(sample_.timestamp, *ParseInstant("2025-10-31T01:30:00Z"));

  reading.time = "1970-01-01T06:00:00";
  const auto early = Check(reading);
  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->reason, RejectReason::kBadTime);
  EXPECT_EQ(early->message, "time \"1970-01-01T06:00:00\" in Asia/Ho_Chi_Minh is before 1970");
}

TEST_F(ReadingValidatorTest, AFinerPeriodThanTheIndicatorsIsAnInterimValue) {
  RawReading reading = October(3);
  reading.indicator = "digital_initiatives";
  reading.period = "2025-Q3";
  ASSERT_EQ(Check(reading), std::nullopt);
  EXPECT_EQ(sample_.timestamp, *ParseInstant("2025-09-30T23:59:59.999+07:00"));
  reading.period = "2025";  // the current year has begun: stored at its end
  ASSERT_EQ(Check(reading), std::nullopt);
}

struct BadReading {
  std::string name;
  std::function<void(RawReading&)> change;
  RejectReason reason;
  std::string message_part;
};

TEST_F(ReadingValidatorTest, RefusesEachBadReadingWithAPreciseReason) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<BadReading> cases = {
      {"unknown indicator", [](RawReading& r) { r.indicator = "dvc_rate"; },
       RejectReason::kUnknownIndicator, "unknown indicator \"dvc_rate\""},
      {"derived", [](RawReading& r) { r.indicator = "dvc_online_share"; },
       RejectReason::kDerivedIndicator, "is derived"},
      {"unknown unit", [](RawReading& r) { r.unit = "Gia Lộc"; }, RejectReason::kUnknownUnit,
       "unknown unit \"Gia Lộc\""},
      {"missing value", [](RawReading& r) { r.value.reset(); }, RejectReason::kBadValue,
       "\"value\" is missing"},
      {"NaN", [](RawReading& r) { r.value = std::nan(""); }, RejectReason::kBadValue,
       "not a finite number"},
      {"infinite", [inf](RawReading& r) { r.value = inf; }, RejectReason::kBadValue,
       "not a finite number"},
      {"percent above 100", [](RawReading& r) { r.value = 120; }, RejectReason::kOutOfDomain,
       "value 120 is outside 0..100"},
      {"huge", [](RawReading& r) { r.value = 1e300; }, RejectReason::kOutOfDomain,
       "outside 0..100"},
      {"both period and time", [](RawReading& r) { r.time = "1761930000000"; },
       RejectReason::kBadTime, "not both"},
      {"neither", [](RawReading& r) { r.period.reset(); }, RejectReason::kBadTime,
       "give \"period\""},
      {"bad period", [](RawReading& r) { r.period = "2025-13"; }, RejectReason::kBadTime,
       "period \"2025-13\""},
      {"coarser period", [](RawReading& r) { r.period = "2025-Q3"; }, RejectReason::kBadTime,
       "is reported per month"},
      {"future period", [](RawReading& r) { r.period = "2025-12"; }, RejectReason::kFuture,
       "has not begun yet (today is 2025-11-22 in Asia/Ho_Chi_Minh)"},
      {"future time",
       [](RawReading& r) {
         r.period.reset();
         r.time = "2025-11-22T09:00:00Z";
       },
       RejectReason::kFuture, "in the future"},
      {"bad time",
       [](RawReading& r) {
         r.period.reset();
         r.time = "31/10/2025";
       },
       RejectReason::kBadTime, "\"31/10/2025\""},
      {"reserved label",
       [](RawReading& r) {
         r.labels = {{"unit", "x"}};
       },
       RejectReason::kBadLabel, "reserved"},
      {"label name",
       [](RawReading& r) {
         r.labels = {{"kênh", "x"}};
       },
       RejectReason::kBadLabel, "label name \"kênh\""},
      {"empty label value",
       [](RawReading& r) {
         r.labels = {{"channel", ""}};
       },
       RejectReason::kBadLabel, "empty value"},
      {"duplicate label",
       [](RawReading& r) {
         r.labels = {{"a", "1"}, {"a", "2"}};
       },
       RejectReason::kBadLabel, "appears twice"},
      {"long label value",
       [](RawReading& r) {
         r.labels = {{"a", std::string(5000, 'x')}};
       },
       RejectReason::kBadLabel, "5000 bytes"},
      {"long comment", [](RawReading& r) { r.comment = std::string(5000, 'x'); },
       RejectReason::kSyntax, "\"comment\" is 5000 bytes"},
      {"comment not UTF-8", [](RawReading& r) { r.comment = "Gia L\xF4\x63"; },
       RejectReason::kSyntax, "not valid UTF-8 at byte 5"},
  };
  for (const BadReading& bad : cases) {
    RawReading reading = October(70);
    bad.change(reading);
    auto rejected = Check(reading);
    ASSERT_TRUE(rejected.has_value()) << bad.name;
    EXPECT_EQ(rejected->reason, bad.reason) << bad.name << ": " << rejected->message;
    EXPECT_NE(rejected->message.find(bad.message_part), std::string::npos)
        << bad.name << ": " << rejected->message;
  }
}

TEST_F(ReadingValidatorTest, RefusesWhatIsOutsideTheTokensScope) {
  RawReading reading = October(70);
  reading.unit = "tay_giang";
  auto rejected = Check(reading, tokens_[1]);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->reason, RejectReason::kForbidden);
  EXPECT_NE(rejected->message.find(
                "unit 'tay_giang' is outside token 'gia_loc_writer''s units [gia_loc]"),
            std::string::npos);
  reading.unit = "gia_loc";
  EXPECT_EQ(Check(reading, tokens_[1]), std::nullopt);
  EXPECT_EQ(Check(reading, tokens_[2])->reason, RejectReason::kForbidden);  // role read
}

}  // namespace
}  // namespace chiso::ingest
