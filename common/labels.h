// Series identities as Prometheus writes them: a list of (name, value) labels, the metric name
// under `__name__` (common/naming.h). The store validates and interns them; ingest builds them;
// the rules read them. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/naming.h"

namespace chiso {

struct Label {
  std::string name;
  std::string value;

  friend bool operator==(const Label&, const Label&) = default;
  friend auto operator<=>(const Label&, const Label&) = default;
};

// A series identity: labels sorted by name, names unique and non-empty, values non-empty (as in
// Prometheus, an empty value means the label is absent), one of the names `__name__`.
using Labels = std::vector<Label>;

// Puts hand-built labels in name order; labels of the same name keep their order.
void SortLabels(Labels& labels);
// Prometheus text form, metric{a="x",b="y"}, for messages and logs.
std::string LabelsToString(const Labels& labels);
// Appends `value` as a label value of the Prometheus text format: in double quotes, with `\`,
// `"` and newline escaped.
void AppendQuotedLabelValue(std::string& out, std::string_view value);
// The value of label `name`, or "" when the series has no such label.
std::string_view LabelValue(const Labels& labels, std::string_view name);

}  // namespace chiso
