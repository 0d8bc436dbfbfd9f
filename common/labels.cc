#include "common/labels.h"

#include <algorithm>

namespace chiso {

void SortLabels(Labels& labels) {
  const auto by_name = [](const Label& a, const Label& b) { return a.name < b.name; };
  // A series has a handful of labels: insertion sort, stable like std::stable_sort but without
  // its scratch buffer (a heap allocation per ingested sample).
  constexpr std::size_t kInsertionSortMax = 16;
  if (labels.size() > kInsertionSortMax) {
    std::stable_sort(labels.begin(), labels.end(), by_name);
    return;
  }
  for (std::size_t i = 1; i < labels.size(); ++i) {
    for (std::size_t j = i; j > 0 && by_name(labels[j], labels[j - 1]); --j) {
      std::swap(labels[j], labels[j - 1]);
    }
  }
}

void AppendQuotedLabelValue(std::string& out, std::string_view value) {
  out.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

std::string LabelsToString(const Labels& labels) {
  std::string out(LabelValue(labels, kMetricNameLabel));
  out.push_back('{');
  bool first = true;
  for (const Label& label : labels) {
    if (label.name == kMetricNameLabel) continue;
    if (!first) out.push_back(',');
    first = false;
    out.append(label.name);
    out.push_back('=');
    AppendQuotedLabelValue(out, label.value);
  }
  out.push_back('}');
  return out;
}

std::string_view LabelValue(const Labels& labels, std::string_view name) {
  for (const Label& label : labels) {
    if (label.name == name) return label.value;
  }
  return {};
}

}  // namespace chiso
