#include "ingest/influx_line.h"

#include <gtest/gtest.h>

#include "ingest/testing/fixtures.h"

namespace chiso::ingest {
namespace {

constexpr TimestampMs kNow = 1761930000000;

class InfluxLineTest : public ::testing::Test {
 protected:
  Result<DecodedSamples> Decode(std::string_view body, std::string_view precision = "ns",
                                std::size_t token = 0) {
    principal_ = Principal(&tokens_[token]);
    return DecodeInfluxLines(body, *ParseInfluxPrecision(precision),
                             {principal_, kNow, limits_, *catalog_});
  }

  std::shared_ptr<const catalog::Catalog> catalog_ = testing::SmallCatalog();
  std::vector<ApiToken> tokens_ = testing::TestTokens();
  Principal principal_{&tokens_[0]};
  IngestLimits limits_;
};

TEST_F(InfluxLineTest, EachNumericFieldBecomesASeriesNamedMeasurementUnderscoreField) {
  auto decoded = Decode(
      "# comment\n"
      "dvc,unit=gia_loc,kênh=cổng\\ dịch\\ vụ received=12i,online=9u,rate=75.5,ok=t,note=\"xin "
      "chào, bạn\" "
      "1761930000000000000\r\n"
      "\n"
      "   dvc,unit=tay_giang received=3i\n");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_TRUE(decoded->errors.empty());
  ASSERT_EQ(decoded->samples.size(), 5u);
  EXPECT_EQ(LabelsToString(decoded->samples[0].labels),
            "dvc_received{kênh=\"cổng dịch vụ\",unit=\"gia_loc\"}");
  EXPECT_EQ(decoded->samples[0].value, 12);
  EXPECT_EQ(decoded->samples[0].timestamp, kNow);
  EXPECT_EQ(decoded->samples[0].writer, "writer");
  EXPECT_EQ(decoded->samples[0].arrived_at, kNow);
  EXPECT_EQ(LabelValue(decoded->samples[2].labels, "__name__"), "dvc_rate");
  EXPECT_EQ(decoded->samples[3].value, 1);         // boolean true
  EXPECT_EQ(decoded->samples[4].timestamp, kNow);  // no timestamp: arrival time
}

// Escapes in every part of a line, several in one line: each token keeps its own unescaped
// text; a backslash before a byte the part does not escape stays as it is.
TEST_F(InfluxLineTest, EscapesInEveryPartAreUndone) {
  auto decoded =
      Decode("dvc\\,x\\ y,k\\=a=v\\,1,b=plain,c=a\\b,d=\\ z f\\ k=1,g=2 1761930000000000000\n");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_TRUE(decoded->errors.empty()) << decoded->errors[0].rejection.message;
  ASSERT_EQ(decoded->samples.size(), 2u);
  const Labels& labels = decoded->samples[0].labels;
  EXPECT_EQ(LabelValue(labels, "__name__"), "dvc,x y_f k");
  EXPECT_EQ(LabelValue(labels, "k=a"), "v,1");
  EXPECT_EQ(LabelValue(labels, "b"), "plain");
  EXPECT_EQ(LabelValue(labels, "c"), "a\\b");
  EXPECT_EQ(LabelValue(labels, "d"), " z");
  EXPECT_EQ(LabelValue(decoded->samples[1].labels, "__name__"), "dvc,x y_g");
  EXPECT_EQ(decoded->samples[1].labels.size(), labels.size());
}

TEST_F(InfluxLineTest, PrecisionScalesTimestamps) {
  EXPECT_EQ(Decode("m v=1 1761930000", "s")->samples[0].timestamp, kNow);
  EXPECT_EQ(Decode("m v=1 1761930000000", "ms")->samples[0].timestamp, kNow);
  EXPECT_EQ(Decode("m v=1 1761930000000999", "us")->samples[0].timestamp, kNow);
  EXPECT_EQ(Decode("m v=1 29365500", "m")->samples[0].timestamp, kNow);
  EXPECT_NE(ParseInfluxPrecision("sec").status().message().find("\"sec\" is not one of"),
            std::string::npos);
}

TEST_F(InfluxLineTest, BadLinesAreNamedAndTheGoodOnesKept) {
  auto decoded = Decode(
      "good v=1\n"
      "novalue\n"
      "m,tag v=1\n"
      "m v=abc\n"
      "m v=1 12:00\n"
      "m v=\"open\n"
      "m,a=1,a=2 v=1\n"
      "m v=1i2\n"
      "m,t=\xF4 v=1\n"
      "m v=1 99999999999999999999\n"
      "m v=1 1761930000000000000 extra\n"
      "future v=1 1861930000000000000\n"
      "m,__name__=x v=1\n"
      "also_good v=2\n");
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->samples.size(), 2u);
  EXPECT_EQ(LabelValue(decoded->samples[1].labels, "__name__"), "also_good_v");
  std::vector<std::size_t> lines;
  for (const auto& error : decoded->errors) lines.push_back(error.position);
  EXPECT_EQ(lines, (std::vector<std::size_t>{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
  const auto message = [&](std::size_t i) { return decoded->errors[i].rejection.message; };
  EXPECT_EQ(message(0), "expected a space before the fields (byte 7 of the line)");
  EXPECT_NE(message(1).find("tag \"tag\" has no '=value'"), std::string::npos);
  EXPECT_NE(message(2).find("field \"v\" has value \"abc\", not a number"), std::string::npos);
  EXPECT_NE(message(3).find("\"12:00\" is not an integer timestamp"), std::string::npos);
  EXPECT_NE(message(4).find("not closed"), std::string::npos);
  EXPECT_NE(message(5).find("label \"a\" appears twice"), std::string::npos);
  EXPECT_NE(message(6).find("value \"1i2\", not a number"), std::string::npos);
  EXPECT_NE(message(7).find("not valid UTF-8"), std::string::npos);
  EXPECT_NE(message(8).find("not an integer timestamp"), std::string::npos);
  EXPECT_NE(message(9).find("unexpected text after the timestamp"), std::string::npos);
  EXPECT_EQ(decoded->errors[10].rejection.reason, RejectReason::kFuture);
  EXPECT_NE(message(11).find("appears twice"), std::string::npos);
}

TEST_F(InfluxLineTest, MetricPrefixesOfTheTokenApply) {
  auto decoded = Decode("dvc,unit=gia_loc v=1\ncpu,unit=gia_loc v=1\n", "ns", 1);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->samples.size(), 1u);
  ASSERT_EQ(decoded->errors.size(), 1u);
  EXPECT_EQ(decoded->errors[0].position, 2u);
  EXPECT_EQ(decoded->errors[0].rejection.reason, RejectReason::kForbidden);
  EXPECT_NE(decoded->errors[0].rejection.message.find("may not write metric 'cpu_v'"),
            std::string::npos);
}

TEST_F(InfluxLineTest, AHugeLineIsRefusedWithoutEchoingIt) {
  std::string body = "m,tag=" + std::string(10u << 20, 'x') + " v=1\nok v=1\n";
  auto decoded = Decode(body);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->errors.size(), 1u);
  EXPECT_LT(decoded->errors[0].rejection.message.size(), 300u);
  EXPECT_EQ(decoded->samples.size(), 1u);
}

TEST_F(InfluxLineTest, TooManySamplesRefuseTheRequest) {
  limits_.max_items_per_request = 2;
  EXPECT_EQ(Decode("m a=1,b=2,c=3\n").status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace chiso::ingest
