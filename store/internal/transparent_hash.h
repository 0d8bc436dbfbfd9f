// Hash for string-keyed unordered containers that accepts std::string_view lookups without
// building a temporary std::string (use with std::equal_to<>).
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

namespace chiso::store_internal {

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

}  // namespace chiso::store_internal
