#include "ingest/xlsx_table_writer.h"

#include <zip.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "ingest/xlsx_sheet.h"  // ColumnName

namespace chiso::ingest {
namespace {

constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
    R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
    R"(</Types>)";

constexpr std::string_view kPackageRelationships =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
    R"(</Relationships>)";

constexpr std::string_view kWorkbookRelationships =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(</Relationships>)";

}  // namespace

std::string XmlEscaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

// Characters of UTF-8 `text` (its code points), for column widths.
std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string Workbook(std::string_view sheet_name) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
         R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
         R"(<sheets><sheet name=")" +
         XmlEscaped(sheet_name) + R"(" sheetId="1" r:id="rId1"/></sheets></workbook>)";
}

std::string Sheet(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 8);
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], std::min<std::size_t>(CodePoints(row[c]) + 2, 80));
  }
  std::string xml =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
      R"(<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" )"
      R"(activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>)";
  if (!widths.empty()) {
    xml += "<cols>";
    for (std::size_t c = 0; c < widths.size(); ++c) {
      const std::string n = std::to_string(c + 1);
      xml += "<col min=\"" + n + "\" max=\"" + n + "\" width=\"" + std::to_string(widths[c]) +
             "\" customWidth=\"1\"/>";
    }
    xml += "</cols>";
  }
  xml += "<sheetData>";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string number = std::to_string(r + 1);
    xml += "<row r=\"" + number + "\">";
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      if (rows[r][c].empty()) continue;
      xml += "<c r=\"" + ColumnName(c) + number +
             "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" + XmlEscaped(rows[r][c]) +
             "</t></is></c>";
    }
    xml += "</row>";
  }
  return xml + "</sheetData></worksheet>";
}

struct SourceFree {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};

}  // namespace

Result<std::string> WriteZipArchive(const std::vector<std::pair<std::string, std::string>>& entries,
                                    bool deflate) {
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceFree> archive(
      zip_source_buffer_create(nullptr, 0, 0, &error));
  zip_t* zip = archive ? zip_open_from_source(archive.get(), ZIP_TRUNCATE, &error) : nullptr;
  if (zip == nullptr) {
    std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status::Internal("cannot write the zip archive: " + reason);
  }
  zip_error_fini(&error);
  zip_source_keep(archive.get());  // zip_close would free it; its bytes are read after
  for (const auto& [name, text] : entries) {
    zip_source_t* entry = zip_source_buffer(zip, text.data(), text.size(), 0);
    const zip_int64_t index =
        entry == nullptr ? -1 : zip_file_add(zip, name.c_str(), entry, ZIP_FL_ENC_UTF_8);
    if (index < 0 || zip_set_file_compression(zip, static_cast<zip_uint64_t>(index),
                                              deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) != 0) {
      if (entry && index < 0) zip_source_free(entry);
      std::string reason = zip_strerror(zip);
      zip_discard(zip);
      return Status::Internal("cannot write the zip entry " + name + ": " + reason);
    }
  }
  if (zip_close(zip) != 0) {
    std::string reason = zip_strerror(zip);
    zip_discard(zip);
    return Status::Internal("cannot write the zip archive: " + reason);
  }
  zip_stat_t stat;
  if (zip_source_stat(archive.get(), &stat) != 0 || zip_source_open(archive.get()) != 0) {
    return Status::Internal("cannot read the written zip archive back");
  }
  std::string bytes(stat.size, '\0');
  const zip_int64_t read = zip_source_read(archive.get(), bytes.data(), bytes.size());
  zip_source_close(archive.get());
  if (read != static_cast<zip_int64_t>(bytes.size())) {
    return Status::Internal("cannot read the written zip archive back");
  }
  return bytes;
}

Result<std::string> WriteXlsxTable(std::string_view sheet_name,
                                   const std::vector<std::vector<std::string>>& rows) {
  return WriteZipArchive({{"[Content_Types].xml", std::string(kContentTypes)},
                          {"_rels/.rels", std::string(kPackageRelationships)},
                          {"xl/workbook.xml", Workbook(sheet_name)},
                          {"xl/_rels/workbook.xml.rels", std::string(kWorkbookRelationships)},
                          {"xl/worksheets/sheet1.xml", Sheet(rows)}});
}

}  // namespace chiso::ingest
