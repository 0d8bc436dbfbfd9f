#include "rules/store_backed/state_codec.h"

#include <charconv>
#include <vector>

namespace chiso::rules {
namespace {

// One field per line; backslashes and newlines escaped.
std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      out += text[++i] == 'n' ? '\n' : text[i];
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

// Value, one field a line: the version ("v2"), the state, active_at, fired_at, last_active_at,
// resolved_at, kept_firing_since, then the labels and the annotations, each as a count followed
// by that many name=value lines. v1 had no kept_firing_since line.
std::string EncodeAlert(const Alert& alert) {
  std::string out = "v2\n" + std::string(AlertStateName(alert.state)) + "\n";
  for (TimestampMs instant : {alert.active_at, alert.fired_at, alert.last_active_at,
                              alert.resolved_at, alert.kept_firing_since}) {
    out += std::to_string(instant) + "\n";
  }
  for (const auto* map : {&alert.labels, &alert.annotations}) {
    out += std::to_string(map->size()) + "\n";
    for (const auto& [name, value] : *map) out += Escape(name) + "=" + Escape(value) + "\n";
  }
  return out;
}

Result<Alert> DecodeAlert(std::string_view key, std::string_view value) {
  auto corrupt = [&](std::string_view why) {
    return Status::Corruption("alert '" + std::string(key) + "': " + std::string(why));
  };
  std::vector<std::string_view> lines;
  while (!value.empty()) {
    const std::size_t end = value.find('\n');
    if (end == std::string_view::npos) return corrupt("value does not end with a newline");
    lines.push_back(value.substr(0, end));
    value.remove_prefix(end + 1);
  }
  auto number = [](std::string_view text, std::int64_t* out) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
    return error == std::errc() && end == text.data() + text.size();
  };
  // v1 (before kept_firing_since was written) decodes with kept_firing_since 0, as if the
  // condition of a firing alert still held at its last write: after a restart it keeps firing
  // for keep_firing_for from the first evaluation that finds it not holding, never less.
  const std::string_view version = lines.empty() ? std::string_view() : lines[0];
  const std::size_t instants = version == "v1" ? 4 : 5;
  if ((version != "v1" && version != "v2") || lines.size() < 2 + instants + 2) {
    return corrupt("unknown encoding");
  }
  Alert alert;
  if (lines[1] == "pending") {
    alert.state = AlertState::kPending;
  } else if (lines[1] == "firing") {
    alert.state = AlertState::kFiring;
  } else if (lines[1] == "resolved") {
    alert.state = AlertState::kResolved;
  } else {
    return corrupt("unknown state");
  }
  TimestampMs* fields[] = {&alert.active_at, &alert.fired_at, &alert.last_active_at,
                           &alert.resolved_at, &alert.kept_firing_since};
  for (std::size_t i = 0; i < instants; ++i) {
    if (!number(lines[2 + i], fields[i])) return corrupt("an instant is not a number");
  }
  std::size_t at = 2 + instants;
  for (auto* map : {&alert.labels, &alert.annotations}) {
    std::int64_t count = 0;
    if (at >= lines.size() || !number(lines[at++], &count) || count < 0 ||
        static_cast<std::size_t>(count) > lines.size() - at) {
      return corrupt("bad entry count");
    }
    for (std::int64_t i = 0; i < count; ++i, ++at) {
      const std::size_t equals = lines[at].find('=');
      if (equals == std::string_view::npos) return corrupt("entry without '='");
      (*map)[Unescape(lines[at].substr(0, equals))] = Unescape(lines[at].substr(equals + 1));
    }
  }
  if (!alert.labels.contains("alertname")) return corrupt("no alertname label");
  return alert;
}

// Value: "v1\n<state>\n<recorded_at>\n<recorded_by>\n<note>" (the note may hold newlines).
std::string EncodeTaskProgress(const TaskProgress& record) {
  return "v1\n" + std::string(TaskStateName(record.state)) + "\n" +
         std::to_string(record.recorded_at) + "\n" + record.recorded_by + "\n" + record.note;
}

Result<TaskProgress> DecodeTaskProgress(std::string_view key, std::string_view value) {
  auto corrupt = [&](std::string_view why) {
    return Status::Corruption("task progress '" + std::string(key) + "': " + std::string(why));
  };
  TaskProgress out;
  const std::size_t first_slash = key.find('/');
  const std::size_t second_slash = key.find('/', first_slash + 1);
  if (first_slash == std::string_view::npos || second_slash == std::string_view::npos) {
    return corrupt("key is not unit/task/occurrence");
  }
  out.unit = key.substr(0, first_slash);
  out.task = key.substr(first_slash + 1, second_slash - first_slash - 1);
  out.occurrence = key.substr(second_slash + 1);

  std::string_view fields[4];
  for (std::string_view& field : fields) {
    const std::size_t end = value.find('\n');
    if (end == std::string_view::npos) return corrupt("value has too few lines");
    field = value.substr(0, end);
    value.remove_prefix(end + 1);
  }
  if (fields[0] != "v1") return corrupt("unknown encoding version");
  auto state = ParseTaskState(fields[1]);
  if (!state) return corrupt("unknown state");
  out.state = *state;
  const auto [end, error] =
      std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), out.recorded_at);
  if (error != std::errc() || end != fields[2].data() + fields[2].size()) {
    return corrupt("recorded_at is not a number");
  }
  out.recorded_by = fields[3];
  out.note = value;
  return out;
}

}  // namespace chiso::rules
