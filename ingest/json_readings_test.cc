#include "ingest/json_readings.h"

#include <gtest/gtest.h>

#include <cmath>

namespace chiso::ingest {
namespace {

TEST(JsonReadingsTest, DecodesEveryField) {
  auto items = DecodeJsonReadings(R"({"readings":[
    {"indicator":"dvc_online_dossier_rate","unit":"gia_loc","value":57.3,"period":"2025-10",
     "labels":{"channel":"cổng"},"source":"dvc","comment":"Tháng 10"},
    {"indicator":"x","unit":"y","value":1,"time":1761930000000},
    {"indicator":"x","unit":"y","value":2,"time":"2025-10-31T17:00:00Z"}]})",
                                  100);
  ASSERT_TRUE(items.ok()) << items.status().message();
  ASSERT_EQ(items->size(), 3u);
  const RawReading& first = (*items)[0].reading;
  EXPECT_EQ((*items)[0].error, std::nullopt);
  EXPECT_EQ(first.indicator, "dvc_online_dossier_rate");
  EXPECT_EQ(first.value, 57.3);
  EXPECT_EQ(first.period, "2025-10");
  ASSERT_EQ(first.labels.size(), 1u);
  EXPECT_EQ(first.labels[0].second, "cổng");
  EXPECT_EQ(first.comment, "Tháng 10");
  EXPECT_EQ((*items)[1].reading.time, "1761930000000");
  EXPECT_EQ((*items)[2].reading.time, "2025-10-31T17:00:00Z");
  EXPECT_EQ((*items)[2].position, 2u);
}

TEST(JsonReadingsTest, AWrongItemCarriesItsErrorAndTheOthersStay) {
  auto items = DecodeJsonReadings(R"({"readings":[
    {"indicator":"a","unit":"b","value":"57,3","period":"2025-10"},
    {"indicator":"a","unit":"b","vlaue":5},
    42,
    {"indicator":7},
    {"indicator":"a","unit":"b","value":1e999,"period":"2025-10"},
    {"indicator":"a","unit":"b","value":1,"time":1.5},
    {"indicator":"a","unit":"b","value":1,"labels":{"k":3}},
    {"indicator":"a","unit":"b","value":1,"period":"2025-10"}]})",
                                  100);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 8u);
  const auto message = [&](std::size_t i) { return (*items)[i].error->message; };
  EXPECT_EQ((*items)[0].error->reason, RejectReason::kBadValue);
  EXPECT_EQ(message(0), "\"value\" must be a number, not a string \"57,3\"");
  EXPECT_NE(message(1).find("unknown field \"vlaue\""), std::string::npos);
  EXPECT_EQ(message(2), "a reading must be an object, not a number");
  EXPECT_EQ(message(3), "\"indicator\" must be a string, not a number 7");
  EXPECT_FALSE((*items)[4].error.has_value());  // infinite: the validator refuses it
  EXPECT_FALSE(std::isfinite(*(*items)[4].reading.value));
  EXPECT_NE(message(5).find("\"time\" must be an RFC 3339 string or whole epoch milliseconds"),
            std::string::npos);
  EXPECT_NE(message(6).find("\"labels.k\" must be a string"), std::string::npos);
  EXPECT_FALSE((*items)[7].error.has_value());
}

TEST(JsonReadingsTest, ABrokenBodyIsRefusedNamingWhere) {
  auto truncated = DecodeJsonReadings("{\"readings\":[{\"indicator\":\"a\",\n\"value\":", 100);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("line 2"), std::string::npos)
      << truncated.status().message();
  auto nan = DecodeJsonReadings(R"({"readings":[{"value":NaN}]})", 100);
  EXPECT_NE(nan.status().message().find("byte 22 (line 1, column 23)"), std::string::npos)
      << nan.status().message();
  auto not_utf8 = DecodeJsonReadings("{\"readings\":[{\"unit\":\"Gia L\xF4\x63\"}]}", 100);
  EXPECT_FALSE(not_utf8.ok());
  auto shape = DecodeJsonReadings(R"([{"indicator":"a"}])", 100);
  EXPECT_NE(shape.status().message().find("array \"readings\""), std::string::npos);
}

TEST(JsonReadingsTest, TooManyReadingsAreRefusedWhole) {
  auto items = DecodeJsonReadings(R"({"readings":[{},{},{}]})", 2);
  EXPECT_EQ(items.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(items.status().message().find("3 readings; at most 2"), std::string::npos);
}

}  // namespace
}  // namespace chiso::ingest
