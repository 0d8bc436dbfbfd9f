#include "ingest/csv_readings.h"

#include <gtest/gtest.h>

namespace chiso::ingest {
namespace {

TEST(CsvReadingsTest, ReadsAnExcelFileWithBomSemicolonsCrlfAndDecimalCommas) {
  const std::string body =
      "\xEF\xBB\xBFIndicator;Unit;Period;Value;Comment\r\n"
      "dvc_online_dossier_rate;gia_loc;2025-10;72,5;\"Số liệu; Cổng DVC\"\r\n"
      "\r\n"
      "dvc_online_dossier_rate;gia_loc;2025-09;70;\"Ghi chú \"\"quý 3\"\"\r\nhai dòng\"\r\n"
      "dvc_online_dossier_rate;gia_loc;2025-08;abc;\r\n";
  auto items = DecodeCsvReadings(body, 100);
  ASSERT_TRUE(items.ok()) << items.status().message();
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ((*items)[0].position, 2u);
  EXPECT_EQ((*items)[0].reading.value, 72.5);
  EXPECT_EQ((*items)[0].reading.period, "2025-10");
  EXPECT_EQ((*items)[0].reading.comment, "Số liệu; Cổng DVC");
  EXPECT_EQ((*items)[1].position, 4u);
  EXPECT_EQ((*items)[1].reading.comment, "Ghi chú \"quý 3\"\r\nhai dòng");
  EXPECT_EQ((*items)[2].position, 6u);
  ASSERT_TRUE((*items)[2].error.has_value());
  EXPECT_EQ((*items)[2].error->message, "value \"abc\" is not a number");
}

TEST(CsvReadingsTest, ReadsCommaSeparatedTimeColumnsInAnyOrder) {
  auto items = DecodeCsvReadings(
      "value,time,unit,indicator,source\n"
      "1.5,2025-10-31T17:00:00Z,gia_loc,digital_initiatives,van_thu\n"
      "2,1761930000000,gia_loc,digital_initiatives,\n",
      100);
  ASSERT_TRUE(items.ok()) << items.status().message();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].reading.time, "2025-10-31T17:00:00Z");
  EXPECT_EQ((*items)[0].reading.source, "van_thu");
  EXPECT_EQ((*items)[1].reading.source, std::nullopt);
  EXPECT_EQ((*items)[1].position, 3u);
}

TEST(CsvReadingsTest, EachBadRowNamesItsLine) {
  auto items = DecodeCsvReadings(
      "indicator,unit,period,value\n"
      "a,b,2025-10\n"
      "a,b,2025-10,1,extra\n"
      "a,b,2025-10,\"1\"x\n"
      "a,\"Gia L\xF4\x63\",2025-10,1\n"
      "a,b,2025-10,1e999\n"
      "a,b,2025-10,\n"
      "a,b,2025-10,5\n",
      100);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 7u);
  const auto message = [&](std::size_t i) { return (*items)[i].error->message; };
  EXPECT_EQ((*items)[0].position, 2u);
  EXPECT_EQ(message(0), "row has 3 fields; the header has 4 (separator ',')");
  EXPECT_EQ(message(1), "row has 5 fields; the header has 4 (separator ',')");
  EXPECT_NE(message(2).find("after a closing quote"), std::string::npos);
  EXPECT_EQ((*items)[3].position, 5u);
  EXPECT_NE(message(3).find("column unit is not valid UTF-8 at byte 5: \"Gia L\\xf4c\""),
            std::string::npos)
      << message(3);
  EXPECT_NE(message(4).find("out of the range"), std::string::npos);
  EXPECT_EQ(message(5), "\"value\" is empty");
  EXPECT_FALSE((*items)[6].error.has_value());
  EXPECT_EQ((*items)[6].position, 8u);
}

TEST(CsvReadingsTest, AnUnclosedQuoteIsReportedOnItsLine) {
  auto items =
      DecodeCsvReadings("indicator,unit,period,value,comment\na,b,2025-10,1,\"open\nmore\n", 100);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].position, 2u);
  EXPECT_NE((*items)[0].error->message.find("not closed"), std::string::npos);
}

TEST(CsvReadingsTest, ABadHeaderRefusesTheFile) {
  EXPECT_NE(DecodeCsvReadings("", 10).status().message().find("empty"), std::string::npos);
  EXPECT_NE(DecodeCsvReadings("indicator,unit,period,gia_tri\n", 10)
                .status()
                .message()
                .find("line 1: unknown column \"gia_tri\""),
            std::string::npos);
  EXPECT_NE(DecodeCsvReadings("indicator,unit,value\n", 10)
                .status()
                .message()
                .find("\"period\" or \"time\""),
            std::string::npos);
  EXPECT_NE(
      DecodeCsvReadings("indicator,unit,unit,period,value\n", 10).status().message().find("twice"),
      std::string::npos);
  EXPECT_EQ(DecodeCsvReadings("indicator,unit,period,value\na,b,c,1\na,b,c,2\n", 1).status().code(),
            StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace chiso::ingest
