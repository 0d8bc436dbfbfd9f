#include "store/internal/label_set_table.h"

#include <cstring>
#include <functional>

namespace chiso::store_internal {

std::uint64_t LabelSetTable::Hash(std::string_view label_set) {
  return std::hash<std::string_view>{}(label_set);
}

void LabelSetTable::Prefetch(std::uint64_t hash) const {
  __builtin_prefetch(&slots_[SlotOf(hash)]);
}

std::optional<SeriesId> LabelSetTable::Find(std::string_view label_set, std::uint64_t hash) const {
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t i = SlotOf(hash);; i = (i + 1) & (slots_.size() - 1)) {
    const Slot& slot = slots_[i];
    if (slot.id == kEmpty) return std::nullopt;
    if (slot.tag == tag && LabelSetAt(slot.offset) == label_set) return slot.id;
  }
}

void LabelSetTable::Add(std::string_view label_set, SeriesId id) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  const std::uint64_t hash = Hash(label_set);
  const Slot slot{static_cast<std::uint32_t>(hash >> 32), id, bytes_.size()};
  const auto length = static_cast<std::uint32_t>(label_set.size());
  bytes_.append(reinterpret_cast<const char*>(&length), sizeof length);
  bytes_.append(label_set);
  Place(slot, hash);
  ++size_;
}

std::string_view LabelSetTable::LabelSetAt(std::uint64_t offset) const {
  std::uint32_t length = 0;
  std::memcpy(&length, bytes_.data() + offset, sizeof length);
  return {bytes_.data() + offset + sizeof length, length};
}

void LabelSetTable::Place(const Slot& slot, std::uint64_t hash) {
  std::size_t i = SlotOf(hash);
  while (slots_[i].id != kEmpty) i = (i + 1) & (slots_.size() - 1);
  slots_[i] = slot;
}

void LabelSetTable::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  for (const Slot& slot : old) {
    if (slot.id != kEmpty) Place(slot, Hash(LabelSetAt(slot.offset)));
  }
}

}  // namespace chiso::store_internal
