#include "ingest/limits_config.h"

#include "common/duration.h"
#include "common/yaml_fields.h"

namespace chiso::ingest {

void ReadIngestLimits(const YAML::Node& node, const std::string& file, IngestLimits* limits,
                      Diagnostics* problems) {
  YamlFields f(node, "ingest", file, problems);
  const auto positive = [&](const char* key, std::size_t* target) {
    if (auto value = f.Integer(key, Presence::kOptional)) {
      if (*value <= 0) {
        f.ErrorAt(FieldOf(node, key), std::string(key) + " must be positive");
      } else {
        *target = static_cast<std::size_t>(*value);
      }
    }
  };
  const auto non_negative = [&](const char* key, double* target) {
    if (auto value = f.Number(key, Presence::kOptional)) {
      if (*value < 0) {
        f.ErrorAt(FieldOf(node, key), std::string(key) + " must not be negative");
      } else {
        *target = *value;
      }
    }
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
  if (auto text = f.String("max_future_skew", Presence::kOptional)) {
    auto parsed = ParseDuration(*text);
    if (!parsed.ok()) {
      f.ErrorAt(FieldOf(node, "max_future_skew"), "max_future_skew: " + parsed.status().message());
    } else {
      limits->max_future_skew = *parsed;
    }
  }
  f.RejectUnknownKeys();
}

}  // namespace chiso::ingest
