// The `remote_write:` section of the service config: where accepted samples are forwarded
// (Prometheus remote write 1.0) and how the durable queue in front of them behaves.
//
//   remote_write:
//     queue:
//       max_pending_samples: 1000000  # bound of the backlog; the oldest entries are dropped
//       max_samples_per_send: 2000    # beyond it (chiso_forward_samples_dropped_total{reason=
//       min_backoff: 100ms            # "queue_full"}); retries wait min_backoff doubled per
//       max_backoff: 30s              # attempt up to max_backoff, with jitter, or Retry-After
//       shards: 4                     # requests in flight per endpoint (series split by hash)
//     plan_series_refresh: 1m         # the evaluated plan series are sent when they change and
//                                     # at least this often (forward/gauge_refresh.h)
//     endpoints:
//       - name: national              # slug: the `endpoint` label of the metrics
//         url: http://vminsert:8480/insert/0/prometheus/api/v1/write
//         timeout: 10s                # per POST; default 10s
//         headers: {X-Scope-OrgID: nghe_an}
//         basic_auth: {username: chiso, password: secret}   # or bearer_token: …
//         external_labels: {chiso_instance: nghe_an_1, province: nghe_an}
//         match: ['__name__=~"chiso_indicator_reading|dvc_.*"', 'unit!=""']  # all must hold
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/diagnostic.h"
#include "common/label_matcher.h"
#include "common/labels.h"
#include "http_client/http_post.h"

namespace chiso::forward {

// One receiver of remote write.
struct Endpoint {
  std::string name;  // slug; its forwarding position is kept under this name
  std::string url;   // http://host[:port]/path
  std::chrono::milliseconds timeout{10'000};
  // Sent with every request: the configured headers, then Authorization from basic_auth or
  // bearer_token.
  http_client::HttpHeaders headers;
  Labels external_labels;           // added to every series (replacing a label of the same name)
  std::vector<LabelMatcher> match;  // a series is sent when all match; none: every series
};

struct QueueOptions {
  std::size_t max_pending_samples = 1'000'000;  // queued samples kept at most
  std::size_t max_samples_per_send = 2'000;     // per request
  std::size_t shards = 4;                       // requests in flight per endpoint
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{30'000};
};

struct RemoteWriteConfig {
  QueueOptions queue;
  // Longest time between two sends of the evaluated plan series (status, expected, targets);
  // keep it under the engine's lookback (Prometheus, Mimir: 5 minutes) minus the evaluation
  // interval.
  std::chrono::milliseconds plan_series_refresh{60'000};
  std::vector<Endpoint> endpoints;  // none: nothing is forwarded, nothing queued
};

// Reads `node` (absent or null: no endpoints); problems go to `problems` as `file:line: reason`.
RemoteWriteConfig ReadRemoteWriteConfig(const YAML::Node& node, const std::string& file,
                                        Diagnostics* problems);

// A matcher written as in PromQL: name="v", name!="v", name=~"re", name!~"re" (value in double
// quotes, \" and \\ escaped). InvalidArgument naming the text and the reason.
Result<LabelMatcher> ParseMatcher(std::string_view text);

}  // namespace chiso::forward
