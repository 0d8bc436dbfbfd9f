// Decoder of POST /api/v1/import/xlsx bodies: indicator readings on a sheet of an Excel workbook,
// with the columns of the CSV import (ingest/csv_readings.h) in its first non-empty row:
//
//   |   A                      | B       | C       | D     | E                       |
//   | indicator                | unit    | period  | value | comment                 |
//   | dvc_online_dossier_rate  | gia_loc | 2025-10 | 72.5  | Số liệu từ Cổng DVC     |
//
// The header and each row are read by ingest::ReadingTable, as CSV rows are. Cells are read as
// they show: text as it is; numbers exactly; a date cell in the period column as the period its
// format shows ("mm/yyyy" gives 2025-10, "dd/mm/yyyy" 2025-10-31, "yyyy" 2025); a date cell in the
// time column as a wall-clock time in the unit's time zone (RawReading::time_is_local); a date
// elsewhere as YYYY-MM-DD. Rows without any cell are skipped.
//
// Each refusal names its place as Excel does, `sheet 'Số liệu', row 7, column D: …`: the decoder
// for what it cannot read, XlsxReadings::Place for what validation refuses.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/reading.h"
#include "ingest/reading_table.h"
#include "ingest/xlsx_sheet.h"

namespace chiso::ingest {

struct XlsxReadings {
  std::string sheet;                 // the sheet read
  ReadingTable table;                // its header
  std::vector<std::size_t> columns;  // the sheet column of each table column
  std::vector<ReadingItem> items;    // one per data row, positioned by its row number

  // "sheet 'Số liệu', row 7, column D": row `row` and the sheet column of table column `column`;
  // without column when nullopt.
  std::string PlaceOf(std::size_t row, std::optional<std::size_t> column) const;
  // A validation refusal of `item` with its place in front, the column found by
  // ReadingTable::ColumnOf.
  Rejection Place(const ReadingItem& item, Rejection rejection) const;
};

// The readings on the sheet named `sheet_name`, or on the first sheet when it is empty.
// InvalidArgument when the archive, its XML or the header cannot be read, or the sheet does not
// exist (the message lists the workbook's sheets); ResourceExhausted past `limits` or with more
// than `max_items` rows.
Result<XlsxReadings> DecodeXlsxReadings(std::string_view body, std::string_view sheet_name,
                                        const XlsxLimits& limits, std::size_t max_items);

}  // namespace chiso::ingest
