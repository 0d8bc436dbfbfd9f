#include "ingest/raw_series.h"

namespace chiso::ingest {

std::optional<Rejection> RawSampleGate::MayWrite(std::string_view metric) {
  if (!last_allowed_.empty() && metric == last_allowed_) return std::nullopt;
  if (Status allowed = context_.principal.MayWriteMetric(metric); !allowed.ok()) {
    return Rejection{RejectReason::kForbidden, allowed.message()};
  }
  last_allowed_ = metric;
  return std::nullopt;
}

std::optional<Rejection> RawSampleGate::MayWriteSeries(const Labels& labels) const {
  if (!scoped_) return std::nullopt;  // MayWrite has checked the role already
  if (Status allowed = context_.principal.MayWriteSeries(labels, context_.catalog); !allowed.ok()) {
    return Rejection{RejectReason::kForbidden, allowed.message()};
  }
  return std::nullopt;
}

std::optional<Rejection> RawSampleGate::CheckTimestamp(TimestampMs timestamp) const {
  if (timestamp < kMinSampleTimestamp) {
    return Rejection{RejectReason::kBadTime,
                     "timestamp " + std::to_string(timestamp) + " ms is before 1970"};
  }
  if (timestamp > context_.now + context_.limits.max_future_skew.count()) {
    return Rejection{RejectReason::kFuture, "timestamp " + std::to_string(timestamp) +
                                                " ms is in the future (now is " +
                                                std::to_string(context_.now) + " ms)"};
  }
  return std::nullopt;
}

}  // namespace chiso::ingest
