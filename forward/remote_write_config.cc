#include "forward/remote_write_config.h"

#include <openssl/evp.h>

#include <set>

#include "common/yaml_fields.h"

namespace chiso::forward {
namespace {

std::string Base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// The string pairs of a mapping such as `headers:` or `external_labels:`.
std::vector<std::pair<std::string, std::string>> StringMap(YamlFields& f, const char* key) {
  std::vector<std::pair<std::string, std::string>> out;
  const YAML::Node map = f.Child(key, Presence::kOptional);
  if (!map.IsDefined() || map.IsNull()) return out;
  if (!map.IsMap()) {
    f.ErrorAt(map, std::string(key) + " must be a mapping of names to strings");
    return out;
  }
  for (const auto& item : map) {
    if (!item.second.IsScalar()) {
      f.ErrorAt(item.second, std::string(key) + "." + item.first.Scalar() + " must be a string");
      continue;
    }
    out.emplace_back(item.first.Scalar(), item.second.Scalar());
  }
  return out;
}

void ReadAuthorization(YamlFields& f, Endpoint& endpoint, Diagnostics* problems) {
  const YAML::Node basic = f.Child("basic_auth", Presence::kOptional);
  const auto bearer = f.String("bearer_token", Presence::kOptional);
  if (basic.IsDefined() && !basic.IsNull()) {
    if (bearer) f.ErrorAt(basic, "basic_auth and bearer_token exclude each other");
    YamlFields b(basic, "basic_auth of endpoint '" + endpoint.name + "'", f.file(), problems);
    const auto user = b.String("username", Presence::kRequired);
    const auto password = b.String("password", Presence::kRequired);
    b.RejectUnknownKeys();
    if (user && password) {
      endpoint.headers.emplace_back("Authorization", "Basic " + Base64(*user + ":" + *password));
    }
  } else if (bearer) {
    endpoint.headers.emplace_back("Authorization", "Bearer " + *bearer);
  }
}

Endpoint ReadEndpoint(const YAML::Node& item, const std::string& file, Diagnostics* problems) {
  YamlFields f(item, "remote_write endpoint", file, problems);
  Endpoint endpoint;
  endpoint.name = f.Slug("name", Presence::kRequired).value_or("");
  endpoint.url = f.String("url", Presence::kRequired).value_or("");
  if (!endpoint.url.empty() && (!endpoint.url.starts_with("http://") || endpoint.url.size() <= 7)) {
    f.ErrorAt(FieldOf(item, "url"), "url '" + endpoint.url + "' must be an http:// URL");
  }
  endpoint.timeout =
      f.PositiveDuration("timeout", Presence::kOptional, "10s").value_or(endpoint.timeout);
  endpoint.headers = StringMap(f, "headers");
  ReadAuthorization(f, endpoint, problems);
  for (auto& [name, value] : StringMap(f, "external_labels")) {
    endpoint.external_labels.push_back({std::move(name), std::move(value)});
  }
  SortLabels(endpoint.external_labels);
  const YAML::Node match = f.Child("match", Presence::kOptional);
  if (match.IsDefined() && !match.IsNull()) {
    if (!match.IsSequence()) f.ErrorAt(match, "match must be a list of label matchers");
    for (const YAML::Node& one : match) {
      auto matcher = ParseMatcher(one.IsScalar() ? one.Scalar() : "");
      if (matcher.ok()) {
        endpoint.match.push_back(std::move(*matcher));
      } else {
        f.ErrorAt(one, "match: " + matcher.status().message());
      }
    }
  }
  f.RejectUnknownKeys();
  return endpoint;
}

QueueOptions ReadQueue(const YAML::Node& node, const std::string& file, Diagnostics* problems) {
  QueueOptions queue;
  if (!node.IsDefined() || node.IsNull()) return queue;
  YamlFields f(node, "remote_write queue", file, problems);
  if (auto n = f.PositiveInteger("max_pending_samples", Presence::kOptional)) {
    queue.max_pending_samples = static_cast<std::size_t>(*n);
  }
  if (auto n = f.PositiveInteger("max_samples_per_send", Presence::kOptional)) {
    queue.max_samples_per_send = static_cast<std::size_t>(*n);
  }
  if (auto n = f.PositiveInteger("shards", Presence::kOptional)) {
    if (*n > 64) f.ErrorAt(FieldOf(node, "shards"), "shards must be at most 64");
    queue.shards = static_cast<std::size_t>(std::min<std::int64_t>(*n, 64));
  }
  queue.min_backoff =
      f.PositiveDuration("min_backoff", Presence::kOptional, "100ms").value_or(queue.min_backoff);
  queue.max_backoff =
      f.PositiveDuration("max_backoff", Presence::kOptional, "30s").value_or(queue.max_backoff);
  if (queue.max_backoff < queue.min_backoff) {
    f.ErrorAt(FieldOf(node, "max_backoff"), "max_backoff must not be shorter than min_backoff");
  }
  f.RejectUnknownKeys();
  return queue;
}

}  // namespace

Result<LabelMatcher> ParseMatcher(std::string_view text) {
  const auto invalid = [&](const std::string& why) {
    return Status::InvalidArgument("matcher '" + std::string(text) + "' " + why);
  };
  const std::size_t op_at = text.find_first_of("=!");
  if (op_at == std::string_view::npos) return invalid("has no operator =, !=, =~ or !~");
  if (op_at == 0) return invalid("has no label name");
  const std::string name(text.substr(0, op_at));
  for (const char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return invalid("has a label name with '" + std::string(1, c) + "'");
    }
  }
  static const std::vector<std::pair<std::string_view, LabelMatcher::Op>> kOps = {
      {"=~", LabelMatcher::Op::kRegexMatch},
      {"!~", LabelMatcher::Op::kRegexNoMatch},
      {"!=", LabelMatcher::Op::kNotEqual},
      {"=", LabelMatcher::Op::kEqual}};
  const std::string_view rest = text.substr(op_at);
  for (const auto& [symbol, op] : kOps) {
    if (!rest.starts_with(symbol)) continue;
    const std::string_view quoted = rest.substr(symbol.size());
    if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') {
      return invalid("must give its value in double quotes");
    }
    std::string value;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
      if (quoted[i] == '\\' && i + 2 < quoted.size()) ++i;
      value += quoted[i];
    }
    return LabelMatcher::Make(op, name, std::move(value));
  }
  return invalid("has '!' without '=' or '~'");
}

RemoteWriteConfig ReadRemoteWriteConfig(const YAML::Node& node, const std::string& file,
                                        Diagnostics* problems) {
  RemoteWriteConfig config;
  if (!node.IsDefined() || node.IsNull()) return config;
  YamlFields f(node, "remote_write", file, problems);
  config.queue = ReadQueue(f.Child("queue", Presence::kOptional), file, problems);
  config.plan_series_refresh = f.PositiveDuration("plan_series_refresh", Presence::kOptional, "1m")
                                   .value_or(config.plan_series_refresh);
  const YAML::Node endpoints = f.Child("endpoints", Presence::kRequired);
  if (endpoints.IsDefined() && !endpoints.IsSequence()) {
    f.ErrorAt(endpoints, "endpoints must be a list");
    return config;
  }
  std::set<std::string> names;
  for (const YAML::Node& item : endpoints) {
    Endpoint endpoint = ReadEndpoint(item, file, problems);
    if (!endpoint.name.empty() && !names.insert(endpoint.name).second) {
      YamlFields(item, "remote_write endpoint", file, problems)
          .ErrorAt(FieldOf(item, "name"), "endpoint name '" + endpoint.name + "' is repeated");
    }
    config.endpoints.push_back(std::move(endpoint));
  }
  f.RejectUnknownKeys();
  return config;
}

}  // namespace chiso::forward
