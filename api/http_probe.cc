#include "api/http_probe.h"

namespace chiso::api {

HttpProbe::HttpProbe(prometheus::Registry& registry)
    : durations_(
          prometheus::BuildHistogram()
              .Name("chiso_http_request_duration_seconds")
              .Help("Time from a complete request to its response, by route and status code.")
              .Register(registry)),
      rejected_(prometheus::BuildCounter()
                    .Name("chiso_http_connections_rejected_total")
                    .Help("Connections refused with 503 because the connection limit was reached.")
                    .Register(registry)
                    .Add({})) {}

void HttpProbe::RequestServed(const std::string& handler, int code, double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  durations_.Add({{"handler", handler}, {"code", std::to_string(code)}}, kBuckets).Observe(seconds);
}

}  // namespace chiso::api
