#include "common/yaml_fields.h"

#include <cmath>

#include "common/duration.h"

namespace chiso {

YAML::Node FieldOf(const YAML::Node& map, const char* key) {
  if (map.IsMap()) {
    YAML::Node value = map[key];
    if (value.IsDefined()) return value;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

int LineOf(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

std::optional<YAML::Node> ParseYamlDocument(const std::string& file, const std::string& text,
                                            Diagnostics* problems) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    problems->push_back(
        {file, e.mark.is_null() ? 0 : e.mark.line + 1, "YAML syntax error: " + e.msg});
    return std::nullopt;
  }
}

bool IsSlug(std::string_view text) {
  if (text.empty() || text.size() > 64 || text[0] < 'a' || text[0] > 'z') return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

YamlFields::YamlFields(const YAML::Node& node, std::string what, std::string file,
                       Diagnostics* problems)
    : node_(node), what_(std::move(what)), file_(std::move(file)), problems_(problems) {
  if (!node_.IsMap()) Error("must be a mapping of fields");
}

void YamlFields::ErrorAt(const YAML::Node& node, const std::string& message) {
  int line = LineOf(node);
  if (line == 0) line = LineOf(node_);
  problems_->push_back({file_, line, what_ + ": " + message});
}

std::optional<std::string> YamlFields::Scalar(const char* key, Presence presence) {
  known_.insert(key);
  if (!node_.IsMap()) return std::nullopt;
  const YAML::Node value = FieldOf(node_, key);
  if (!value.IsDefined() || value.IsNull()) {
    if (presence == Presence::kRequired) Error(std::string("missing required field '") + key + "'");
    return std::nullopt;
  }
  if (!value.IsScalar()) {
    ErrorAt(value,
            std::string("field '") + key + "' must be a single value, not a list or mapping");
    return std::nullopt;
  }
  return value.Scalar();
}

std::optional<std::string> YamlFields::String(const char* key, Presence presence) {
  auto text = Scalar(key, presence);
  if (text && text->empty() && presence == Presence::kRequired) {
    ErrorAt(FieldOf(node_, key), std::string("field '") + key + "' must not be empty");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> YamlFields::Slug(const char* key, Presence presence) {
  auto text = Scalar(key, presence);
  if (text && !IsSlug(*text)) {
    ErrorAt(FieldOf(node_, key),
            std::string(key) + " '" + *text +
                "' must be lower-case ASCII letters, digits and '_', starting with a letter");
    return std::nullopt;
  }
  return text;
}

std::optional<double> YamlFields::Number(const char* key, Presence presence) {
  auto text = Scalar(key, presence);
  if (!text) return std::nullopt;
  double value = 0;
  if (!YAML::convert<double>::decode(FieldOf(node_, key), value) || !std::isfinite(value)) {
    ErrorAt(FieldOf(node_, key),
            std::string(key) + " must be a finite number, got '" + *text + "'");
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> YamlFields::Integer(const char* key, Presence presence) {
  auto text = Scalar(key, presence);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  if (!YAML::convert<std::int64_t>::decode(FieldOf(node_, key), value)) {
    ErrorAt(FieldOf(node_, key), std::string(key) + " must be a whole number, got '" + *text + "'");
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> YamlFields::PositiveInteger(const char* key, Presence presence) {
  auto value = Integer(key, presence);
  if (value && *value <= 0) {
    ErrorAt(FieldOf(node_, key), std::string(key) + " must be positive");
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlFields::NonNegativeNumber(const char* key, Presence presence) {
  auto value = Number(key, presence);
  if (value && *value < 0) {
    ErrorAt(FieldOf(node_, key), std::string(key) + " must not be negative");
    return std::nullopt;
  }
  return value;
}

std::optional<std::chrono::milliseconds> YamlFields::Duration(const char* key, Presence presence) {
  auto text = String(key, presence);
  if (!text) return std::nullopt;
  auto parsed = ParseDuration(*text);
  if (!parsed.ok()) {
    ErrorAt(FieldOf(node_, key), std::string(key) + ": " + parsed.status().message());
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::chrono::milliseconds> YamlFields::PositiveDuration(const char* key,
                                                                      Presence presence,
                                                                      std::string_view example) {
  auto value = Duration(key, presence);
  if (value && value->count() <= 0) {
    ErrorAt(FieldOf(node_, key),
            std::string(key) + " must be a positive duration such as " + std::string(example));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlFields::Bool(const char* key, Presence presence) {
  auto text = Scalar(key, presence);
  if (!text) return std::nullopt;
  bool value = false;
  if (!YAML::convert<bool>::decode(FieldOf(node_, key), value)) {
    ErrorAt(FieldOf(node_, key), std::string(key) + " must be true or false, got '" + *text + "'");
    return std::nullopt;
  }
  return value;
}

std::optional<CivilDate> YamlFields::Date(const char* key, Presence presence) {
  auto text = Scalar(key, presence);
  if (!text) return std::nullopt;
  auto date = ParseIsoDate(*text);
  if (!date.ok()) {
    ErrorAt(FieldOf(node_, key), std::string(key) + ": " + date.status().message());
    return std::nullopt;
  }
  return *date;
}

std::optional<std::vector<std::string>> YamlFields::SlugList(const char* key, Presence presence) {
  known_.insert(key);
  if (!node_.IsMap()) return std::nullopt;
  const YAML::Node list = FieldOf(node_, key);
  if (!list.IsDefined() || list.IsNull()) {
    if (presence == Presence::kRequired) Error(std::string("missing required field '") + key + "'");
    return std::nullopt;
  }
  if (!list.IsSequence()) {
    ErrorAt(list, std::string("field '") + key + "' must be a list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const YAML::Node& item : list) {
    if (!item.IsScalar() || !IsSlug(item.Scalar())) {
      ErrorAt(item, std::string("every entry of '") + key + "' must be a code like phong_vhxh");
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

YAML::Node YamlFields::Child(const char* key, Presence presence) {
  known_.insert(key);
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node child = FieldOf(node_, key);
  if ((!child.IsDefined() || child.IsNull()) && presence == Presence::kRequired) {
    Error(std::string("missing required field '") + key + "'");
  }
  return child;
}

void YamlFields::RejectUnknownKeys() {
  if (!node_.IsMap()) return;
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    if (!known_.contains(key)) ErrorAt(entry.first, "unknown field '" + key + "'");
  }
}

}  // namespace chiso
