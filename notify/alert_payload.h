// The JSON bodies chiso sends about alerts.
//
// Alertmanager API v2 (POST /api/v2/alerts): a list of {labels, annotations, startsAt, endsAt,
// generatorURL}. A firing alert's endsAt lies four resend intervals ahead, as Prometheus does, so
// Alertmanager resolves it by itself if chiso stops sending; a resolved one ends when it resolved.
//
// Plain webhooks get Alertmanager's webhook shape (version 4): {version, groupKey, status,
// receiver, groupLabels, commonLabels, commonAnnotations, externalURL, alerts: [{status, labels,
// annotations, startsAt, endsAt, generatorURL, fingerprint}]}, so anything written for
// Alertmanager webhooks reads it.
#pragma once

#include <chrono>
#include <span>
#include <string>

#include "rules/alerting/alerts.h"

namespace chiso::notify {

std::string AlertmanagerPayload(std::span<const rules::Alert> alerts, TimestampMs now,
                                std::chrono::milliseconds resend_interval,
                                const std::string& external_url);

std::string WebhookPayload(std::span<const rules::Alert> alerts, const std::string& receiver,
                           TimestampMs now, std::chrono::milliseconds resend_interval,
                           const std::string& external_url);

}  // namespace chiso::notify
