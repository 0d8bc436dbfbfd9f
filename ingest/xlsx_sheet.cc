#include "ingest/xlsx_sheet.h"

#include <zip.h>

#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <pugixml.hpp>

#include "common/calendar.h"
#include "ingest/text.h"

namespace chiso::ingest {
namespace {

constexpr std::size_t kRatioCheckedFrom = std::size_t{1} << 20;
// Serial days Excel can show as dates: 1900-01-01 up to 9999-12-31.
constexpr double kLastSerialDay = 2'958'465;
// Days from Excel's day 0 (1899-12-30, after its 1900 leap-year bug) to 1970-01-01.
constexpr std::int64_t kUnixEpochSerial = 25'569;
// The 1904 date system counts from 1904-01-01, 1,462 days after the 1900 system's day 0.
constexpr double k1904Offset = 1'462;

std::string_view LocalName(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node child : parent.children()) {
    if (LocalName(child) == name) return child;
  }
  return {};
}

// An attribute by its local name, whatever prefix binds its namespace (r:id, x:r).
pugi::xml_attribute Attribute(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_attribute attribute : node.attributes()) {
    std::string_view full = attribute.name();
    const std::size_t colon = full.find(':');
    if ((colon == std::string_view::npos ? full : full.substr(colon + 1)) == name) {
      return attribute;
    }
  }
  return {};
}

// The text of a string item (<si> or <is>): its <t>, or the <t> of each rich-text run <r>;
// phonetic runs (<rPh>) are left out.
std::string StringItemText(const pugi::xml_node& item) {
  std::string text;
  for (pugi::xml_node child : item.children()) {
    const std::string_view name = LocalName(child);
    if (name == "t") {
      text += child.text().get();
    } else if (name == "r") {
      text += Child(child, "t").text().get();
    }
  }
  return text;
}

template <typename Number>
std::optional<Number> ParseWhole(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// What a date format shows, from the finest part it has.
enum class DateShows { kYear, kMonth, kDay, kDateTime };

std::optional<DateShows> BuiltInDateFormat(int id) {
  if (id >= 14 && id <= 16) return DateShows::kDay;  // m/d/yyyy, d-mmm-yy, d-mmm
  if (id == 17) return DateShows::kMonth;            // mmm-yy
  if ((id >= 18 && id <= 22) || (id >= 45 && id <= 47)) return DateShows::kDateTime;
  return std::nullopt;
}

// Whether a custom format code shows a date, judged on its first section with quoted text,
// escaped characters, [colours] and [$-locale] parts removed.
std::optional<DateShows> CustomDateFormat(std::string_view code) {
  bool year = false, month = false, day = false, time = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
    if (c == ';') break;
    if (c == '"') {
      const std::size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      const std::size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == 'y') {
      year = true;
    } else if (c == 'm') {
      month = true;
    } else if (c == 'd') {
      day = true;
    } else if (c == 'h' || c == 's') {
      time = true;
    }
  }
  if (time) return DateShows::kDateTime;
  if (day) return DateShows::kDay;
  if (month) return DateShows::kMonth;
  if (year) return DateShows::kYear;
  return std::nullopt;
}

std::string DateText(double serial, DateShows shows) {
  if (shows == DateShows::kDateTime) return SerialDateTime(serial);
  const CivilDate date =
      CivilFromDays(static_cast<std::int64_t>(std::floor(serial)) - kUnixEpochSerial);
  std::string day = date.ToString();  // YYYY-MM-DD
  if (shows == DateShows::kYear) day.resize(4);
  if (shows == DateShows::kMonth) day.resize(7);
  return day;
}

// The bytes of a zip archive, read entry by entry within XlsxLimits.
class Archive {
 public:
  static Result<Archive> Open(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (!zip) {
      if (source) zip_source_free(source);
      std::string reason = zip_error_strerror(&error);
      zip_error_fini(&error);
      return Status::InvalidArgument(
          "the body is not an .xlsx file: it cannot be read as a zip archive (" + reason +
          "); save the workbook as \"Excel Workbook (.xlsx)\"");
    }
    zip_error_fini(&error);
    return Archive(zip);
  }

  // The uncompressed bytes of all entries, as the archive's directory declares them.
  std::size_t DeclaredSize() const {
    std::size_t total = 0;
    const zip_int64_t entries = zip_get_num_entries(zip_.get(), 0);
    for (zip_int64_t i = 0; i < entries; ++i) {
      zip_stat_t stat;
      if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &stat) == 0) {
        total += static_cast<std::size_t>(stat.size);
      }
    }
    return total;
  }

  // ResourceExhausted when the entries' count, declared sizes or compression ratios pass `limits`.
  Status CheckSizes(const XlsxLimits& limits) const {
    const zip_int64_t entries = zip_get_num_entries(zip_.get(), 0);
    if (entries < 0 || static_cast<std::size_t>(entries) > limits.max_entries) {
      return Status::ResourceExhausted("the .xlsx archive has " + std::to_string(entries) +
                                       " files; at most " + std::to_string(limits.max_entries) +
                                       " are allowed");
    }
    if (DeclaredSize() > limits.max_total_bytes) {
      return Status::ResourceExhausted("the .xlsx archive unpacks to more than " +
                                       std::to_string(limits.max_total_bytes) +
                                       " bytes, the limit; split the workbook");
    }
    for (zip_int64_t i = 0; i < entries; ++i) {
      zip_stat_t stat;
      if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &stat) != 0) {
        return Damaged("#" + std::to_string(i), zip_strerror(zip_.get()));
      }
      const std::string name = stat.name ? stat.name : "#" + std::to_string(i);
      if (stat.size > limits.max_entry_bytes) {
        return Status::ResourceExhausted(
            "entry " + Quote(name) + " of the .xlsx archive unpacks to " +
            std::to_string(stat.size) + " bytes; at most " +
            std::to_string(limits.max_entry_bytes) + " are allowed per file");
      }
      if (stat.size > kRatioCheckedFrom &&
          stat.size > static_cast<zip_uint64_t>(limits.max_compression_ratio) * stat.comp_size) {
        return Status::ResourceExhausted(
            "entry " + Quote(name) + " of the .xlsx archive is compressed " +
            std::to_string(stat.comp_size) + " bytes to " + std::to_string(stat.size) +
            ", more than " + std::to_string(limits.max_compression_ratio) +
            " times: refused as a zip bomb");
      }
    }
    return Status::Ok();
  }

  // The entry `name` inflated, or nullopt when the archive has none.
  Result<std::optional<std::string>> Read(const std::string& name) const {
    const zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::optional<std::string>();
    zip_stat_t stat;
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
      return Damaged(name, zip_strerror(zip_.get()));
    }
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0), &zip_fclose);
    if (!file) return Damaged(name, zip_strerror(zip_.get()));
    // One byte more than declared, so that an entry longer than it says is caught.
    std::string content(static_cast<std::size_t>(stat.size) + 1, '\0');
    std::size_t filled = 0;
    while (filled < content.size()) {
      const zip_int64_t got =
          zip_fread(file.get(), content.data() + filled, content.size() - filled);
      if (got < 0) return Damaged(name, zip_file_strerror(file.get()));
      if (got == 0) break;
      filled += static_cast<std::size_t>(got);
    }
    if (filled != stat.size) {
      return Damaged(name, "it inflates to " + std::to_string(filled) + " bytes, not the " +
                               std::to_string(stat.size) + " it declares");
    }
    content.resize(filled);
    return std::optional<std::string>(std::move(content));
  }

 private:
  explicit Archive(zip_t* zip) : zip_(zip, &zip_discard) {}

  static Status Damaged(const std::string& name, const std::string& reason) {
    return Status::InvalidArgument("the .xlsx archive is damaged: entry " + Quote(name) +
                                   " cannot be read (" + reason + ")");
  }

  std::unique_ptr<zip_t, decltype(&zip_discard)> zip_;
};

// An XML entry parsed, or InvalidArgument naming the entry and the byte of the error.
Result<pugi::xml_document> ParseXml(const std::string& name, const std::string& content) {
  pugi::xml_document document;
  const pugi::xml_parse_result parsed = document.load_buffer(
      content.data(), content.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Status::InvalidArgument("entry " + Quote(name) +
                                   " of the .xlsx archive is not valid "
                                   "XML: " +
                                   parsed.description() + " at byte " +
                                   std::to_string(parsed.offset));
  }
  return document;
}

// An entry that the workbook must have, parsed.
Result<pugi::xml_document> RequiredXml(const Archive& archive, const std::string& name) {
  auto content = archive.Read(name);
  if (!content.ok()) return content.status();
  if (!*content) {
    return Status::InvalidArgument("the zip archive has no " + Quote(name) +
                                   ": it is not an .xlsx workbook; save it as \"Excel Workbook "
                                   "(.xlsx)\"");
  }
  return ParseXml(name, **content);
}

// An entry the workbook may leave out (sharedStrings.xml, styles.xml): an empty document then.
Result<pugi::xml_document> OptionalXml(const Archive& archive, const std::string& name) {
  auto content = archive.Read(name);
  if (!content.ok()) return content.status();
  if (!*content) return pugi::xml_document();
  return ParseXml(name, **content);
}

// The workbook's sheets, in order, with the archive entries that hold them.
struct SheetEntry {
  std::string name;
  std::string path;
};

Result<std::vector<SheetEntry>> ListSheets(const Archive& archive, bool* date1904) {
  auto workbook = RequiredXml(archive, "xl/workbook.xml");
  if (!workbook.ok()) return workbook.status();
  auto relations = RequiredXml(archive, "xl/_rels/workbook.xml.rels");
  if (!relations.ok()) return relations.status();
  const pugi::xml_node root = workbook->document_element();
  const std::string_view system = Attribute(Child(root, "workbookPr"), "date1904").value();
  *date1904 = system == "1" || system == "true";

  std::vector<SheetEntry> sheets;
  for (pugi::xml_node sheet : Child(root, "sheets").children()) {
    if (LocalName(sheet) != "sheet") continue;
    const std::string_view id = Attribute(sheet, "id").value();
    std::string target;
    for (pugi::xml_node relation : relations->document_element().children()) {
      if (id == relation.attribute("Id").value()) target = relation.attribute("Target").value();
    }
    if (target.empty()) {
      return Status::InvalidArgument("the .xlsx workbook's sheet " +
                                     Quote(sheet.attribute("name").value()) +
                                     " has no entry in xl/_rels/workbook.xml.rels");
    }
    sheets.push_back({sheet.attribute("name").value(),
                      target.starts_with('/') ? target.substr(1) : "xl/" + target});
  }
  if (sheets.empty()) return Status::InvalidArgument("the .xlsx workbook has no sheet");
  return sheets;
}

// What each cell style (the `s` of a cell) shows when it is a date; nullopt for other styles.
std::vector<std::optional<DateShows>> ReadDateStyles(const pugi::xml_document& styles) {
  const pugi::xml_node root = styles.document_element();
  std::vector<std::pair<int, std::string>> custom;
  for (pugi::xml_node format : Child(root, "numFmts").children()) {
    if (auto id = ParseWhole<int>(format.attribute("numFmtId").value())) {
      custom.emplace_back(*id, format.attribute("formatCode").value());
    }
  }
  std::vector<std::optional<DateShows>> shows;
  for (pugi::xml_node style : Child(root, "cellXfs").children()) {
    if (LocalName(style) != "xf") continue;
    const int id = ParseWhole<int>(style.attribute("numFmtId").value()).value_or(0);
    std::optional<DateShows> date = BuiltInDateFormat(id);
    for (const auto& [custom_id, code] : custom) {
      if (custom_id == id) date = CustomDateFormat(code);
    }
    shows.push_back(date);
  }
  return shows;
}

// Reads the cells of a worksheet's <sheetData>.
class SheetReader {
 public:
  SheetReader(std::string sheet, std::vector<std::string> shared_strings,
              std::vector<std::optional<DateShows>> date_styles, bool date1904)
      : sheet_(std::move(sheet)),
        shared_strings_(std::move(shared_strings)),
        date_styles_(std::move(date_styles)),
        date1904_(date1904) {}

  Result<std::vector<SheetRow>> Rows(const pugi::xml_document& document, std::size_t max_rows) {
    std::vector<SheetRow> rows;
    std::size_t last_row = 0;
    for (pugi::xml_node row : Child(document.document_element(), "sheetData").children()) {
      if (LocalName(row) != "row") continue;
      SheetRow out;
      const pugi::xml_attribute number = row.attribute("r");
      out.number = number ? ParseWhole<std::size_t>(number.value()).value_or(0) : last_row + 1;
      if (out.number <= last_row || out.number > kMaxRows) {
        return Status::InvalidArgument("sheet " + QuoteSheet() + ": row number " +
                                       Quote(number.value()) + " after row " +
                                       std::to_string(last_row) + " is not a valid row number");
      }
      last_row = out.number;
      std::optional<std::size_t> last_column;
      for (pugi::xml_node cell : row.children()) {
        if (LocalName(cell) != "c") continue;
        auto read = ReadCell(cell, out.number, last_column);
        if (!read.ok()) return read.status();
        last_column = read->column;
        if (read->kind != CellKind::kText || !read->text.empty())
          out.cells.push_back(*std::move(read));
      }
      if (out.cells.empty()) continue;
      if (rows.size() == max_rows) {
        return Status::ResourceExhausted(
            "sheet " + QuoteSheet() + " has more than " + std::to_string(max_rows) +
            " rows; at most " + std::to_string(max_rows) + " are allowed per request: split it");
      }
      rows.push_back(std::move(out));
    }
    return rows;
  }

 private:
  static constexpr std::size_t kMaxRows = 1'048'576;  // Excel's limits
  static constexpr std::size_t kMaxColumns = 16'384;  // A..XFD

  std::string QuoteSheet() const { return "'" + sheet_ + "'"; }

  Status CellError(const std::string& cell, const std::string& problem) const {
    return Status::InvalidArgument("sheet " + QuoteSheet() + ", cell " + cell + ": " + problem);
  }

  // The 0-based column of reference `reference` ("D7") in row `row`.
  Result<std::size_t> ColumnOf(std::string_view reference, std::size_t row) const {
    std::size_t column = 0, letters = 0;
    while (letters < reference.size() && letters < 3 && reference[letters] >= 'A' &&
           reference[letters] <= 'Z') {
      column = column * 26 + static_cast<std::size_t>(reference[letters] - 'A' + 1);
      ++letters;
    }
    if (letters == 0 || column > kMaxColumns ||
        ParseWhole<std::size_t>(reference.substr(letters)) != row) {
      return Status::InvalidArgument("sheet " + QuoteSheet() + ", row " + std::to_string(row) +
                                     ": " + Quote(reference) +
                                     " is not a cell reference of that row");
    }
    return column - 1;
  }

  Result<SheetCell> ReadCell(const pugi::xml_node& cell, std::size_t row,
                             std::optional<std::size_t> last_column) const {
    SheetCell out;
    const pugi::xml_attribute reference = cell.attribute("r");
    if (reference) {
      auto column = ColumnOf(reference.value(), row);
      if (!column.ok()) return column.status();
      out.column = *column;
    } else {
      out.column = last_column ? *last_column + 1 : 0;
    }
    if (last_column && out.column <= *last_column) {
      return CellError(ColumnName(out.column) + std::to_string(row),
                       "it comes after column " + ColumnName(*last_column) +
                           "; cells of a row must be in column order");
    }
    const std::string name = ColumnName(out.column) + std::to_string(row);
    const std::string_view type = cell.attribute("t").value();
    const char* value = Child(cell, "v").text().get();
    if (type == "inlineStr") {
      out.text = StringItemText(Child(cell, "is"));
    } else if (type == "s") {
      const auto index = ParseWhole<std::size_t>(value);
      if (!index || *index >= shared_strings_.size()) {
        return CellError(name, "shared string " + Quote(value) +
                                   " does not exist (the workbook has " +
                                   std::to_string(shared_strings_.size()) + ")");
      }
      out.text = shared_strings_[*index];
    } else if (type == "b") {
      out.text = std::string_view(value) == "1" ? "TRUE" : "FALSE";
    } else if (type == "str" || type == "e" || type == "d") {
      out.text = value;
    } else if (type.empty() || type == "n") {
      if (*value == '\0') return out;  // a styled cell without a value
      return Number(cell, name, value, std::move(out));
    } else {
      return CellError(name, "unknown cell type " + Quote(type));
    }
    return out;
  }

  Result<SheetCell> Number(const pugi::xml_node& cell, const std::string& name,
                           std::string_view value, SheetCell out) const {
    double number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (error != std::errc() || end != value.data() + value.size() || !std::isfinite(number)) {
      return CellError(name, "number " + Quote(value) + " is not a number");
    }
    const auto style = ParseWhole<std::size_t>(cell.attribute("s").value());
    const std::optional<DateShows> date =
        style && *style < date_styles_.size() ? date_styles_[*style] : std::nullopt;
    const double serial = date1904_ ? number + k1904Offset : number;
    if (date && serial >= 0 && serial <= kLastSerialDay) {
      out.kind = CellKind::kDate;
      out.serial = serial;
      out.text = DateText(serial, *date);
    } else {
      out.kind = CellKind::kNumber;
      out.text = value;
    }
    return out;
  }

  std::string sheet_;
  std::vector<std::string> shared_strings_;
  std::vector<std::optional<DateShows>> date_styles_;
  bool date1904_;
};

}  // namespace

std::string ColumnName(std::size_t column) {
  std::string name;
  for (std::size_t n = column + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

std::string SerialDateTime(double serial) {
  const auto seconds = static_cast<std::int64_t>(std::llround(serial * 86'400));
  const std::int64_t days = seconds / 86'400, of_day = seconds % 86'400;
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02d", static_cast<int>(of_day / 3600),
                static_cast<int>(of_day / 60 % 60), static_cast<int>(of_day % 60));
  return CivilFromDays(days - kUnixEpochSerial).ToString() + time;
}

std::optional<std::size_t> XlsxUnpackedSize(std::string_view bytes) {
  auto archive = Archive::Open(bytes);
  if (!archive.ok()) return std::nullopt;
  return archive->DeclaredSize();
}

Result<XlsxSheet> ReadXlsxSheet(std::string_view bytes, std::string_view sheet_name,
                                const XlsxLimits& limits, std::size_t max_rows) {
  auto archive = Archive::Open(bytes);
  if (!archive.ok()) return archive.status();
  if (Status checked = archive->CheckSizes(limits); !checked.ok()) return checked;
  bool date1904 = false;
  auto sheets = ListSheets(*archive, &date1904);
  if (!sheets.ok()) return sheets.status();
  const SheetEntry* chosen = &sheets->front();
  if (!sheet_name.empty()) {
    chosen = nullptr;
    std::string names;
    for (const SheetEntry& sheet : *sheets) {
      if (sheet.name == sheet_name) chosen = &sheet;
      names += (names.empty() ? "'" : ", '") + sheet.name + "'";
    }
    if (!chosen) {
      return Status::InvalidArgument("the workbook has no sheet " + Quote(sheet_name) +
                                     "; its sheets are " + names);
    }
  }

  auto strings = OptionalXml(*archive, "xl/sharedStrings.xml");
  if (!strings.ok()) return strings.status();
  std::vector<std::string> shared_strings;
  for (pugi::xml_node item : strings->document_element().children()) {
    if (LocalName(item) == "si") shared_strings.push_back(StringItemText(item));
  }
  auto styles = OptionalXml(*archive, "xl/styles.xml");
  if (!styles.ok()) return styles.status();
  auto worksheet = RequiredXml(*archive, chosen->path);
  if (!worksheet.ok()) return worksheet.status();

  SheetReader reader(chosen->name, std::move(shared_strings), ReadDateStyles(*styles), date1904);
  auto rows = reader.Rows(*worksheet, max_rows);
  if (!rows.ok()) return rows.status();
  return XlsxSheet{chosen->name, *std::move(rows)};
}

}  // namespace chiso::ingest
