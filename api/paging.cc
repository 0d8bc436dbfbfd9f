#include "api/paging.h"

#include <algorithm>
#include <charconv>
#include <numeric>

namespace chiso::api {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// A cursor is the hex of its parts (the list's name, then the key), each written as
// "<byte count>:<bytes>", so that any bytes survive and the text is safe in a URL.
std::string Hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    out += kHexDigits[byte >> 4];
    out += kHexDigits[byte & 0xf];
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    if (error != std::errc() || end != text.data() + i + 2) return std::nullopt;
    out += static_cast<char>(value);
  }
  return out;
}

std::optional<std::vector<std::string>> DecodeParts(std::string_view cursor) {
  auto bytes = Unhex(cursor);
  if (!bytes) return std::nullopt;
  std::vector<std::string> parts;
  std::string_view rest = *bytes;
  while (!rest.empty()) {
    std::size_t size = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), size);
    const std::size_t digits = static_cast<std::size_t>(end - rest.data());
    if (error != std::errc() || digits == rest.size() || *end != ':' ||
        size > rest.size() - digits - 1) {
      return std::nullopt;
    }
    parts.emplace_back(rest.substr(digits + 1, size));
    rest.remove_prefix(digits + 1 + size);
  }
  return parts;
}

}  // namespace

std::string EncodeCursor(std::string_view list, const SortKey& key) {
  std::string bytes;
  auto add = [&](std::string_view part) {
    bytes += std::to_string(part.size());
    bytes += ':';
    bytes += part;
  };
  add(list);
  for (const std::string& part : key) add(part);
  return Hex(bytes);
}

Result<PageRequest> ParsePageRequest(const RequestContext& context, std::string_view list,
                                     std::size_t key_size) {
  PageRequest request;
  request.list = std::string(list);
  if (const std::string limit = context.Query("limit"); !limit.empty()) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
    if (error != std::errc() || end != limit.data() + limit.size() || value < 1 ||
        value > kMaxPageLimit) {
      return Status::InvalidArgument("query parameter limit must be a whole number from 1 to " +
                                     std::to_string(kMaxPageLimit) + ", not '" + limit + "'");
    }
    request.limit = value;
  }
  if (const std::string cursor = context.Query("cursor"); !cursor.empty()) {
    auto parts = DecodeParts(cursor);
    if (!parts || parts->size() != key_size + 1 || parts->front() != list) {
      return Status::InvalidArgument("query parameter cursor is not a cursor of /api/v1/" +
                                     std::string(list) +
                                     "; send the next_cursor of the previous answer unchanged");
    }
    request.after = SortKey(parts->begin() + 1, parts->end());
  }
  return request;
}

Page SelectPage(std::span<const SortKey> keys, const PageRequest& request) {
  std::vector<std::size_t> order(keys.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  auto first = order.begin();
  if (request.after) {
    first =
        std::upper_bound(order.begin(), order.end(), *request.after,
                         [&](const SortKey& after, std::size_t row) { return after < keys[row]; });
  }
  const auto last = first + static_cast<std::ptrdiff_t>(
                                std::min<std::size_t>(request.limit, order.end() - first));
  Page page;
  page.total = keys.size();
  page.rows.assign(first, last);
  if (last != order.end()) {
    page.next_cursor = EncodeCursor(request.list, keys[*(last - 1)]);
  }
  return page;
}

}  // namespace chiso::api
