#include "ingest/reading_table.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "ingest/text.h"

namespace chiso::ingest {
namespace {

constexpr std::array<std::string_view, 8> kColumnNames = {
    "indicator", "unit", "period", "time", "value", "comment", "source", "indicator_name"};

std::string_view NameOf(ReadingColumn column) {
  return kColumnNames[static_cast<std::size_t>(column)];
}

Result<double> ParseNumber(std::string_view text, bool decimal_comma) {
  std::string number(TrimSpaces(text));
  if (decimal_comma && number.find('.') == std::string::npos) {
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

}  // namespace

Result<ReadingTable> ReadingTable::FromHeader(
    std::span<const std::string> names,
    const std::function<std::string(std::optional<std::size_t>)>& where) {
  std::vector<ReadingColumn> columns;
  std::array<bool, kColumnNames.size()> seen{};
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string name(TrimSpaces(names[i]));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto found = std::find(kColumnNames.begin(), kColumnNames.end(), name);
    if (found == kColumnNames.end()) {
      return Status::InvalidArgument(where(i) + ": unknown column " + Quote(names[i]) +
                                     "; the header names indicator, unit, period or time, value, "
                                     "and optionally comment, source and indicator_name");
    }
    const auto index = static_cast<std::size_t>(found - kColumnNames.begin());
    if (seen[index])
      return Status::InvalidArgument(where(i) + ": column " + Quote(name) + " appears twice");
    seen[index] = true;
    columns.push_back(static_cast<ReadingColumn>(index));
  }
  for (ReadingColumn required :
       {ReadingColumn::kIndicator, ReadingColumn::kUnit, ReadingColumn::kValue}) {
    if (!seen[static_cast<std::size_t>(required)]) {
      return Status::InvalidArgument(where(std::nullopt) + ": the header has no column " +
                                     Quote(NameOf(required)) +
                                     " (expected indicator,unit,period,value[,comment])");
    }
  }
  if (!seen[static_cast<std::size_t>(ReadingColumn::kPeriod)] &&
      !seen[static_cast<std::size_t>(ReadingColumn::kTime)]) {
    return Status::InvalidArgument(where(std::nullopt) +
                                   ": the header needs a column \"period\" or \"time\"");
  }
  return ReadingTable(std::move(columns));
}

std::optional<std::size_t> ReadingTable::Find(ReadingColumn column) const {
  const auto found = std::find(columns_.begin(), columns_.end(), column);
  if (found == columns_.end()) return std::nullopt;
  return static_cast<std::size_t>(found - columns_.begin());
}

std::optional<std::size_t> ReadingTable::ColumnOf(RejectReason reason,
                                                  const RawReading& reading) const {
  switch (reason) {
    case RejectReason::kUnknownIndicator:
    case RejectReason::kDerivedIndicator:
      return Find(ReadingColumn::kIndicator);
    case RejectReason::kUnknownUnit:
      return Find(ReadingColumn::kUnit);
    case RejectReason::kBadValue:
    case RejectReason::kOutOfDomain:
      return Find(ReadingColumn::kValue);
    case RejectReason::kBadTime:
    case RejectReason::kFuture:
      if (reading.period && reading.time) return std::nullopt;
      return Find(reading.time ? ReadingColumn::kTime : ReadingColumn::kPeriod);
    case RejectReason::kSyntax:
    case RejectReason::kBadLabel:
    case RejectReason::kForbidden:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<FieldError> ReadingTable::ReadRow(std::span<const std::string> fields,
                                                bool decimal_comma, RawReading* reading) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const std::string& field = fields[i];
    if (const std::size_t bad = FindInvalidUtf8(field); bad != std::string::npos) {
      return FieldError{
          i,
          {RejectReason::kSyntax, "column " + std::string(NameOf(columns_[i])) +
                                      " is not valid UTF-8 at byte " + std::to_string(bad) + ": " +
                                      Quote(field) + " (save the file as \"CSV UTF-8\")"}};
    }
    const std::string_view trimmed = TrimSpaces(field);
    switch (columns_[i]) {
      case ReadingColumn::kIndicator:
        reading->indicator = trimmed;
        break;
      case ReadingColumn::kUnit:
        reading->unit = trimmed;
        break;
      case ReadingColumn::kPeriod:
        if (!trimmed.empty()) reading->period = std::string(trimmed);
        break;
      case ReadingColumn::kTime:
        if (!trimmed.empty()) reading->time = std::string(trimmed);
        break;
      case ReadingColumn::kComment:
        if (!trimmed.empty()) reading->comment = field;
        break;
      case ReadingColumn::kSource:
        if (!trimmed.empty()) reading->source = std::string(trimmed);
        break;
      case ReadingColumn::kIndicatorName:  // for the person filling in a template; not stored
        break;
      case ReadingColumn::kValue: {
        if (trimmed.empty()) return FieldError{i, {RejectReason::kBadValue, "\"value\" is empty"}};
        auto value = ParseNumber(field, decimal_comma);
        if (!value.ok()) return FieldError{i, {RejectReason::kBadValue, value.status().message()}};
        reading->value = *value;
        break;
      }
    }
  }
  return std::nullopt;
}

}  // namespace chiso::ingest
