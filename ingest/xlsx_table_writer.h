// WriteXlsxTable: a table of text as a one-sheet Excel workbook (.xlsx), for the templates offices
// download, fill in and send back (api/entry_routes.h). Every cell is an inline string, so Excel
// and LibreOffice keep codes such as "2025-10" as typed rather than turning them into dates; the
// first row is the header, frozen, and columns are as wide as their longest text.
//
// The archive is what XlsxSheet (xlsx_sheet.h) and real spreadsheet programs read: the content
// types, the package and workbook relationships, the workbook and the sheet, deflated.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace chiso::ingest {

// The workbook bytes; Internal when the archive cannot be written (out of memory).
Result<std::string> WriteXlsxTable(std::string_view sheet_name,
                                   const std::vector<std::vector<std::string>>& rows);

// The pieces it is made of, for other writers of workbooks (test files too):
// a zip archive of `entries` (name, content) in memory, each deflated, or stored when `deflate`
// is false; Internal when libzip cannot write it.
Result<std::string> WriteZipArchive(const std::vector<std::pair<std::string, std::string>>& entries,
                                    bool deflate = true);
// `text` with XML's five special characters escaped, for element text and attribute values.
std::string XmlEscaped(std::string_view text);

}  // namespace chiso::ingest
