// The service configuration file (deploy/chiso.yaml is the bundled example) and everything it
// names: catalog and plan files, tokens, server limits.
//
// LoadServiceConfig reads the config and every file it lists through a FileSource and returns
// all problems found as "file:line: reason" diagnostics; it never throws. A service refuses to
// start (or to reload) with any problem; `chiso check` prints them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/history_routes.h"
#include "api/remote_read_routes.h"
#include "api/router.h"
#include "api/server.h"
#include "app/file_source.h"
#include "catalog/catalog.h"
#include "common/diagnostic.h"
#include "forward/remote_write_config.h"
#include "ingest/auth.h"
#include "ingest/limits.h"
#include "notify/alerting_config.h"
#include "rules/alerting/alert_rules.h"
#include "store/store_options.h"

namespace chiso::app {

struct ServiceConfig {
  api::ServerOptions server;  // `listen:` and `server:` of the file
  // Directory of the RocksDB store, relative to the working directory. Default: ./data
  std::string data_dir = "./data";
  // The `store:` section: sync mode, group-commit window, retention. data_dir is set from the
  // field above when the store is opened.
  StoreOptions store;
  // Where POST /api/v1/admin/backup writes its copies (one sub-directory per backup, named by
  // its UTC time). Default: ./backups
  std::string backup_dir = "./backups";
  // Whether /metrics, /healthz and /readyz answer without a token. Default: true
  bool open_operational_endpoints = true;
  std::vector<ingest::ApiToken> tokens;
  // The `ingest:` section: request, label and rate limits of the write endpoints.
  ingest::IngestLimits ingest;
  // The `auth:` section: the throttle of failed authentication and the web page's sessions.
  api::AuthThrottleLimits auth_throttle;
  api::SessionLimits sessions;
  // The `queries:` section: bounds of the history endpoints and of remote read.
  api::HistoryLimits history;
  api::RemoteReadLimits remote_read;
  std::shared_ptr<const catalog::Catalog> catalog;
  // Alerting rules from the `rules:` files (docs/rules.md) and the `alerting:` section
  // (evaluation interval, Alertmanagers, webhooks).
  std::vector<rules::AlertRule> alert_rules;
  notify::AlertingConfig alerting;
  // The `remote_write:` section: where accepted samples are forwarded (forward/).
  forward::RemoteWriteConfig remote_write;
  std::vector<std::string> catalog_files;  // as resolved, for messages
  std::vector<std::string> plan_files;
  std::vector<std::string> rule_files;
};

struct ConfigLoad {
  ServiceConfig config;
  Diagnostics problems;
};

ConfigLoad LoadServiceConfig(const FileSource& files, const std::string& config_path);

// "host:port" as in `listen:` and `--listen`; InvalidArgument naming what is wrong.
Status ParseListenAddress(const std::string& text, api::ServerOptions* server);

// The token CHISO_ADMIN_TOKEN adds at start-up (SPEC §6), named "bootstrap_admin".
ingest::ApiToken BootstrapAdminToken(const std::string& secret);

}  // namespace chiso::app
