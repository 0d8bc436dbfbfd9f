#include "ingest/series_check.h"

#include <string>

#include "ingest/text.h"

namespace chiso::ingest {
namespace {

Rejection BadLabel(std::string message) { return {RejectReason::kBadLabel, std::move(message)}; }

}  // namespace

bool IsPrometheusLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::optional<Rejection> CheckLabel(std::string_view name, std::string_view value,
                                    const IngestLimits& limits) {
  if (name.empty()) return BadLabel("a label has an empty name (value " + Quote(value) + ")");
  if (name.size() > limits.max_label_name_bytes) {
    return BadLabel("label name " + Quote(name, 40) + " is " + std::to_string(name.size()) +
                    " bytes; at most " + std::to_string(limits.max_label_name_bytes) +
                    " are allowed");
  }
  if (FindInvalidUtf8(name) != std::string_view::npos) {
    return BadLabel("label name " + Quote(name) + " is not valid UTF-8");
  }
  if (value.size() > limits.max_label_value_bytes) {
    return BadLabel("value of label " + Quote(name) + " is " + std::to_string(value.size()) +
                    " bytes; at most " + std::to_string(limits.max_label_value_bytes) +
                    " are allowed (it starts " + Quote(value, 40) + ")");
  }
  if (const std::size_t bad = FindInvalidUtf8(value); bad != std::string_view::npos) {
    return BadLabel("value of label " + Quote(name) + " is not valid UTF-8 at byte " +
                    std::to_string(bad) + ": " + Quote(value));
  }
  return std::nullopt;
}

std::optional<Rejection> FinishSeries(Labels& labels, const IngestLimits& limits) {
  if (labels.size() > limits.max_labels_per_series) {
    return BadLabel("series has " + std::to_string(labels.size()) + " labels; at most " +
                    std::to_string(limits.max_labels_per_series) + " are allowed");
  }
  // Decoders mostly hand over labels in order already: names strictly ascending are sorted and
  // none appears twice.
  std::size_t in_order = 1;
  while (in_order < labels.size() && labels[in_order - 1].name < labels[in_order].name) ++in_order;
  if (in_order >= labels.size()) return std::nullopt;
  SortLabels(labels);
  for (std::size_t i = 1; i < labels.size(); ++i) {
    if (labels[i].name == labels[i - 1].name) {
      return BadLabel("label " + Quote(labels[i].name) + " appears twice (values " +
                      Quote(labels[i - 1].value) + " and " + Quote(labels[i].value) + ")");
    }
  }
  return std::nullopt;
}

}  // namespace chiso::ingest
