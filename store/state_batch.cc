#include "store/state_batch.h"

namespace chiso {

void StateBatch::Put(std::string_view space, std::string_view key, std::string_view value) {
  mutations_.push_back({std::string(space), std::string(key), std::string(value)});
}

void StateBatch::Delete(std::string_view space, std::string_view key) {
  mutations_.push_back({std::string(space), std::string(key), std::nullopt});
}

}  // namespace chiso
