#include "ingest/csv_readings.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "ingest/text.h"

namespace chiso::ingest {
namespace {

enum class Column { kIndicator, kUnit, kPeriod, kTime, kValue, kComment, kSource };
constexpr std::array<std::string_view, 7> kColumnNames = {"indicator", "unit",    "period", "time",
                                                          "value",     "comment", "source"};

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

std::string_view Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool IsBlank(const Record& record) {
  return std::all_of(record.fields.begin(), record.fields.end(),
                     [](const std::string& f) { return Trim(f).empty(); });
}

// The separator from the header line: ';' when it has ';' and no ','.
char DetectSeparator(std::string_view text) {
  const std::string_view header = text.substr(0, text.find('\n'));
  return header.find(';') != std::string_view::npos && header.find(',') == std::string_view::npos
             ? ';'
             : ',';
}

Result<double> ParseNumber(std::string_view text, char separator) {
  std::string number(Trim(text));
  if (separator == ';' && number.find('.') == std::string::npos) {
    std::replace(number.begin(), number.end(), ',', '.');
  }
  if (!number.empty() && number[0] == '+') number.erase(0, 1);
  double value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || error == std::errc::invalid_argument ||
      end != number.data() + number.size()) {
    return Status::InvalidArgument("value " + Quote(text) + " is not a number");
  }
  if (error == std::errc::result_out_of_range) {
    return Status::InvalidArgument("value " + Quote(text) + " is out of the range of a number");
  }
  return value;
}

// Maps each field position to its column; InvalidArgument on an unknown, repeated or missing one.
Result<std::vector<Column>> ReadHeader(const Record& header) {
  std::vector<Column> columns;
  std::array<bool, kColumnNames.size()> seen{};
  for (const std::string& raw : header.fields) {
    std::string name(Trim(raw));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto found = std::find(kColumnNames.begin(), kColumnNames.end(), name);
    if (found == kColumnNames.end()) {
      return Status::InvalidArgument("line 1: unknown column " + Quote(raw) +
                                     "; the header names indicator, unit, period or time, value, "
                                     "and optionally comment and source");
    }
    const auto index = static_cast<std::size_t>(found - kColumnNames.begin());
    if (seen[index])
      return Status::InvalidArgument("line 1: column " + Quote(name) + " appears twice");
    seen[index] = true;
    columns.push_back(static_cast<Column>(index));
  }
  for (Column required : {Column::kIndicator, Column::kUnit, Column::kValue}) {
    if (!seen[static_cast<std::size_t>(required)]) {
      return Status::InvalidArgument("line 1: the header has no column " +
                                     Quote(kColumnNames[static_cast<std::size_t>(required)]) +
                                     " (expected indicator,unit,period,value[,comment])");
    }
  }
  if (!seen[static_cast<std::size_t>(Column::kPeriod)] &&
      !seen[static_cast<std::size_t>(Column::kTime)]) {
    return Status::InvalidArgument("line 1: the header needs a column \"period\" or \"time\"");
  }
  return columns;
}

std::optional<Rejection> ReadRow(const Record& record, const std::vector<Column>& columns,
                                 char separator, RawReading* reading) {
  if (record.fields.size() != columns.size()) {
    return Rejection{RejectReason::kSyntax, "row has " + std::to_string(record.fields.size()) +
                                                " fields; the header has " +
                                                std::to_string(columns.size()) + " (separator '" +
                                                std::string(1, separator) + "')"};
  }
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string& field = record.fields[i];
    if (const std::size_t bad = FindInvalidUtf8(field); bad != std::string::npos) {
      return Rejection{RejectReason::kSyntax,
                       "column " + std::string(kColumnNames[static_cast<std::size_t>(columns[i])]) +
                           " is not valid UTF-8 at byte " + std::to_string(bad) + ": " +
                           Quote(field) + " (save the file as \"CSV UTF-8\")"};
    }
    const std::string_view trimmed = Trim(field);
    switch (columns[i]) {
      case Column::kIndicator:
        reading->indicator = trimmed;
        break;
      case Column::kUnit:
        reading->unit = trimmed;
        break;
      case Column::kPeriod:
        if (!trimmed.empty()) reading->period = std::string(trimmed);
        break;
      case Column::kTime:
        if (!trimmed.empty()) reading->time = std::string(trimmed);
        break;
      case Column::kComment:
        if (!trimmed.empty()) reading->comment = field;
        break;
      case Column::kSource:
        if (!trimmed.empty()) reading->source = std::string(trimmed);
        break;
      case Column::kValue: {
        if (trimmed.empty()) return Rejection{RejectReason::kBadValue, "\"value\" is empty"};
        auto value = ParseNumber(field, separator);
        if (!value.ok()) return Rejection{RejectReason::kBadValue, value.status().message()};
        reading->value = *value;
        break;
      }
    }
  }
  return std::nullopt;
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
  auto columns = ReadHeader(*header);
  if (!columns.ok()) return columns.status();

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
      item.error = ReadRow(*record, *columns, separator, &item.reading);
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
