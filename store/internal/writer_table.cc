#include "store/internal/writer_table.h"

namespace chiso::store_internal {

std::optional<WriterId> WriterTable::Find(std::string_view name) const {
  const auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

WriterId WriterTable::Add(std::string name) {
  const auto id = static_cast<WriterId>(names_.size());
  ids_.emplace(name, id);
  names_.push_back(std::move(name));
  return id;
}

const std::string& WriterTable::Name(WriterId id) const {
  static const std::string kUnknown;
  return id < names_.size() ? names_[id] : kUnknown;
}

}  // namespace chiso::store_internal
