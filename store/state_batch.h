// State key spaces: small durable records the rest of chiso keeps beside the time series (alert
// states and pending start times, task progress, metadata). A space is a short name chosen by the
// owning module ("alerts", "tasks", "meta"); keys and values are opaque bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chiso {

// Space names are 1..255 bytes; keys 0..kMaxStateKeyBytes bytes.
inline constexpr std::size_t kMaxStateSpaceBytes = 255;
inline constexpr std::size_t kMaxStateKeyBytes = 4096;

struct StateEntry {
  std::string key;
  std::string value;

  friend bool operator==(const StateEntry&, const StateEntry&) = default;
};

// Puts and deletes applied together, all or nothing, by Store::WriteState; later mutations of the
// same key win. Not thread-safe.
class StateBatch {
 public:
  struct Mutation {
    std::string space;
    std::string key;
    std::optional<std::string> value;  // nullopt deletes the key
  };

  void Put(std::string_view space, std::string_view key, std::string_view value);
  void Delete(std::string_view space, std::string_view key);

  bool empty() const { return mutations_.empty(); }
  const std::vector<Mutation>& mutations() const { return mutations_; }

 private:
  std::vector<Mutation> mutations_;
};

}  // namespace chiso
