// Decoder of POST /api/v1/import/csv bodies, as office spreadsheets save them:
//
//   indicator,unit,period,value,comment
//   dvc_online_dossier_rate,gia_loc,2025-10,72.5,"Số liệu từ Cổng DVC, tháng 10"
//
// The header names the columns, in any order, case-insensitively: indicator, unit, value, one of
// period or time, optionally comment, source and indicator_name (ignored). Accepted Excel quirks: a
// UTF-8 byte-order mark,
// `;` as the separator (chosen when the header has `;` and no `,`; then a decimal comma "72,5" is
// read as 72.5), CRLF line ends, quoted fields with "" for a quote and line breaks inside quotes,
// blank lines. The text must be UTF-8 (Excel: "CSV UTF-8").
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/reading.h"

namespace chiso::ingest {

// One ReadingItem per data row, positioned by the 1-based line on which the row starts; a row
// that cannot be read (wrong number of fields, bad number, invalid UTF-8) carries its error.
// InvalidArgument when the header is missing or names an unknown or repeated column, or lacks a
// required one; ResourceExhausted when there are more than `max_items` rows.
Result<std::vector<ReadingItem>> DecodeCsvReadings(std::string_view body, std::size_t max_items);

}  // namespace chiso::ingest
