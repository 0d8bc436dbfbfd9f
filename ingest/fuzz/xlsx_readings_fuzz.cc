// libFuzzer target: POST /api/v1/import/xlsx bodies through decoding and validation. Each input
// is read twice: as the body itself (the zip archive: central directory, entry sizes, inflation,
// the limits), and as the <sheetData> of a hand-made workbook (rows, cell references, types,
// shared strings, date styles), since random bytes rarely survive an archive's CRC checks.
//
// Seeds (corpus/xlsx_readings/): workbooks LibreOffice made from CSV files (soffice --headless
// --convert-to xlsx), hand-made ones with inline strings and date styles, damaged archives
// (truncated, a flipped byte, not a zip) and <sheetData> fragments.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/fuzz/fuzz_context.h"
#include "ingest/testing/xlsx_files.h"
#include "ingest/xlsx_readings.h"

namespace {

void DecodeAndValidate(std::string_view body) {
  const auto& context = chiso::ingest::fuzz::Context();
  chiso::ingest::XlsxLimits limits;
  limits.max_entry_bytes = limits.max_total_bytes = std::size_t{1} << 20;
  auto readings = chiso::ingest::DecodeXlsxReadings(body, "", limits, 1000);
  if (!readings.ok()) return;
  context.Validate(readings->items);
  for (const chiso::ingest::ReadingItem& item : readings->items) {
    (void)readings->Place(item, {chiso::ingest::RejectReason::kBadTime, "time"});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  DecodeAndValidate(input);
  DecodeAndValidate(chiso::ingest::testing::HandMadeXlsx(
      input, {"indicator", "unit", "period", "value", "Số liệu"}));
  return 0;
}
