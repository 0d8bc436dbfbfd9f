#include "app/config.h"

#include <set>

#include "catalog/catalog_loader.h"
#include "common/duration.h"
#include "common/yaml_fields.h"
#include "ingest/limits_config.h"

namespace chiso::app {
namespace {

const std::vector<std::pair<std::string_view, ingest::Role>> kRoles = {
    {"read", ingest::Role::kRead},
    {"write", ingest::Role::kWrite},
    {"admin", ingest::Role::kAdmin}};

bool IsHexDigest(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Reads a list of file patterns and returns the matching files' contents.
std::vector<SourceFile> ReadFileList(const FileSource& files, const std::string& config_path,
                                     YamlFields& fields, const char* key, Presence presence,
                                     std::vector<std::string>* names, Diagnostics* problems) {
  std::vector<SourceFile> out;
  const YAML::Node list = fields.Child(key, presence);
  if (!list.IsDefined() || list.IsNull()) return out;
  if (!list.IsSequence()) {
    fields.ErrorAt(list, std::string("'") + key + "' must be a list of file patterns");
    return out;
  }
  for (const YAML::Node& item : list) {
    const std::string pattern = files.Resolve(config_path, item.Scalar());
    const std::vector<std::string> matches = files.Glob(pattern);
    if (matches.empty()) {
      problems->push_back({config_path, LineOf(item),
                           std::string(key) + " pattern '" + item.Scalar() +
                               "' matches no file (looked for " + pattern + ")"});
    }
    for (const std::string& path : matches) {
      auto text = files.Read(path);
      if (!text.ok()) {
        problems->push_back({config_path, LineOf(item), text.status().message()});
        continue;
      }
      names->push_back(path);
      out.push_back({path, std::move(text.value())});
    }
  }
  return out;
}

void ReadServerSection(const YAML::Node& node, const std::string& file, api::ServerOptions* server,
                       Diagnostics* problems) {
  YamlFields f(node, "server", file, problems);
  auto positive = [&](const char* key, auto* target) {
    if (auto value = f.PositiveInteger(key, Presence::kOptional)) {
      *target = static_cast<std::remove_pointer_t<decltype(target)>>(*value);
    }
  };
  auto duration = [&](const char* key, std::chrono::milliseconds* target) {
    *target = f.Duration(key, Presence::kOptional).value_or(*target);
  };
  positive("max_body_bytes", &server->max_body_bytes);
  positive("max_header_bytes", &server->max_header_bytes);
  positive("max_connections", &server->max_connections);
  duration("request_timeout", &server->request_timeout);
  duration("write_timeout", &server->write_timeout);
  if (auto threads = f.Integer("threads", Presence::kOptional)) {
    if (*threads < 0 || *threads > 256)
      f.ErrorAt(FieldOf(node, "threads"), "threads must be 0..256 (0: four per core)");
    else
      server->threads = static_cast<unsigned>(*threads);
  }
  f.RejectUnknownKeys();
}

void ReadAuthSection(const YAML::Node& node, const std::string& file, ServiceConfig* config,
                     Diagnostics* problems) {
  YamlFields f(node, "auth", file, problems);
  if (auto failures = f.PositiveInteger("max_failures", Presence::kOptional))
    config->auth_throttle.max_failures = static_cast<int>(*failures);
  if (auto window = f.PositiveDuration("failure_window", Presence::kOptional, "1m"))
    config->auth_throttle.window_ms = window->count();
  if (auto lifetime = f.PositiveDuration("session_lifetime", Presence::kOptional, "8h"))
    config->sessions.lifetime_ms = lifetime->count();
  f.RejectUnknownKeys();
}

// Bounds of what one query may answer: the history endpoints and each remote-read query share
// max_series and max_samples.
void ReadQueriesSection(const YAML::Node& node, const std::string& file, ServiceConfig* config,
                        Diagnostics* problems) {
  YamlFields f(node, "queries", file, problems);
  auto positive = [&](const char* key, std::size_t* target) {
    if (auto value = f.PositiveInteger(key, Presence::kOptional))
      *target = static_cast<std::size_t>(*value);
  };
  positive("max_series", &config->history.max_series);
  positive("max_samples", &config->history.max_samples);
  config->remote_read.query.max_series = config->history.max_series;
  config->remote_read.query.max_samples = config->history.max_samples;
  positive("remote_read_max_queries", &config->remote_read.request.max_queries);
  positive("remote_read_max_body_bytes", &config->remote_read.max_body_bytes);
  positive("remote_read_max_decompressed_bytes",
           &config->remote_read.request.max_decompressed_bytes);
  f.RejectUnknownKeys();
}

void ReadStoreSection(const YAML::Node& node, const std::string& file, StoreOptions* store,
                      Diagnostics* problems) {
  YamlFields f(node, "store", file, problems);
  const std::vector<std::pair<std::string_view, SyncMode>> kSyncModes = {
      {"per_batch", SyncMode::kPerBatch}, {"group_commit", SyncMode::kGroupCommit}};
  store->sync_mode = f.Enum("sync", kSyncModes, Presence::kOptional).value_or(store->sync_mode);
  store->group_commit_window =
      f.Duration("group_commit_window", Presence::kOptional).value_or(store->group_commit_window);
  if (auto cache = f.Integer("block_cache_bytes", Presence::kOptional)) {
    if (*cache < 0)
      f.ErrorAt(FieldOf(node, "block_cache_bytes"), "block_cache_bytes must not be negative");
    else
      store->block_cache_bytes = static_cast<std::size_t>(*cache);
  }
  const YAML::Node retention = f.Child("retention", Presence::kOptional);
  if (retention.IsSequence()) {
    for (const YAML::Node& rule : retention) {
      YamlFields rf(rule, "store retention rule", file, problems);
      auto prefix = rf.String("metric_prefix", Presence::kOptional);
      auto keep = rf.PositiveDuration("keep", Presence::kRequired, "400d");
      rf.RejectUnknownKeys();
      if (keep) store->retention.push_back({prefix.value_or(""), *keep});
    }
  } else if (retention.IsDefined() && !retention.IsNull()) {
    f.ErrorAt(retention, "retention must be a list of {metric_prefix, keep}");
  }
  f.RejectUnknownKeys();
}

void ReadTokens(const YAML::Node& list, const std::string& file,
                std::vector<ingest::ApiToken>* tokens, Diagnostics* problems) {
  if (!list.IsDefined() || list.IsNull()) return;
  if (!list.IsSequence()) {
    problems->push_back({file, LineOf(list), "'tokens' must be a list"});
    return;
  }
  std::set<std::string> names, digests;
  for (const YAML::Node& node : list) {
    YamlFields f(node, "token", file, problems);
    auto name = f.Slug("name", Presence::kRequired);
    auto digest = f.String("sha256", Presence::kRequired);
    auto role = f.Enum("role", kRoles, Presence::kRequired);
    ingest::TokenScopes scopes;
    scopes.units = f.SlugList("units", Presence::kOptional).value_or(std::vector<std::string>{});
    scopes.indicators =
        f.SlugList("indicators", Presence::kOptional).value_or(std::vector<std::string>{});
    const YAML::Node prefixes = f.Child("metric_prefixes", Presence::kOptional);
    if (prefixes.IsSequence()) {
      for (const YAML::Node& prefix : prefixes) scopes.metric_prefixes.push_back(prefix.Scalar());
    } else if (prefixes.IsDefined() && !prefixes.IsNull()) {
      f.ErrorAt(prefixes, "metric_prefixes must be a list");
    }
    f.RejectUnknownKeys();
    if (digest && !IsHexDigest(*digest)) {
      f.ErrorAt(FieldOf(node, "sha256"),
                "sha256 must be 64 lower-case hex digits (printf %s SECRET | sha256sum)");
      digest.reset();
    }
    if (name && !names.insert(*name).second) f.Error("token name '" + *name + "' is used twice");
    if (digest && !digests.insert(*digest).second) f.Error("two tokens have the same sha256");
    if (name && digest && role) tokens->push_back({*name, *digest, *role, std::move(scopes)});
  }
}

// Scopes name units and indicators that must exist.
void CheckTokenScopes(const std::vector<ingest::ApiToken>& tokens, const catalog::Catalog& catalog,
                      const std::string& file, Diagnostics* problems) {
  for (const auto& token : tokens) {
    for (const auto& unit : token.scopes.units) {
      if (catalog.FindUnit(unit) == nullptr) {
        problems->push_back(
            {file, 0, "token '" + token.name + "': unit '" + unit + "' is not in the catalog"});
      }
    }
    for (const auto& code : token.scopes.indicators) {
      if (catalog.FindIndicator(code) == nullptr) {
        problems->push_back(
            {file, 0,
             "token '" + token.name + "': indicator '" + code + "' is not in the catalog"});
      }
    }
  }
}

}  // namespace

Status ParseListenAddress(const std::string& text, api::ServerOptions* server) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::InvalidArgument("listen address '" + text +
                                   "' must be host:port, e.g. 127.0.0.1:9157");
  }
  const std::string port_text = text.substr(colon + 1);
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
      std::stoi(port_text) > 65535) {
    return Status::InvalidArgument("listen address '" + text + "' has port '" + port_text +
                                   "', not 0..65535");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  server->address = host == "localhost" ? "127.0.0.1" : host;
  server->port = static_cast<std::uint16_t>(std::stoi(port_text));
  return Status::Ok();
}

ingest::ApiToken BootstrapAdminToken(const std::string& secret) {
  return {"bootstrap_admin", ingest::Sha256Hex(secret), ingest::Role::kAdmin, {}};
}

ConfigLoad LoadServiceConfig(const FileSource& files, const std::string& config_path) {
  ConfigLoad load;
  ServiceConfig& config = load.config;
  Diagnostics* problems = &load.problems;
  auto text = files.Read(config_path);
  if (!text.ok()) {
    problems->push_back({config_path, 0, text.status().message()});
    return load;
  }
  auto doc = ParseYamlDocument(config_path, *text, problems);
  if (!doc) return load;
  YamlFields f(*doc, "config", config_path, problems);
  if (auto listen = f.String("listen", Presence::kOptional)) {
    if (Status parsed = ParseListenAddress(*listen, &config.server); !parsed.ok()) {
      f.ErrorAt(FieldOf(*doc, "listen"), parsed.message());
    }
  }
  config.data_dir = f.String("data_dir", Presence::kOptional).value_or(config.data_dir);
  config.backup_dir = f.String("backup_dir", Presence::kOptional).value_or(config.backup_dir);
  const YAML::Node store = f.Child("store", Presence::kOptional);
  if (store.IsDefined() && !store.IsNull())
    ReadStoreSection(store, config_path, &config.store, problems);
  config.open_operational_endpoints =
      f.Bool("open_operational_endpoints", Presence::kOptional).value_or(true);
  const YAML::Node server = f.Child("server", Presence::kOptional);
  if (server.IsDefined() && !server.IsNull())
    ReadServerSection(server, config_path, &config.server, problems);
  const YAML::Node auth = f.Child("auth", Presence::kOptional);
  if (auth.IsDefined() && !auth.IsNull()) ReadAuthSection(auth, config_path, &config, problems);
  const YAML::Node queries = f.Child("queries", Presence::kOptional);
  if (queries.IsDefined() && !queries.IsNull())
    ReadQueriesSection(queries, config_path, &config, problems);
  ReadTokens(f.Child("tokens", Presence::kOptional), config_path, &config.tokens, problems);
  const YAML::Node ingest = f.Child("ingest", Presence::kOptional);
  if (ingest.IsDefined() && !ingest.IsNull()) {
    ingest::ReadIngestLimits(ingest, config_path, &config.ingest, problems);
  }
  auto catalog_files = ReadFileList(files, config_path, f, "catalog", Presence::kRequired,
                                    &config.catalog_files, problems);
  auto plan_files = ReadFileList(files, config_path, f, "plans", Presence::kRequired,
                                 &config.plan_files, problems);
  auto rule_files = ReadFileList(files, config_path, f, "rules", Presence::kOptional,
                                 &config.rule_files, problems);
  config.alerting =
      notify::ReadAlertingConfig(f.Child("alerting", Presence::kOptional), config_path, problems);
  config.remote_write = forward::ReadRemoteWriteConfig(f.Child("remote_write", Presence::kOptional),
                                                       config_path, problems);
  f.RejectUnknownKeys();

  catalog::CatalogLoad catalog = catalog::LoadCatalog(catalog_files, plan_files);
  problems->insert(problems->end(), catalog.problems.begin(), catalog.problems.end());
  config.catalog = catalog.catalog;
  rules::AlertRuleLoad alert_rules = rules::LoadAlertRules(rule_files, config.catalog.get());
  problems->insert(problems->end(), alert_rules.problems.begin(), alert_rules.problems.end());
  config.alert_rules = std::move(alert_rules.rules);
  CheckTokenScopes(config.tokens, *config.catalog, config_path, problems);
  return load;
}

}  // namespace chiso::app
