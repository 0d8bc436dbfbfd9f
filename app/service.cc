#include "app/service.h"

#include "api/admin_routes.h"
#include "api/catalog_routes.h"
#include "api/entry_routes.h"
#include "api/history_routes.h"
#include "api/ingest_routes.h"
#include "api/remote_read_routes.h"
#include "app/store_metrics.h"
#include "web/page_routes.h"

namespace chiso::app {
namespace {

// The problems as one error, a "file:line: reason" per line, for `chiso serve` to print.
Status ProblemsStatus(const Diagnostics& problems) {
  std::string message;
  for (const auto& problem : problems)
    message += (message.empty() ? "" : "\n") + problem.ToString();
  return Status::InvalidArgument(message);
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Create(const ServeFlags& flags) {
  std::unique_ptr<FileSource> files;
  std::string path;
  if (flags.config_path) {
    files = std::make_unique<DiskFileSource>();
    path = *flags.config_path;
  } else {
    files = std::make_unique<EmbeddedFileSource>();
    path = EmbeddedFileSource::kDefaultConfig;
  }
  std::unique_ptr<Service> service(new Service(flags, std::move(files), path));
  ConfigLoad load = service->Load();
  if (!load.problems.empty()) return ProblemsStatus(load.problems);
  service->config_ = std::move(load.config);
  service->Apply(service->config_);
  return service;
}

Service::Service(ServeFlags flags, std::unique_ptr<FileSource> files, std::string config_path)
    : flags_(std::move(flags)),
      files_(std::move(files)),
      config_path_(std::move(config_path)),
      catalog_entries_(prometheus::BuildGauge()
                           .Name("chiso_catalog_entries")
                           .Help("Entries of the loaded catalog, by kind.")
                           .Register(registry_)),
      reload_success_(
          prometheus::BuildGauge()
              .Name("chiso_config_last_reload_successful")
              .Help("Whether the last configuration (re)load succeeded (1) or was refused (0).")
              .Register(registry_)
              .Add({})),
      reload_timestamp_(prometheus::BuildGauge()
                            .Name("chiso_config_last_reload_success_timestamp_seconds")
                            .Help("When the configuration was last loaded successfully.")
                            .Register(registry_)
                            .Add({})) {}

Service::~Service() { Stop(); }

ConfigLoad Service::Load() const {
  ConfigLoad load = LoadServiceConfig(*files_, config_path_);
  if (flags_.listen) {
    if (Status parsed = ParseListenAddress(*flags_.listen, &load.config.server); !parsed.ok()) {
      load.problems.push_back({"--listen", 0, parsed.message()});
    }
  }
  if (flags_.data_dir) load.config.data_dir = *flags_.data_dir;
  if (flags_.admin_secret && !flags_.admin_secret->empty()) {
    load.config.tokens.push_back(BootstrapAdminToken(*flags_.admin_secret));
  }
  return load;
}

void Service::Apply(const ServiceConfig& config) {
  auto snapshot = std::make_shared<api::ServiceSnapshot>();
  snapshot->catalog = config.catalog;
  snapshot->tokens = std::make_shared<ingest::TokenTable>(config.tokens);
  snapshot->open_operational_endpoints = config.open_operational_endpoints;
  snapshots_.Set(std::move(snapshot));

  const catalog::Catalog& catalog = *config.catalog;
  std::size_t targets = 0, tasks = 0;
  for (const auto& plan : catalog.plans) {
    targets += plan.targets.size();
    tasks += plan.tasks.size();
  }
  catalog_entries_.Add({{"kind", "units"}}).Set(static_cast<double>(catalog.units.size()));
  catalog_entries_.Add({{"kind", "offices"}}).Set(static_cast<double>(catalog.offices.size()));
  catalog_entries_.Add({{"kind", "indicators"}})
      .Set(static_cast<double>(catalog.indicators.size()));
  catalog_entries_.Add({{"kind", "plans"}}).Set(static_cast<double>(catalog.plans.size()));
  catalog_entries_.Add({{"kind", "targets"}}).Set(static_cast<double>(targets));
  catalog_entries_.Add({{"kind", "tasks"}}).Set(static_cast<double>(tasks));
  reload_success_.Set(1);
  reload_timestamp_.Set(static_cast<double>(clock_.Now()) / 1000);
}

Diagnostics Service::Reload() {
  std::lock_guard lock(reload_mutex_);
  ConfigLoad load = Load();
  if (!load.problems.empty()) {
    reload_success_.Set(0);
    return load.problems;
  }
  const ServiceConfig& config = load.config;
  Apply(config);
  // Rules apply from the next cycle, which runs now. The alerting section (receivers, interval)
  // is read at start only.
  if (rules_runtime_) {
    rules_runtime_->SetRules(config.alert_rules);
    rules_runtime_->Wake();
  }
  return {};
}

Status Service::Start() {
  StoreOptions store_options = config_.store;
  store_options.data_dir = config_.data_dir;
  auto store = Store::Open(store_options);
  if (!store.ok()) {
    return Status(store.status().code(), "cannot open the store in '" + config_.data_dir +
                                             "': " + store.status().message());
  }
  store_ = std::move(store.value());
  if (!config_.remote_write.endpoints.empty()) {
    auto forwarding = forward::Forwarding::Open(*store_, clock_, config_.remote_write, registry_);
    if (!forwarding.ok()) return forwarding.status();
    forwarding_ = std::move(*forwarding);
    forwarding_->Start();
  }

  api::RouterHooks hooks;
  hooks.auth_throttle = config_.auth_throttle;
  hooks.sessions = config_.sessions;
  hooks.reload = [this] { return Reload(); };
  hooks.ready = [this] {
    const std::string error = store_->Stats().background_error;
    return error.empty() ? Status::Ok() : Status::Unavailable("store: " + error);
  };
  router_ = std::make_unique<api::Router>(&snapshots_, &registry_, std::move(hooks));
  router_->AddCollectable(std::make_shared<StoreMetrics>(store_.get()));
  // Created before the write routes, which wake its evaluation when they store samples (the
  // runtime outlives the router: see the member order); its own routes are added by Start.
  rules_runtime_ = std::make_unique<RulesRuntime>(store_.get(), &snapshots_, &registry_, &clock_,
                                                  config_.alerting);
  rules_runtime_->SetRules(config_.alert_rules);
  if (forwarding_) {
    plan_forwarding_ = std::make_unique<PlanForwarding>(*store_, *forwarding_,
                                                        config_.remote_write.plan_series_refresh);
    rules_runtime_->SetEvaluationListener(
        [plan = plan_forwarding_.get()](const rules::Evaluation& e) { plan->Evaluated(e); });
  }
  api::AddCatalogRoutes(*router_);
  api::AddIngestRoutes(
      *router_, *store_, clock_, config_.ingest, ingest_probe_,
      [runtime = rules_runtime_.get()] { runtime->Wake(); },
      forwarding_ ? forwarding_->journal() : nullptr);
  api::AddHistoryRoutes(*router_, *store_, config_.history);
  api::AddRemoteReadRoutes(*router_, *store_, config_.remote_read);
  api::AddEntryRoutes(*router_, *store_);
  web::AddPageRoutes(*router_);
  if (Status started = rules_runtime_->Start(router_.get()); !started.ok()) return started;
  api::AddAdminRoutes(*router_, *store_, config_.backup_dir, clock_);
  server_ = std::make_unique<api::HttpServer>(
      config_.server, [this](const api::HttpRequest& request) { return router_->Handle(request); },
      &probe_);
  return server_->Start();
}

void Service::Stop() {
  if (server_) server_->Stop();
  if (rules_runtime_) rules_runtime_->Stop();
  if (forwarding_) forwarding_->Stop();
}

}  // namespace chiso::app
