// ReadingTable: the columns of a table of indicator readings, as CSV files and spreadsheets hold
// them, and the reading of one row of text fields into a RawReading. The CSV and the .xlsx
// decoders both feed their rows here, so both accept the same header and refuse the same fields
// with the same messages; each names where a problem is in its own terms (CSV line, sheet row
// and column).
//
// The header names the columns, in any order, case-insensitively: indicator, unit, value, one of
// period or time, optionally comment and source, and indicator_name: the indicator's name that
// templates carry for the person filling them in (api/entry_routes.h), read and not stored.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/reading.h"
#include "ingest/rejection.h"

namespace chiso::ingest {

enum class ReadingColumn {
  kIndicator,
  kUnit,
  kPeriod,
  kTime,
  kValue,
  kComment,
  kSource,
  kIndicatorName
};

// A field's refusal and the 0-based column it is in (nullopt: the row as a whole).
struct FieldError {
  std::optional<std::size_t> column;
  Rejection rejection;
};

class ReadingTable {
 public:
  // The table whose header row holds `names`; InvalidArgument when a name is unknown or repeated
  // or a required column is missing. `where(column)` names a header cell in the message ("line 1",
  // "sheet 'Số liệu', row 1, column C"); it is called with nullopt for the header as a whole.
  static Result<ReadingTable> FromHeader(
      std::span<const std::string> names,
      const std::function<std::string(std::optional<std::size_t>)>& where);

  // How many columns the header has.
  std::size_t width() const { return columns_.size(); }
  // The 0-based position of `column`, or nullopt when the header does not name it.
  std::optional<std::size_t> Find(ReadingColumn column) const;
  // The column a validation refusal is about (value for a bad value, period or time for a bad
  // time, …), or nullopt when it is about the row as a whole (a scope, the labels).
  std::optional<std::size_t> ColumnOf(RejectReason reason, const RawReading& reading) const;

  // Reads one data row of exactly width() fields into `reading`. `decimal_comma`: "72,5" is 72.5
  // (CSV files separated by `;`). The error names the first bad field; empty optional fields stay
  // nullopt.
  std::optional<FieldError> ReadRow(std::span<const std::string> fields, bool decimal_comma,
                                    RawReading* reading) const;

 private:
  explicit ReadingTable(std::vector<ReadingColumn> columns) : columns_(std::move(columns)) {}

  std::vector<ReadingColumn> columns_;
};

}  // namespace chiso::ingest
