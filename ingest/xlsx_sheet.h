// XlsxSheet: one worksheet of an Excel workbook (.xlsx, Office Open XML SpreadsheetML) read from
// the bytes of its zip archive into rows of cells, for decoders of spreadsheets sent by offices.
//
// What is read: the first sheet of the workbook, or the one named; cells with shared strings,
// inline strings, formula results, booleans (TRUE, FALSE), error values (#N/A) and numbers.
// A number in a cell whose number format shows a date or a time (the built-in date formats and
// custom ones such as "dd/mm/yyyy" or "mm/yyyy") is a date, converted from Excel's serial day
// (1900 and 1904 date systems) to ISO text at what the format shows: "2025" (year only),
// "2025-10" (month), "2025-10-31" (day), "2025-10-31T08:30:00" (with a time of day).
//
// Limits, so that a zip bomb costs nothing: the archive's entry count, each entry's and all
// entries' uncompressed sizes as the archive declares them, and each entry's compression ratio are
// checked before anything is inflated, and an entry is never inflated past its declared size.
// Past a limit: ResourceExhausted naming the limit. A body that is not a zip archive, an archive
// without a workbook, a damaged entry or malformed XML: InvalidArgument naming the entry and the
// byte or the cell.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace chiso::ingest {

struct XlsxLimits {
  // Files in the archive. A workbook has about ten plus one per sheet. Default: 1,000.
  std::size_t max_entries = 1'000;
  // Uncompressed bytes of one file, and of all files together, as the archive declares them
  // (an entry is never inflated past its declared size). Default: 64 MiB each.
  std::size_t max_entry_bytes = std::size_t{64} << 20;
  std::size_t max_total_bytes = std::size_t{64} << 20;
  // Uncompressed over compressed size of a file larger than 1 MiB uncompressed. Sheets of
  // repetitive rows compress about 10–40 times; deflate's own maximum is about 1,032. Default: 500.
  std::size_t max_compression_ratio = 500;
};

enum class CellKind { kText, kNumber, kDate };

struct SheetCell {
  std::size_t column = 0;  // 0-based: column A is 0
  CellKind kind = CellKind::kText;
  // kText: the string; kNumber: the number as the file writes it ("72.5"); kDate: ISO text at the
  // precision its format shows.
  std::string text;
  // kDate: the serial day, in the 1900 date system (day 1 is 1900-01-01, fractions are the time
  // of day), whatever the workbook's system.
  double serial = 0;
};

struct SheetRow {
  std::size_t number = 0;        // 1-based, as Excel numbers rows
  std::vector<SheetCell> cells;  // non-empty cells, by increasing column
};

struct XlsxSheet {
  std::string name;            // the sheet read
  std::vector<SheetRow> rows;  // rows with at least one cell, by increasing number
};

// The sheet named `sheet_name` of the workbook in `archive`, or its first sheet when the name is
// empty. InvalidArgument when there is no such sheet, listing the workbook's sheets;
// ResourceExhausted past `limits` or when the sheet has more than `max_rows` rows with cells.
Result<XlsxSheet> ReadXlsxSheet(std::string_view archive, std::string_view sheet_name,
                                const XlsxLimits& limits, std::size_t max_rows);

// The uncompressed bytes of all the entries of `archive`, as its directory declares them (what
// ReadXlsxSheet may inflate at most), or nullopt when it is not a zip archive.
std::optional<std::size_t> XlsxUnpackedSize(std::string_view archive);

// Excel's name of a 0-based column: 0 is "A", 25 "Z", 26 "AA".
std::string ColumnName(std::size_t column);

// "YYYY-MM-DDTHH:MM:SS" of a serial day of the 1900 date system, to the second.
std::string SerialDateTime(double serial);

}  // namespace chiso::ingest
