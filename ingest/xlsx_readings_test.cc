#include "ingest/xlsx_readings.h"

#include <gtest/gtest.h>

#include "ingest/testing/xlsx_files.h"

namespace chiso::ingest {
namespace {

using testing::HandMadeXlsx;

constexpr std::size_t kMaxItems = 100;

std::string Message(const ReadingItem& item) { return item.error ? item.error->message : ""; }

TEST(XlsxReadingsTest, ReadsAWorkbookSavedByLibreOffice) {
  const std::string xlsx = testing::XlsxFromCsvByLibreOffice(
      "indicator,unit,period,value,comment\n"
      "dvc_online_dossier_rate,gia_loc,2025-10,72.5,\"Số liệu từ Cổng DVC, tháng 10\"\n"
      "dvc_online_dossier_rate,gia_loc,2025-09-30,70,\n"
      "dvc_online_dossier_rate,gia_loc,2025-08,,thiếu số liệu\n",
      "Số liệu");
  auto readings = DecodeXlsxReadings(xlsx, "", {}, kMaxItems);
  ASSERT_TRUE(readings.ok()) << readings.status().message();
  EXPECT_EQ(readings->sheet, "Số liệu");
  ASSERT_EQ(readings->items.size(), 3u);
  const RawReading& first = readings->items[0].reading;
  EXPECT_EQ(readings->items[0].position, 2u);
  EXPECT_EQ(first.indicator, "dvc_online_dossier_rate");
  EXPECT_EQ(first.unit, "gia_loc");
  EXPECT_EQ(first.period, "2025-10");  // text, as typed
  EXPECT_EQ(first.value, 72.5);        // a number cell
  EXPECT_EQ(first.comment, "Số liệu từ Cổng DVC, tháng 10");
  // LibreOffice stores 2025-09-30 as a date cell (serial day, format yyyy-mm-dd).
  EXPECT_EQ(readings->items[1].reading.period, "2025-09-30");
  EXPECT_FALSE(readings->items[1].error);
  EXPECT_EQ(Message(readings->items[2]), "sheet 'Số liệu', row 4, column D: \"value\" is empty");
}

TEST(XlsxReadingsTest, ReadsSharedAndInlineStringsNumbersAndDates) {
  const std::string xlsx = HandMadeXlsx(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" "
      "t=\"inlineStr\"><is><t>unit</t></is>"
      "</c><c r=\"C1\" t=\"inlineStr\"><is><t>period</t></is></c><c r=\"D1\" t=\"s\"><v>1</v></c>"
      "</row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"inlineStr\"><is><r><t>gia_</t>"
      "</r><r><t>loc</t></r></is></c><c r=\"C2\" s=\"2\"><v>45931</v></c><c r=\"D2\"><v>1e2</v>"
      "</c></row>"
      "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>2</v></c><c r=\"B5\" t=\"s\"><v>3</v></c>"
      "<c r=\"C5\" s=\"1\"><v>45961</v></c><c r=\"D5\" t=\"str\"><v>abc</v></c></row>"
      "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>2</v></c><c r=\"B6\" t=\"s\"><v>3</v></c>"
      "<c r=\"C6\"><v>2025</v></c><c r=\"D6\"><v>3</v></c><c r=\"F6\"><v>4</v></c></row>",
      {"Indicator", "VALUE", "digital_initiatives", "Xã Gia Lộc"}, "Số liệu");
  auto readings = DecodeXlsxReadings(xlsx, "Số liệu", {}, kMaxItems);
  ASSERT_TRUE(readings.ok()) << readings.status().message();
  ASSERT_EQ(readings->items.size(), 3u);
  EXPECT_EQ(readings->items[0].reading.indicator, "digital_initiatives");
  EXPECT_EQ(readings->items[0].reading.unit, "gia_loc");    // two rich-text runs
  EXPECT_EQ(readings->items[0].reading.period, "2025-10");  // "mm/yyyy": a month
  EXPECT_EQ(readings->items[0].reading.value, 100);
  EXPECT_EQ(readings->items[1].position, 5u);
  EXPECT_EQ(readings->items[1].reading.unit, "Xã Gia Lộc");
  EXPECT_EQ(readings->items[1].reading.period, "2025-10-31");  // m/d/yyyy: a day
  EXPECT_EQ(Message(readings->items[1]),
            "sheet 'Số liệu', row 5, column D: value \"abc\" is not a number");
  EXPECT_EQ(Message(readings->items[2]),
            "sheet 'Số liệu', row 6, column F: the header has no column here; the cell holds "
            "\"4\"");
}

TEST(XlsxReadingsTest, ADateInTheTimeColumnIsAWallClockTime) {
  const std::string xlsx = HandMadeXlsx(
      "<row><c t=\"inlineStr\"><is><t>indicator</t></is></c><c t=\"inlineStr\"><is><t>unit</t></is>"
      "</c><c t=\"inlineStr\"><is><t>time</t></is></c><c t=\"inlineStr\"><is><t>value</t></is></c>"
      "</row><row><c t=\"inlineStr\"><is><t>i</t></is></c><c t=\"inlineStr\"><is><t>u</t></is></c>"
      "<c s=\"3\"><v>45961.354166666664</v></c><c><v>7</v></c></row>");
  auto readings = DecodeXlsxReadings(xlsx, "", {}, kMaxItems);
  ASSERT_TRUE(readings.ok()) << readings.status().message();
  ASSERT_EQ(readings->items.size(), 1u);
  EXPECT_EQ(readings->items[0].reading.time, "2025-10-31T08:30:00");
  EXPECT_TRUE(readings->items[0].reading.time_is_local);
  // A validation refusal is placed in the column it is about.
  const Rejection placed =
      readings->Place(readings->items[0], {RejectReason::kFuture, "time is in the future"});
  EXPECT_EQ(placed.message, "sheet 'Sheet1', row 2, column C: time is in the future");
}

TEST(XlsxReadingsTest, AMissingSheetIsRefusedListingTheSheets) {
  auto readings = DecodeXlsxReadings(HandMadeXlsx("", {}, "Số liệu"), "Tháng 10", {}, kMaxItems);
  ASSERT_FALSE(readings.ok());
  EXPECT_EQ(readings.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(readings.status().message(),
            "the workbook has no sheet \"Tháng 10\"; its sheets are 'Số liệu'");
}

TEST(XlsxReadingsTest, ABadHeaderNamesItsCell) {
  auto readings = DecodeXlsxReadings(
      HandMadeXlsx(
          "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>0</v></c><c r=\"C3\" t=\"s\"><v>1</v></c></row>",
          {"indicator", "giá trị"}),
      "", {}, kMaxItems);
  ASSERT_FALSE(readings.ok());
  EXPECT_NE(readings.status().message().find(
                "sheet 'Sheet1', row 3, column C: unknown column \"giá trị\""),
            std::string::npos)
      << readings.status().message();
}

TEST(XlsxReadingsTest, ABodyThatIsNotAWorkbookIsRefusedSayingWhy) {
  auto not_zip = DecodeXlsxReadings("indicator,unit,period,value\n", "", {}, kMaxItems);
  ASSERT_FALSE(not_zip.ok());
  EXPECT_EQ(not_zip.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_zip.status().message().find("not an .xlsx file"), std::string::npos);

  auto no_workbook =
      DecodeXlsxReadings(testing::ZipArchive({{"a.txt", "hello"}}), "", {}, kMaxItems);
  ASSERT_FALSE(no_workbook.ok());
  EXPECT_NE(no_workbook.status().message().find("has no \"xl/workbook.xml\""), std::string::npos);

  auto bad_xml = DecodeXlsxReadings(HandMadeXlsx("<row><c><v>1</v></row>"), "", {}, kMaxItems);
  ASSERT_FALSE(bad_xml.ok());
  EXPECT_NE(bad_xml.status().message().find(
                "entry \"xl/worksheets/sheet1.xml\" of the .xlsx archive is not valid XML: "),
            std::string::npos)
      << bad_xml.status().message();
  EXPECT_NE(bad_xml.status().message().find(" at byte "), std::string::npos);

  auto bad_string =
      DecodeXlsxReadings(HandMadeXlsx("<row><c t=\"s\"><v>9</v></c></row>"), "", {}, kMaxItems);
  ASSERT_FALSE(bad_string.ok());
  EXPECT_EQ(bad_string.status().message(),
            "sheet 'Sheet1', cell A1: shared string \"9\" does not exist (the workbook has 0)");
}

TEST(XlsxReadingsTest, AZipBombIsRefusedBeforeItIsInflated) {
  // 8 MiB of spaces deflate to about 8 KiB: a ratio of about 1,000.
  const std::string bomb = testing::ZipArchive({{"xl/workbook.xml", std::string(8 << 20, ' ')}});
  auto readings = DecodeXlsxReadings(bomb, "", {}, kMaxItems);
  ASSERT_FALSE(readings.ok());
  EXPECT_EQ(readings.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(readings.status().message().find("refused as a zip bomb"), std::string::npos)
      << readings.status().message();

  XlsxLimits small;
  small.max_total_bytes = 1 << 20;
  auto too_big = DecodeXlsxReadings(bomb, "", small, kMaxItems);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), StatusCode::kResourceExhausted);

  small = {};
  small.max_entries = 3;
  auto too_many = DecodeXlsxReadings(HandMadeXlsx(""), "", small, kMaxItems);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().message(), "the .xlsx archive has 6 files; at most 3 are allowed");
}

TEST(XlsxReadingsTest, MoreRowsThanItemsAreRefused) {
  std::string rows = "<row><c t=\"inlineStr\"><is><t>indicator</t></is></c></row>";
  for (int i = 0; i < 3; ++i) rows += "<row><c><v>1</v></c></row>";
  auto readings = DecodeXlsxReadings(HandMadeXlsx(rows), "", {}, 2);
  ASSERT_FALSE(readings.ok());
  EXPECT_EQ(readings.status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace chiso::ingest
