#include "remote_read/series.h"

#include <algorithm>

namespace chiso::remote_read {

bool MatchesAll(std::span<const LabelMatcher> matchers, const Labels& labels) {
  return std::all_of(matchers.begin(), matchers.end(), [&](const LabelMatcher& matcher) {
    return matcher.Matches(LabelValue(labels, matcher.name()));
  });
}

Labels WithStoreLabel(Labels labels) {
  std::erase_if(labels, [](const Label& label) { return label.name == kStoreLabel; });
  const auto at =
      std::lower_bound(labels.begin(), labels.end(), kStoreLabel,
                       [](const Label& label, std::string_view name) { return label.name < name; });
  labels.insert(at, Label{std::string(kStoreLabel), std::string(kStoreName)});
  return labels;
}

}  // namespace chiso::remote_read
