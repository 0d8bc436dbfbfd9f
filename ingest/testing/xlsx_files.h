// .xlsx workbooks for tests, fuzz seeds and benchmarks (library chiso_ingest_testing): made by
// LibreOffice from a CSV file, as an office would save one, or written by hand entry by entry
// for what LibreOffice never writes (inline strings, damaged archives, zip bombs).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chiso::ingest::testing {

// A zip archive of `entries` (name, content), each deflated, or stored when `deflate` is false.
std::string ZipArchive(const std::vector<std::pair<std::string, std::string>>& entries,
                       bool deflate = true);

// A workbook of one sheet named `sheet_name` whose <sheetData> holds `sheet_data` (XML <row>
// elements), with `shared_strings` as its shared string table; its entries are stored, not
// deflated (cheap enough for a fuzz target to make one per input). Cell styles: s="1" is the
// built-in date format m/d/yyyy (day), s="2" a custom "mm/yyyy" (month), s="3" "dd/mm/yyyy hh:mm".
std::string HandMadeXlsx(std::string_view sheet_data,
                         const std::vector<std::string>& shared_strings = {},
                         std::string_view sheet_name = "Sheet1");

// `csv` converted to .xlsx by LibreOffice (soffice --headless --convert-to xlsx, Debian package
// libreoffice-calc-nogui); the sheet is named `sheet_name`, as LibreOffice names it after the
// file. Aborts the test program when soffice fails.
std::string XlsxFromCsvByLibreOffice(std::string_view csv, std::string_view sheet_name);

}  // namespace chiso::ingest::testing
