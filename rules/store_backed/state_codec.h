// How the store-backed logs encode their entries in the store's state spaces (common/naming.h):
// a line-oriented text with a version on its first line, so a newer chiso can read what an older
// one wrote and refuse, naming the entry, what it cannot read.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "rules/alerting/alerts.h"
#include "rules/assess/tasks.h"

namespace chiso::rules {

// One alert (space "alerts", key = its fingerprint), and back. Decoding fails with Corruption
// naming the key when the value is not one EncodeAlert wrote.
std::string EncodeAlert(const Alert& alert);
Result<Alert> DecodeAlert(std::string_view key, std::string_view value);

// One task progress record (space "tasks", key = TaskProgressKey), and back. Decoding fails with
// Corruption naming the key when the key or value is not one this encoding wrote.
std::string EncodeTaskProgress(const TaskProgress& record);
Result<TaskProgress> DecodeTaskProgress(std::string_view key, std::string_view value);

}  // namespace chiso::rules
