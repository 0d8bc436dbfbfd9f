// AckWindow: the durable position of an endpoint whose queue entries are sent by several requests
// at once. The sender dispatches chunks of consecutive entries in queue order, each split into
// requests (one per shard that has samples of it); answers come back in any order. The position
// may pass a chunk only when every request of it and of every chunk dispatched before it was
// answered (2xx, or refused and counted), so a kill -9 at any moment resumes at the first entry
// whose samples may not all have arrived: nothing unsent is ever skipped; what was already sent
// after it is sent again (at least once).
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

namespace chiso::forward {

class AckWindow {
 public:
  explicit AckWindow(std::uint64_t position) : position_(position) {}

  // The chunk of entries up to `end` (exclusive; after every chunk dispatched before) went out
  // as `requests` requests. Zero requests (nothing selected) settles it at once: the new
  // position, as for Answered.
  std::optional<std::uint64_t> Dispatched(std::uint64_t end, int requests);
  // One request of the chunk ending at `end` was answered. The new position when the answered
  // prefix of chunks grew, else nullopt.
  std::optional<std::uint64_t> Answered(std::uint64_t end);

  std::uint64_t position() const;

 private:
  std::optional<std::uint64_t> SettleLocked();

  mutable std::mutex mu_;
  std::uint64_t position_;
  std::map<std::uint64_t, int> unanswered_;  // chunk end -> requests not answered yet
};

}  // namespace chiso::forward
