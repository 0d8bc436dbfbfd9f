#include "store/internal/intern_table.h"

#include <cstring>
#include <functional>

namespace chiso::store_internal {
namespace {

constexpr std::size_t kBlockBytes = std::size_t{64} << 10;
constexpr std::size_t kLengthBytes = sizeof(std::uint32_t);

}  // namespace

std::uint64_t InternTable::Hash(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

void InternTable::Prefetch(std::uint64_t hash) const { __builtin_prefetch(&slots_[SlotOf(hash)]); }

std::optional<InternTable::Id> InternTable::Find(std::string_view text, std::uint64_t hash) const {
  const auto tag = static_cast<std::uint32_t>(hash);
  for (std::size_t i = SlotOf(hash);; i = (i + 1) & (slots_.size() - 1)) {
    const Slot& slot = slots_[i];
    if (slot.id == kEmpty) return std::nullopt;
    if (slot.tag == tag && TextAt(slot.text) == text) return slot.id;
  }
}

InternTable::Id InternTable::Add(std::string_view text, std::uint64_t hash) {
  if ((size() + 1) * 2 > slots_.size()) Grow();
  const auto id = static_cast<Id>(size());
  const char* stored = Store(text);
  Place({static_cast<std::uint32_t>(hash), id, stored});
  texts_.push_back(TextAt(stored));
  return id;
}

std::string_view InternTable::TextAt(const char* text) {
  std::uint32_t length = 0;
  std::memcpy(&length, text, kLengthBytes);
  return {text + kLengthBytes, length};
}

// Small strings share 64 KiB blocks; a larger one gets a block of its own.
const char* InternTable::Store(std::string_view text) {
  const std::size_t need = kLengthBytes + text.size();
  char* at = nullptr;
  if (need > kBlockBytes) {
    at = blocks_.emplace_back(std::make_unique<char[]>(need)).get();
  } else {
    if (block_free_ < need) {
      block_ = blocks_.emplace_back(std::make_unique<char[]>(kBlockBytes)).get();
      block_free_ = kBlockBytes;
    }
    at = block_ + (kBlockBytes - block_free_);
    block_free_ -= need;
  }
  const auto length = static_cast<std::uint32_t>(text.size());
  std::memcpy(at, &length, kLengthBytes);
  std::memcpy(at + kLengthBytes, text.data(), text.size());
  return at;
}

void InternTable::Place(const Slot& slot) {
  std::size_t i = SlotOf(slot.tag);
  while (slots_[i].id != kEmpty) i = (i + 1) & (slots_.size() - 1);
  slots_[i] = slot;
}

void InternTable::Grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  for (const Slot& slot : old) {
    if (slot.id != kEmpty) Place(slot);
  }
}

}  // namespace chiso::store_internal
