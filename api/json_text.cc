#include "api/json_text.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>

namespace chiso::api {
namespace {

void Write(const boost::json::value& value, std::string* out) {
  switch (value.kind()) {
    case boost::json::kind::double_: {
      const double number = value.get_double();
      if (!std::isfinite(number)) {
        out->append("null");
        return;
      }
      char buf[32];
      const auto result = std::to_chars(buf, buf + sizeof buf, number);
      out->append(buf, result.ptr);
      return;
    }
    case boost::json::kind::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out->push_back(',');
        first = false;
        out->append(boost::json::serialize(boost::json::string_view(member.key())));
        out->push_back(':');
        Write(member.value(), out);
      }
      out->push_back('}');
      return;
    }
    case boost::json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        Write(item, out);
      }
      out->push_back(']');
      return;
    }
    default:
      out->append(boost::json::serialize(value));  // strings, integers, booleans, null
  }
}

}  // namespace

std::string ToJsonText(const boost::json::value& value) {
  std::string out;
  Write(value, &out);
  return out;
}

}  // namespace chiso::api
