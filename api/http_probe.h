// HttpProbe: the HTTP server's own metrics, registered in the service's prometheus registry.
//   chiso_http_request_duration_seconds{handler,code}  histogram of time to answer a request
//   chiso_http_connections_rejected_total               connections refused at the connection cap
// Thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace chiso::api {

class HttpProbe {
 public:
  explicit HttpProbe(prometheus::Registry& registry);

  void RequestServed(const std::string& handler, int code, double seconds);
  void ConnectionRejected() { rejected_.Increment(); }

 private:
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Counter& rejected_;
};

}  // namespace chiso::api
