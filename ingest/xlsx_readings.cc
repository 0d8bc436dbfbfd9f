#include "ingest/xlsx_readings.h"

#include <utility>

#include "ingest/text.h"

namespace chiso::ingest {
namespace {

std::string RowPlace(const std::string& sheet, std::size_t row) {
  return "sheet '" + sheet + "', row " + std::to_string(row);
}

std::string CellPlace(const std::string& sheet, std::size_t row, std::size_t column) {
  return RowPlace(sheet, row) + ", column " + ColumnName(column);
}

// A data row's fields in table order, its cells as they show (see the file comment of the
// header); a cell right of the header is refused.
std::optional<Rejection> RowFields(const XlsxReadings& readings, const SheetRow& row,
                                   std::vector<std::string>* fields, bool* time_is_local) {
  const std::optional<std::size_t> time = readings.table.Find(ReadingColumn::kTime);
  fields->assign(readings.table.width(), std::string());
  std::size_t next = 0;  // table column to look at, cells and columns both being in order
  for (const SheetCell& cell : row.cells) {
    while (next < readings.columns.size() && readings.columns[next] < cell.column) ++next;
    if (next == readings.columns.size() || readings.columns[next] != cell.column) {
      return Rejection{RejectReason::kSyntax,
                       CellPlace(readings.sheet, row.number, cell.column) + ": " +
                           "the header has no column here; the cell holds " + Quote(cell.text, 40)};
    }
    std::string& field = (*fields)[next];
    if (cell.kind == CellKind::kDate && time == next) {
      field = SerialDateTime(cell.serial);
      *time_is_local = true;
    } else {
      field = cell.text;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string XlsxReadings::PlaceOf(std::size_t row, std::optional<std::size_t> column) const {
  return column ? CellPlace(sheet, row, columns[*column]) : RowPlace(sheet, row);
}

Rejection XlsxReadings::Place(const ReadingItem& item, Rejection rejection) const {
  rejection.message = PlaceOf(item.position, table.ColumnOf(rejection.reason, item.reading)) +
                      ": " + rejection.message;
  return rejection;
}

Result<XlsxReadings> DecodeXlsxReadings(std::string_view body, std::string_view sheet_name,
                                        const XlsxLimits& limits, std::size_t max_items) {
  // One more row than items: the header.
  auto sheet = ReadXlsxSheet(body, sheet_name, limits, max_items + 1);
  if (!sheet.ok()) return sheet.status();
  if (sheet->rows.empty()) {
    return Status::InvalidArgument("sheet '" + sheet->name +
                                   "' is empty; its first row must be the header "
                                   "indicator, unit, period, value");
  }
  const SheetRow& header = sheet->rows.front();
  std::vector<std::string> names;
  std::vector<std::size_t> columns;
  for (const SheetCell& cell : header.cells) {
    names.push_back(cell.text);
    columns.push_back(cell.column);
  }
  auto table = ReadingTable::FromHeader(names, [&](std::optional<std::size_t> column) {
    return column ? CellPlace(sheet->name, header.number, columns[*column])
                  : RowPlace(sheet->name, header.number);
  });
  if (!table.ok()) return table.status();

  XlsxReadings readings{sheet->name, *std::move(table), std::move(columns), {}};
  readings.items.reserve(sheet->rows.size() - 1);
  std::vector<std::string> fields;
  for (std::size_t i = 1; i < sheet->rows.size(); ++i) {
    const SheetRow& row = sheet->rows[i];
    ReadingItem item;
    item.position = row.number;
    item.error = RowFields(readings, row, &fields, &item.reading.time_is_local);
    if (!item.error) {
      if (auto error = readings.table.ReadRow(fields, false, &item.reading)) {
        item.error = std::move(error->rejection);
        item.error->message =
            readings.PlaceOf(row.number, error->column) + ": " + item.error->message;
      }
    }
    readings.items.push_back(std::move(item));
  }
  return readings;
}

}  // namespace chiso::ingest
