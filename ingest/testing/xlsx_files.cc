#include "ingest/testing/xlsx_files.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/xlsx_table_writer.h"

namespace chiso::ingest::testing {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "xlsx_files: %s\n", what.c_str());
  std::abort();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

std::string ZipArchive(const std::vector<std::pair<std::string, std::string>>& entries,
                       bool deflate) {
  auto bytes = WriteZipArchive(entries, deflate);
  if (!bytes.ok()) Fail(bytes.status().message());
  return std::move(*bytes);
}

std::string HandMadeXlsx(std::string_view sheet_data,
                         const std::vector<std::string>& shared_strings,
                         std::string_view sheet_name) {
  const std::string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string relations =
      "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::string strings = "<sst xmlns=\"" + main + "\">";
  for (const std::string& text : shared_strings)
    strings += "<si><t>" + XmlEscaped(text) + "</t></si>";
  strings += "</sst>";
  return ZipArchive(
      {
          {"[Content_Types].xml",
           "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
          {"xl/workbook.xml", "<workbook xmlns=\"" + main + "\" xmlns:r=\"" + relations +
                                  "\"><sheets><sheet name=\"" + XmlEscaped(sheet_name) +
                                  "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
          {"xl/_rels/workbook.xml.rels",
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"" +
               relations +
               "/worksheet\" "
               "Target=\"worksheets/sheet1.xml\"/></Relationships>"},
          {"xl/styles.xml",
           "<styleSheet xmlns=\"" + main +
               "\"><numFmts>"
               "<numFmt numFmtId=\"164\" formatCode=\"mm/yyyy\"/>"
               "<numFmt numFmtId=\"165\" formatCode=\"dd/mm/yyyy\\ hh:mm\"/></numFmts>"
               "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
               "<xf numFmtId=\"165\"/></cellXfs></styleSheet>"},
          {"xl/sharedStrings.xml", strings},
          {"xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" + main + "\"><sheetData>" +
                                           std::string(sheet_data) + "</sheetData></worksheet>"},
      },
      false);
}

std::string XlsxFromCsvByLibreOffice(std::string_view csv, std::string_view sheet_name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("chiso-xlsx-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::create_directories(dir / "out");
  const std::filesystem::path input = dir / (std::string(sheet_name) + ".csv");
  std::ofstream(input, std::ios::binary) << csv;
  // Its own profile directory, so that conversions running at the same time do not share one.
  // CSV filter options: comma, double quote, UTF-8 (76), from line 1.
  const std::string command = "cd '" + dir.string() + "' && HOME='" + dir.string() +
                              "' soffice -env:UserInstallation=file://" + dir.string() +
                              "/profile --headless --infilter=CSV:44,34,76,1 --convert-to xlsx "
                              "--outdir out '" +
                              input.filename().string() + "' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) Fail("soffice failed: " + command);
  std::string bytes = ReadFile(dir / "out" / (std::string(sheet_name) + ".xlsx"));
  std::filesystem::remove_all(dir);
  if (bytes.empty()) Fail("soffice made no .xlsx: " + command);
  return bytes;
}

}  // namespace chiso::ingest::testing
