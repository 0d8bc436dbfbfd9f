#include "ingest/csv_readings.h"

#include <algorithm>
#include <string>

#include "ingest/reading_table.h"
#include "ingest/text.h"

namespace chiso::ingest {
namespace {

// One record's fields, quotes already removed.
struct Record {
  std::vector<std::string> fields;
};

// Splits CSV text into records, one at a time (RFC 4180 with CRLF or LF line ends).
class RecordReader {
 public:
  RecordReader(std::string_view text, char separator) : text_(text), separator_(separator) {}

  bool Done() const { return at_ >= text_.size(); }
  // The line the next record starts on.
  std::size_t line() const { return line_; }

  // The next record, or why it cannot be read. Advances past the record either way.
  Result<Record> Next() {
    Record record;
    std::string field;
    bool quoted = false;
    bool after_quote =
        false;  // just closed a quoted field: only a separator or line end may follow
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (quoted) {
        if (c == '"') {
          if (at_ < text_.size() && text_[at_] == '"') {
            field.push_back('"');
            ++at_;
          } else {
            quoted = false;
            after_quote = true;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(c);
        }
        continue;
      }
      if (c == separator_) {
        record.fields.push_back(std::move(field));
        field.clear();
        after_quote = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && at_ < text_.size() && text_[at_] == '\n') ++at_;
        ++line_;
        record.fields.push_back(std::move(field));
        return record;
      } else if (after_quote) {
        SkipRestOfRecord();
        return Status::InvalidArgument(
            "text " + Quote(std::string(1, c)) +
            " after a closing quote; a quoted field must end at a separator");
      } else if (c == '"' && field.empty()) {
        quoted = true;
      } else {
        field.push_back(c);
      }
    }
    if (quoted)
      return Status::InvalidArgument("a quoted field is not closed before the end of the file");
    record.fields.push_back(std::move(field));
    return record;
  }

 private:
  void SkipRestOfRecord() {
    while (at_ < text_.size() && text_[at_] != '\n') ++at_;
    if (at_ < text_.size()) {
      ++at_;
      ++line_;
    }
  }

  std::string_view text_;
  char separator_;
  std::size_t at_ = 0;
  std::size_t line_ = 1;
};

bool IsBlank(const Record& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return TrimSpaces(f).empty(); });
}

// The separator from the header line: ';' when it has ';' and no ','.
char DetectSeparator(std::string_view text) {
  const std::string_view header = text.substr(0, text.find('\n'));
  return header.find(';') != std::string_view::npos && header.find(',') == std::string_view::npos
             ? ';'
             : ',';
}

std::optional<Rejection> ReadRow(const Record& record, const ReadingTable& table, char separator,
                                 RawReading* reading) {
  if (record.fields.size() != table.width()) {
    return Rejection{RejectReason::kSyntax, "row has " + std::to_string(record.fields.size()) +
                                                " fields; the header has " +
                                                std::to_string(table.width()) + " (separator '" +
                                                std::string(1, separator) + "')"};
  }
  auto error = table.ReadRow(record.fields, separator == ';', reading);
  if (!error) return std::nullopt;
  return std::move(error->rejection);
}

}  // namespace

Result<std::vector<ReadingItem>> DecodeCsvReadings(std::string_view body, std::size_t max_items) {
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  const char separator = DetectSeparator(body);
  RecordReader reader(body, separator);
  if (reader.Done()) return Status::InvalidArgument("the file is empty; line 1 must be the header");
  auto header = reader.Next();
  if (!header.ok()) return Status::InvalidArgument("line 1: " + header.status().message());
  if (const std::size_t bad = FindInvalidUtf8(body.substr(0, body.find('\n')));
      bad != std::string::npos) {
    return Status::InvalidArgument("line 1 is not valid UTF-8 at byte " + std::to_string(bad) +
                                   " (save the file as \"CSV UTF-8\")");
  }
  auto table = ReadingTable::FromHeader(
      header->fields, [](std::optional<std::size_t>) { return std::string("line 1"); });
  if (!table.ok()) return table.status();

  std::vector<ReadingItem> items;
  while (!reader.Done()) {
    ReadingItem item;
    item.position = reader.line();
    auto record = reader.Next();
    if (!record.ok()) {
      item.error = Rejection{RejectReason::kSyntax, record.status().message()};
    } else if (IsBlank(*record)) {
      continue;
    } else {
      item.error = ReadRow(*record, *table, separator, &item.reading);
    }
    if (items.size() == max_items) {
      return Status::ResourceExhausted("the file has more than " + std::to_string(max_items) +
                                       " rows; at most " + std::to_string(max_items) +
                                       " are allowed per request: split it");
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace chiso::ingest
