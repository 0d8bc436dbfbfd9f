// YamlFields: reads the fields of one YAML mapping written by a person, turning every problem
// into a Diagnostic with the file and line to fix. Missing required fields, wrong types and
// unknown keys (typos) are all reported; a reader never throws.
//
// Usage: construct over a mapping node, ask for each field once, then call RejectUnknownKeys().
// Accessors return std::nullopt when the field is absent or invalid; a diagnostic has already
// been recorded when it was required or invalid.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/calendar.h"
#include "common/diagnostic.h"

namespace chiso {

enum class Presence { kRequired, kOptional };

// The value of `key` in a mapping, or an undefined (but valid) node when `map` is not a mapping
// or lacks the key. Use this instead of operator[], whose result for a missing key throws on
// every type query.
YAML::Node FieldOf(const YAML::Node& map, const char* key);

// 1-based line of a node, 0 when unknown.
int LineOf(const YAML::Node& node);

// Parses a whole document; a syntax error becomes a diagnostic and returns std::nullopt.
std::optional<YAML::Node> ParseYamlDocument(const std::string& file, const std::string& text,
                                            Diagnostics* problems);

// Whether `text` is an identifier: [a-z][a-z0-9_]*, at most 64 bytes.
bool IsSlug(std::string_view text);

class YamlFields {
 public:
  // `what` names the entry in messages, e.g. "indicator 'dvc_online_dossier_rate'".
  YamlFields(const YAML::Node& node, std::string what, std::string file, Diagnostics* problems);

  bool is_mapping() const { return node_.IsMap(); }
  int line() const { return LineOf(node_); }
  const std::string& file() const { return file_; }

  std::optional<std::string> String(const char* key, Presence presence);
  std::optional<std::string> Slug(const char* key, Presence presence);
  std::optional<double> Number(const char* key, Presence presence);
  std::optional<std::int64_t> Integer(const char* key, Presence presence);
  // A whole number > 0 ("<key> must be positive" otherwise).
  std::optional<std::int64_t> PositiveInteger(const char* key, Presence presence);
  // A number >= 0 ("<key> must not be negative" otherwise).
  std::optional<double> NonNegativeNumber(const char* key, Presence presence);
  // A duration such as 90s, 5m, 400d (common/duration.h); "<key>: <why>" when it does not parse.
  std::optional<std::chrono::milliseconds> Duration(const char* key, Presence presence);
  // A duration > 0: as Duration, and "<key> must be a positive duration such as <example>" for 0.
  std::optional<std::chrono::milliseconds> PositiveDuration(const char* key, Presence presence,
                                                            std::string_view example);
  std::optional<bool> Bool(const char* key, Presence presence);
  std::optional<CivilDate> Date(const char* key, Presence presence);
  std::optional<std::vector<std::string>> SlugList(const char* key, Presence presence);
  // The raw child node (undefined when absent); the key counts as known.
  YAML::Node Child(const char* key, Presence presence);

  template <typename E>
  std::optional<E> Enum(const char* key, const std::vector<std::pair<std::string_view, E>>& names,
                        Presence presence) {
    auto text = String(key, presence);
    if (!text) return std::nullopt;
    for (const auto& [name, value] : names) {
      if (name == *text) return value;
    }
    std::string allowed;
    for (const auto& [name, value] : names)
      allowed += (allowed.empty() ? "" : ", ") + std::string(name);
    ErrorAt(FieldOf(node_, key), std::string(key) + " '" + *text + "' is not one of: " + allowed);
    return std::nullopt;
  }

  // Records a problem about this entry at `node`'s line (or the entry's line).
  void ErrorAt(const YAML::Node& node, const std::string& message);
  void Error(const std::string& message) { ErrorAt(node_, message); }

  // Reports every key that no accessor asked for.
  void RejectUnknownKeys();

 private:
  std::optional<std::string> Scalar(const char* key, Presence presence);

  const YAML::Node node_;  // const: operator[] must never insert keys
  std::string what_;
  std::string file_;
  Diagnostics* problems_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace chiso
