#include <algorithm>

#include "store/sample.h"

namespace chiso {

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

}  // namespace chiso
