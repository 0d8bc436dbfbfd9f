#include "ingest/json_readings.h"

#include <boost/json.hpp>
#include <cmath>
#include <string>

#include "ingest/text.h"

namespace chiso::ingest {
namespace {

namespace json = boost::json;

std::string_view KindName(json::kind kind) {
  switch (kind) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "something else";
}

std::string Shown(const json::value& value) {
  if (value.is_string()) return Quote(value.get_string());
  std::string text = json::serialize(value);
  return text.size() > 80 ? text.substr(0, 80) + "…" : text;
}

Rejection WrongType(std::string_view field, std::string_view wanted, const json::value& value) {
  return {RejectReason::kSyntax, "\"" + std::string(field) + "\" must be " + std::string(wanted) +
                                     ", not " + std::string(KindName(value.kind())) + " " +
                                     Shown(value)};
}

std::optional<Rejection> ReadString(const json::value& value, std::string_view field,
                                    std::string* out) {
  if (!value.is_string()) return WrongType(field, "a string", value);
  *out = value.get_string();
  return std::nullopt;
}

std::optional<Rejection> ReadValue(const json::value& value, RawReading* reading) {
  if (!value.is_number()) {
    RejectReason reason = RejectReason::kSyntax;
    if (value.is_string()) reason = RejectReason::kBadValue;
    Rejection rejection = WrongType("value", "a number", value);
    rejection.reason = reason;
    return rejection;
  }
  reading->value = value.to_number<double>();
  return std::nullopt;
}

std::optional<Rejection> ReadTime(const json::value& value, RawReading* reading) {
  if (value.is_string()) {
    reading->time = std::string(value.get_string());
  } else if (value.is_int64() || value.is_uint64()) {
    reading->time = json::serialize(value);
  } else if (value.is_double() && std::isfinite(value.get_double()) &&
             value.get_double() == std::floor(value.get_double()) && value.get_double() >= 0 &&
             value.get_double() < 1e16) {
    reading->time = std::to_string(static_cast<std::int64_t>(value.get_double()));
  } else {
    return WrongType("time", "an RFC 3339 string or whole epoch milliseconds", value);
  }
  return std::nullopt;
}

std::optional<Rejection> ReadLabels(const json::value& value, RawReading* reading) {
  if (!value.is_object()) return WrongType("labels", "an object of strings", value);
  for (const auto& [name, label_value] : value.get_object()) {
    if (!label_value.is_string()) {
      return WrongType("labels." + std::string(name), "a string", label_value);
    }
    reading->labels.emplace_back(std::string(name), std::string(label_value.get_string()));
  }
  return std::nullopt;
}

std::optional<Rejection> ReadItem(const json::value& element, RawReading* reading) {
  if (!element.is_object()) {
    return Rejection{RejectReason::kSyntax,
                     "a reading must be an object, not " + std::string(KindName(element.kind()))};
  }
  for (const auto& [key, value] : element.get_object()) {
    std::optional<Rejection> rejected;
    if (key == "indicator") {
      rejected = ReadString(value, key, &reading->indicator);
    } else if (key == "unit") {
      rejected = ReadString(value, key, &reading->unit);
    } else if (key == "value") {
      rejected = ReadValue(value, reading);
    } else if (key == "period") {
      rejected = ReadString(value, key, &reading->period.emplace());
    } else if (key == "time") {
      rejected = ReadTime(value, reading);
    } else if (key == "labels") {
      rejected = ReadLabels(value, reading);
    } else if (key == "source") {
      rejected = ReadString(value, key, &reading->source.emplace());
    } else if (key == "comment") {
      rejected = ReadString(value, key, &reading->comment.emplace());
    } else {
      rejected =
          Rejection{RejectReason::kSyntax,
                    "unknown field " + Quote(key) +
                        " (known: indicator, unit, value, period, time, labels, source, comment)"};
    }
    if (rejected) return rejected;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<ReadingItem>> DecodeJsonReadings(std::string_view body, std::size_t max_items) {
  json::parser parser;
  boost::system::error_code error;
  const std::size_t consumed = parser.write(body.data(), body.size(), error);
  if (error) {
    return Status::InvalidArgument("body is not valid JSON (or not UTF-8): " + error.message() +
                                   " at " + DescribeOffset(body, consumed));
  }
  const json::value document = parser.release();
  const json::object* object = document.if_object();
  const json::value* readings = object ? object->if_contains("readings") : nullptr;
  if (readings == nullptr || !readings->is_array()) {
    return Status::InvalidArgument(
        "body must be an object with an array \"readings\": {\"readings\": [{\"indicator\": …}]}");
  }
  const json::array& elements = readings->get_array();
  if (elements.size() > max_items) {
    return Status::ResourceExhausted("request has " + std::to_string(elements.size()) +
                                     " readings; at most " + std::to_string(max_items) +
                                     " are allowed per request: split it");
  }
  std::vector<ReadingItem> items(elements.size());
  for (std::size_t i = 0; i < elements.size(); ++i) {
    items[i].position = i;
    items[i].error = ReadItem(elements[i], &items[i].reading);
  }
  return items;
}

}  // namespace chiso::ingest
