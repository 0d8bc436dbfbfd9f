#include "notify/alert_payload.h"

#include <boost/json.hpp>

#include "common/calendar.h"

namespace chiso::notify {
namespace json = boost::json;
namespace {

json::object Strings(const std::map<std::string, std::string>& map) {
  json::object out;
  for (const auto& [name, value] : map) out[name] = value;
  return out;
}

TimestampMs StartsAt(const rules::Alert& alert) {
  return alert.fired_at != 0 ? alert.fired_at : alert.active_at;
}

TimestampMs EndsAt(const rules::Alert& alert, TimestampMs now, std::chrono::milliseconds resend) {
  return alert.state == rules::AlertState::kResolved ? alert.resolved_at : now + 4 * resend.count();
}

// Labels (or annotations) every alert shares.
std::map<std::string, std::string> Common(std::span<const rules::Alert> alerts,
                                          std::map<std::string, std::string> rules::Alert::*field) {
  if (alerts.empty()) return {};
  std::map<std::string, std::string> common = alerts.front().*field;
  for (const rules::Alert& alert : alerts.subspan(1)) {
    std::erase_if(common, [&](const auto& entry) {
      auto it = (alert.*field).find(entry.first);
      return it == (alert.*field).end() || it->second != entry.second;
    });
  }
  return common;
}

}  // namespace

std::string AlertmanagerPayload(std::span<const rules::Alert> alerts, TimestampMs now,
                                std::chrono::milliseconds resend_interval,
                                const std::string& external_url) {
  json::array out;
  for (const rules::Alert& alert : alerts) {
    out.push_back(json::object{{"labels", Strings(alert.labels)},
                               {"annotations", Strings(alert.annotations)},
                               {"startsAt", FormatInstant(StartsAt(alert))},
                               {"endsAt", FormatInstant(EndsAt(alert, now, resend_interval))},
                               {"generatorURL", external_url + "/api/v1/alerts"}});
  }
  return json::serialize(out);
}

std::string WebhookPayload(std::span<const rules::Alert> alerts, const std::string& receiver,
                           TimestampMs now, std::chrono::milliseconds resend_interval,
                           const std::string& external_url) {
  json::array items;
  bool any_firing = false;
  for (const rules::Alert& alert : alerts) {
    const bool firing = alert.state != rules::AlertState::kResolved;
    any_firing = any_firing || firing;
    items.push_back(json::object{
        {"status", firing ? "firing" : "resolved"},
        {"labels", Strings(alert.labels)},
        {"annotations", Strings(alert.annotations)},
        {"startsAt", FormatInstant(StartsAt(alert))},
        {"endsAt", firing ? json::value("0001-01-01T00:00:00Z")
                          : json::value(FormatInstant(EndsAt(alert, now, resend_interval)))},
        {"generatorURL", external_url + "/api/v1/alerts"},
        {"fingerprint", alert.Fingerprint()}});
  }
  const auto common_labels = Common(alerts, &rules::Alert::labels);
  return json::serialize(
      json::object{{"version", "4"},
                   {"groupKey", "{}:" + json::serialize(Strings(common_labels))},
                   {"status", any_firing ? "firing" : "resolved"},
                   {"receiver", receiver},
                   {"groupLabels", json::object{}},
                   {"commonLabels", Strings(common_labels)},
                   {"commonAnnotations", Strings(Common(alerts, &rules::Alert::annotations))},
                   {"externalURL", external_url},
                   {"alerts", std::move(items)}});
}

}  // namespace chiso::notify
