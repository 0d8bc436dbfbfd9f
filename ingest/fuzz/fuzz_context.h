// What every ingest fuzz target decodes with: the test catalog, a write token without scopes,
// a fixed "now" and default limits.
#pragma once

#include "ingest/limits.h"
#include "ingest/raw_series.h"
#include "ingest/reading.h"
#include "ingest/testing/fixtures.h"

namespace chiso::ingest::fuzz {

struct FuzzContext {
  std::shared_ptr<const catalog::Catalog> catalog = testing::SmallCatalog();
  std::vector<ApiToken> tokens = testing::TestTokens();
  Principal principal{&tokens[1]};  // scoped: exercises the scope checks too
  IngestLimits limits;
  TimestampMs now = 1761930000000;
  RawSeriesContext raw{principal, now, limits, *catalog};

  // Validates every decoded reading, as the endpoints do.
  void Validate(const std::vector<ReadingItem>& items) const {
    const ReadingValidator validator(*catalog, principal, now, limits);
    for (const ReadingItem& item : items) {
      Sample sample;
      if (!item.error) (void)validator.Validate(item.reading, &sample);
    }
  }
};

inline const FuzzContext& Context() {
  static const FuzzContext* context = new FuzzContext();
  return *context;
}

}  // namespace chiso::ingest::fuzz
