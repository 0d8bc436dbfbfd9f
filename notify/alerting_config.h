// The `alerting:` section of the service config: how often to evaluate and where to send alerts.
//
//   alerting:
//     evaluation_interval: 1m          # default 1m
//     evaluation_min_gap: 1s           # least time between evaluations that writes bring on
//     resend_interval: 1m              # default 1m
//     external_url: http://chiso.xa.vn:9157   # how receivers link back; default
//     http://127.0.0.1:9157 alertmanagers: [http://127.0.0.1:9093] webhooks:
//       - {name: phong_vhxh, url: "http://10.0.0.5:8080/chiso", offices: [phong_vhxh]}
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/diagnostic.h"
#include "notify/notifier.h"

namespace chiso::notify {

struct AlertingConfig {
  std::chrono::milliseconds evaluation_interval{60'000};
  // A write, a reload or a task progress evaluates at once, but never sooner than this after the
  // previous evaluation began: a stream of writes evaluates at this pace, not back to back.
  std::chrono::milliseconds evaluation_min_gap{1'000};
  NotifierOptions notifier;
  std::vector<Receiver> receivers;
};

// Reads `node` (absent or null: the defaults, no receivers); problems go to `problems` with
// `file` and the line.
AlertingConfig ReadAlertingConfig(const YAML::Node& node, const std::string& file,
                                  Diagnostics* problems);

}  // namespace chiso::notify
