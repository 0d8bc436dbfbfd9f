// The series a remote-read query answers, stored readings and plan series alike, and how a query's
// label matchers select them.
//
// Every answered series carries the constant label store="chiso" (kStoreLabel): Prometheus
// configured with `required_matchers: {store: chiso}` sends only the selectors that name it, and
// a matcher on `store` is judged against that constant, never against the stored series (a stored
// `store` label is replaced by it).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/label_matcher.h"
#include "common/labels.h"

namespace chiso::remote_read {

inline constexpr std::string_view kStoreLabel = "store";
inline constexpr std::string_view kStoreName = "chiso";

struct Point {
  TimestampMs timestamp = 0;
  double value = 0;

  friend bool operator==(const Point&, const Point&) = default;
};

struct ReadSeries {
  Labels labels;              // sorted by name, store="chiso" among them
  std::vector<Point> points;  // strictly ascending timestamps
};

// Whether every matcher accepts the series `labels` (a missing label counts as "").
bool MatchesAll(std::span<const LabelMatcher> matchers, const Labels& labels);

// `labels` with store="chiso" set in its place (replacing a `store` label it had).
Labels WithStoreLabel(Labels labels);

}  // namespace chiso::remote_read
