#include "ingest/limits_config.h"

#include "common/yaml_fields.h"

namespace chiso::ingest {

void ReadIngestLimits(const YAML::Node& node, const std::string& file, IngestLimits* limits,
                      Diagnostics* problems) {
  YamlFields f(node, "ingest", file, problems);
  const auto positive = [&](const char* key, std::size_t* target) {
    if (auto value = f.PositiveInteger(key, Presence::kOptional)) {
      *target = static_cast<std::size_t>(*value);
    }
  };
  const auto non_negative = [&](const char* key, double* target) {
    *target = f.NonNegativeNumber(key, Presence::kOptional).value_or(*target);
  };
  positive("max_items_per_request", &limits->max_items_per_request);
  positive("max_labels_per_series", &limits->max_labels_per_series);
  positive("max_label_name_bytes", &limits->max_label_name_bytes);
  positive("max_label_value_bytes", &limits->max_label_value_bytes);
  positive("max_comment_bytes", &limits->max_comment_bytes);
  positive("max_decompressed_bytes", &limits->max_decompressed_bytes);
  positive("max_in_flight_bytes", &limits->max_in_flight_bytes);
  positive("max_listed_errors", &limits->max_listed_errors);
  non_negative("rate_samples_per_second", &limits->rate_samples_per_second);
  non_negative("rate_burst_seconds", &limits->rate_burst_seconds);
  limits->max_future_skew =
      f.Duration("max_future_skew", Presence::kOptional).value_or(limits->max_future_skew);
  f.RejectUnknownKeys();
}

}  // namespace chiso::ingest
