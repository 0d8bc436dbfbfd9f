#include "notify/alerting_config.h"

#include "common/yaml_fields.h"

namespace chiso::notify {
namespace {

bool IsHttpUrl(const std::string& url) { return url.starts_with("http://") && url.size() > 7; }

}  // namespace

AlertingConfig ReadAlertingConfig(const YAML::Node& node, const std::string& file,
                                  Diagnostics* problems) {
  AlertingConfig config;
  if (!node.IsDefined() || node.IsNull()) return config;
  YamlFields f(node, "alerting", file, problems);
  config.evaluation_interval = f.PositiveDuration("evaluation_interval", Presence::kOptional, "1m")
                                   .value_or(config.evaluation_interval);
  config.evaluation_min_gap = f.PositiveDuration("evaluation_min_gap", Presence::kOptional, "1s")
                                  .value_or(config.evaluation_min_gap);
  config.notifier.resend_interval = f.PositiveDuration("resend_interval", Presence::kOptional, "1m")
                                        .value_or(config.notifier.resend_interval);
  if (auto url = f.String("external_url", Presence::kOptional)) config.notifier.external_url = *url;
  const YAML::Node alertmanagers = f.Child("alertmanagers", Presence::kOptional);
  if (alertmanagers.IsDefined() && !alertmanagers.IsNull()) {
    if (!alertmanagers.IsSequence())
      f.ErrorAt(alertmanagers, "alertmanagers must be a list of URLs");
    for (const YAML::Node& item : alertmanagers) {
      const std::string url = item.IsScalar() ? item.Scalar() : "";
      if (!IsHttpUrl(url)) {
        f.ErrorAt(item, "alertmanager '" + url + "' must be an http:// URL");
        continue;
      }
      config.receivers.push_back({"alertmanager " + url, Receiver::Kind::kAlertmanager, url, {}});
    }
  }
  const YAML::Node webhooks = f.Child("webhooks", Presence::kOptional);
  if (webhooks.IsDefined() && !webhooks.IsNull()) {
    if (!webhooks.IsSequence()) f.ErrorAt(webhooks, "webhooks must be a list");
    for (const YAML::Node& item : webhooks) {
      YamlFields w(item, "webhook", file, problems);
      Receiver receiver;
      receiver.kind = Receiver::Kind::kWebhook;
      receiver.name = w.Slug("name", Presence::kRequired).value_or("");
      receiver.url = w.String("url", Presence::kRequired).value_or("");
      if (!receiver.url.empty() && !IsHttpUrl(receiver.url)) {
        w.ErrorAt(FieldOf(item, "url"), "url '" + receiver.url + "' must be an http:// URL");
      }
      receiver.offices =
          w.SlugList("offices", Presence::kOptional).value_or(std::vector<std::string>{});
      w.RejectUnknownKeys();
      config.receivers.push_back(std::move(receiver));
    }
  }
  f.RejectUnknownKeys();
  return config;
}

}  // namespace chiso::notify
