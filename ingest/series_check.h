// Label checks shared by every protocol, so the store never sees a series it would refuse and
// the sender learns which label is wrong.
#pragma once

#include <optional>
#include <string_view>

#include "ingest/limits.h"
#include "ingest/rejection.h"
#include "store/sample.h"

namespace chiso::ingest {

// A label name as Prometheus spells them: [a-zA-Z_][a-zA-Z0-9_]*.
bool IsPrometheusLabelName(std::string_view name);

// kBadLabel when the name is empty, a name or value is not UTF-8 or longer than the limits.
// An empty value is allowed here: callers drop such labels (Prometheus: empty means absent).
std::optional<Rejection> CheckLabel(std::string_view name, std::string_view value,
                                    const IngestLimits& limits);

// Sorts `labels` by name, then kBadLabel on more labels than the limit or a repeated name.
// Each label must already have passed CheckLabel with a non-empty value.
std::optional<Rejection> FinishSeries(Labels& labels, const IngestLimits& limits);

}  // namespace chiso::ingest
