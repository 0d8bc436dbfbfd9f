// Service: the running chiso process. It wires the modules together (config → catalog and
// tokens → router → HTTP server) and owns what a reload replaces. Endpoints live in api/;
// nothing here has logic of its own beyond that wiring.
#pragma once

#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/router.h"
#include "api/server.h"
#include "app/config.h"
#include "app/file_source.h"
#include "app/plan_forwarding.h"
#include "app/rules_runtime.h"
#include "common/clock.h"
#include "forward/forwarding.h"
#include "ingest/ingest_probe.h"
#include "store/store.h"

namespace chiso::app {

struct ServeFlags {
  std::optional<std::string> config_path;   // nullopt: the configuration embedded in the binary
  std::optional<std::string> listen;        // overrides `listen:`
  std::optional<std::string> data_dir;      // overrides `data_dir:`
  std::optional<std::string> admin_secret;  // CHISO_ADMIN_TOKEN
};

class Service {
 public:
  // Loads and checks the whole configuration. InvalidArgument with one "file:line: reason" per
  // line when anything is wrong: a service never starts on a configuration `chiso check` rejects.
  static Result<std::unique_ptr<Service>> Create(const ServeFlags& flags);
  ~Service();

  // Opens the store (FailedPrecondition when another process holds it), then starts serving.
  Status Start();
  void Stop();
  std::uint16_t port() const { return server_->port(); }
  const ServiceConfig& config() const { return config_; }
  // Valid after Start().
  Store& store() { return *store_; }

  // Re-reads config, catalog, plans and alerting rules and returns the problems found (none:
  // reloaded). On any problem the running configuration stays. Changes to the listen address,
  // data_dir, store and alerting sections need a restart.
  Diagnostics Reload();

 private:
  Service(ServeFlags flags, std::unique_ptr<FileSource> files, std::string config_path);
  // The configuration with the command-line flags applied, and every problem found.
  ConfigLoad Load() const;
  void Apply(const ServiceConfig& config);

  ServeFlags flags_;
  std::unique_ptr<FileSource> files_;
  std::string config_path_;
  ServiceConfig config_;  // as of start-up: listen address and data_dir come from here

  prometheus::Registry registry_;
  api::HttpProbe probe_{registry_};
  ingest::IngestProbe ingest_probe_{registry_};
  SystemClock clock_;  // "now" of the endpoints and the reload gauge
  prometheus::Family<prometheus::Gauge>& catalog_entries_;
  prometheus::Gauge& reload_success_;
  prometheus::Gauge& reload_timestamp_;
  api::SnapshotHolder snapshots_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<forward::Forwarding> forwarding_;  // null without remote_write endpoints
  std::unique_ptr<PlanForwarding> plan_forwarding_;  // with forwarding_; used by rules_runtime_
  std::unique_ptr<RulesRuntime> rules_runtime_;      // declared after store_: destroyed before it
  std::unique_ptr<api::Router> router_;
  std::unique_ptr<api::HttpServer> server_;
  std::mutex reload_mutex_;
};

}  // namespace chiso::app
