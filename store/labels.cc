#include <algorithm>

#include "store/sample.h"

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

Status ValidateLabels(const Labels& labels) {
  if (labels.size() > kMaxLabelsPerSeries) {
    return Status::InvalidArgument("series has " + std::to_string(labels.size()) +
                                   " labels; at most " + std::to_string(kMaxLabelsPerSeries) +
                                   " are allowed");
  }
  bool has_name = false;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const Label& label = labels[i];
    if (label.name.empty()) return Status::InvalidArgument("a label has an empty name");
    if (label.value.empty()) {
      return Status::InvalidArgument("label \"" + label.name + "\" has an empty value");
    }
    if (label.name.size() > kMaxLabelBytes || label.value.size() > kMaxLabelBytes) {
      return Status::InvalidArgument("label \"" + label.name.substr(0, 64) + "\" is longer than " +
                                     std::to_string(kMaxLabelBytes) + " bytes");
    }
    if (i > 0 && labels[i - 1].name >= label.name) {
      return Status::InvalidArgument(labels[i - 1].name == label.name
                                         ? "label \"" + label.name + "\" appears twice"
                                         : "labels are not sorted by name: \"" +
                                               labels[i - 1].name + "\" comes before \"" +
                                               label.name + "\"");
    }
    has_name = has_name || label.name == kMetricNameLabel;
  }
  if (!has_name) return Status::InvalidArgument("series has no metric name (label __name__)");
  return Status::Ok();
}

namespace {

void AppendQuoted(std::string& out, std::string_view value) {
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

}  // namespace

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
    AppendQuoted(out, label.value);
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
