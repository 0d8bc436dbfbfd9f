// The part of GET /metrics a scrape asks for, and the sources of series rendered for it.
//
//   GET /metrics                   everything: service metrics and every domain series
//   GET /metrics?province=ID       only the domain series of the units of province ID (one
//                                  shard; deploy/prometheus.yml scrapes one per province)
//   GET /metrics?only=service      everything but the domain series
//
// Domain series are written straight into the response by ExpositionWriter rather than built as
// prometheus-cpp MetricFamily objects: at national scale (hundreds of thousands of series) the
// objects and their serializer cost seconds and gigabytes, the writer a fraction of a second.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "catalog/catalog.h"

namespace chiso::api {

struct ScrapeScope {
  // The province whose domain series are wanted; "" for every unit.
  std::string province;
  // Service series only, no domain series.
  bool service_only = false;
  // The catalog the request is served from, to find a unit's province.
  const catalog::Catalog* catalog = nullptr;

  // Whether the domain series of a unit of `unit_province` belong in this scrape.
  bool WantsDomain(std::string_view unit_province) const {
    return !service_only && (province.empty() || province == unit_province);
  }
  // Whether series about the service itself (not about a unit) belong in this scrape.
  bool WantsService() const { return province.empty(); }
};

// Prometheus text format 0.0.4 into a string: each family's HELP and TYPE before its first
// sample (a family without samples is left out), label values escaped (\\, \", \n), values as
// the shortest text that reads back as the same double (NaN, +Inf, -Inf).
class ExpositionWriter {
 public:
  struct Label {
    std::string_view name;
    std::string_view value;
  };

  // Appends to `out`, which must outlive the writer.
  explicit ExpositionWriter(std::string* out) : out_(out) {}

  // Starts the gauge family `name`; its samples must follow before the next family starts, and a
  // family is started once per exposition.
  void Gauge(std::string_view name, std::string_view help);
  // A sample of the family just started: name{labels} value, labels in the given order.
  void Sample(std::span<const Label> labels, double value);
  void Sample(std::initializer_list<Label> labels, double value) {
    Sample(std::span<const Label>(labels.begin(), labels.size()), value);
  }

 private:
  std::string* out_;
  std::string_view name_;
  std::string_view help_;
  bool header_written_ = true;
};

// Series computed at scrape time for a scope (e.g. the indicator gauges). Thread-safe.
class MetricsExposition {
 public:
  virtual ~MetricsExposition() = default;
  virtual void Render(const ScrapeScope& scope, ExpositionWriter* out) const = 0;
};

}  // namespace chiso::api
