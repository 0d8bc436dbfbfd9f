// LabelSetTable: canonical label sets (EncodeLabels bytes) -> series id, the lookup every
// ingested sample makes. An open-addressing table of 16-byte slots (a hash tag, the id, and where
// the label bytes are) over one buffer holding every label set: a lookup costs about two cache
// misses, the slot and the bytes, against four or five through std::unordered_map's nodes. The
// write path hashes a whole batch first and prefetches each slot a few samples ahead.
//
// Not thread-safe; SeriesIndex's owner guards it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/internal/keys.h"

namespace chiso::store_internal {

class LabelSetTable {
 public:
  static std::uint64_t Hash(std::string_view label_set);

  std::size_t size() const { return size_; }
  // Brings the slot where a lookup of `hash` starts into the cache.
  void Prefetch(std::uint64_t hash) const;
  // `hash` must be Hash(label_set).
  std::optional<SeriesId> Find(std::string_view label_set, std::uint64_t hash) const;
  // `label_set` must not be in the table yet.
  void Add(std::string_view label_set, SeriesId id);

 private:
  struct Slot {
    std::uint32_t tag = 0;  // high half of the hash
    SeriesId id = kEmpty;
    std::uint64_t offset = 0;  // of the label set's length prefix in bytes_
  };
  static constexpr SeriesId kEmpty = UINT32_MAX;

  std::size_t SlotOf(std::uint64_t hash) const { return hash & (slots_.size() - 1); }
  std::string_view LabelSetAt(std::uint64_t offset) const;
  void Place(const Slot& slot, std::uint64_t hash);
  void Grow();

  std::vector<Slot> slots_ = std::vector<Slot>(1024);  // a power of two, at most half full
  std::string bytes_;  // per label set: 4-byte length, then its bytes
  std::size_t size_ = 0;
};

}  // namespace chiso::store_internal
