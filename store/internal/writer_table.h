// WriterTable: interned writer names (token names, source systems). Samples carry a small writer
// id instead of the name; the names live in the meta column family under WriterKey(id).
//
// Not thread-safe; StoreImpl guards it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/internal/keys.h"
#include "store/internal/transparent_hash.h"

namespace chiso::store_internal {

class WriterTable {
 public:
  std::optional<WriterId> Find(std::string_view name) const;
  // Registers the next writer (id == size()).
  WriterId Add(std::string name);
  std::size_t size() const { return names_.size(); }
  // The name of `id`; "" for an id never registered (a corrupt record).
  const std::string& Name(WriterId id) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, WriterId, TransparentHash, std::equal_to<>> ids_;
};

}  // namespace chiso::store_internal
