// InternTable: byte strings numbered 0, 1, 2, ... in the order they are added, found by their
// bytes. The series index keeps two: label sets (EncodeLabels bytes -> series id), the lookup
// every ingested sample makes, and label names and values (-> symbol).
//
// An open-addressing table of 16-byte slots (a hash tag, the id, and where the bytes are) over
// storage in large blocks: a lookup costs about two cache misses, the slot and the bytes, against
// four or five through std::unordered_map's nodes, and adding a string costs no allocation of its
// own. Callers with many lookups at once hash them first and prefetch slots ahead (Prefetch).
//
// Not thread-safe; the owner guards it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace chiso::store_internal {

class InternTable {
 public:
  using Id = std::uint32_t;

  static std::uint64_t Hash(std::string_view text);

  std::size_t size() const { return texts_.size(); }
  // Brings the slot where a lookup of `hash` starts into the cache.
  void Prefetch(std::uint64_t hash) const;
  // `hash` must be Hash(text).
  std::optional<Id> Find(std::string_view text, std::uint64_t hash) const;
  std::optional<Id> Find(std::string_view text) const { return Find(text, Hash(text)); }
  // Adds `text`, which must not be in the table yet, as id size().
  Id Add(std::string_view text, std::uint64_t hash);
  Id Add(std::string_view text) { return Add(text, Hash(text)); }
  // The bytes of `id` < size(); the view is valid as long as the table.
  std::string_view Text(Id id) const { return texts_[id]; }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // low half of the hash: where the slot belongs, also after growth
    Id id = kEmpty;
    const char* text = nullptr;  // 4-byte length, then the bytes
  };
  static constexpr Id kEmpty = UINT32_MAX;

  // Tables stay below 2^32 slots, so the low half of the hash decides the slot.
  std::size_t SlotOf(std::uint64_t hash) const { return hash & (slots_.size() - 1); }
  static std::string_view TextAt(const char* text);
  const char* Store(std::string_view text);
  void Place(const Slot& slot);
  void Grow();

  std::vector<Slot> slots_ = std::vector<Slot>(1024);  // a power of two, at most half full
  std::vector<std::string_view> texts_;                // by id, into blocks_
  std::vector<std::unique_ptr<char[]>> blocks_;        // never move once allocated
  char* block_ = nullptr;                              // the block small strings go to
  std::size_t block_free_ = 0;                         // bytes left at its end
};

}  // namespace chiso::store_internal
