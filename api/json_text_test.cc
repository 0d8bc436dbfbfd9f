#include "api/json_text.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

namespace chiso::api {
namespace {

TEST(JsonTextTest, NumbersAsPeopleWriteThem) {
  boost::json::object o{{"a", 52.0},
                        {"b", 56.5},
                        {"c", 0.001},
                        {"d", 1e21},
                        {"e", -3},
                        {"f", std::numeric_limits<double>::quiet_NaN()},
                        {"g", "Xã \"Gia\" Lộc"},
                        {"h", boost::json::array{1.5, true, nullptr}}};
  EXPECT_EQ(
      ToJsonText(o),
      R"({"a":52,"b":56.5,"c":0.001,"d":1e+21,"e":-3,"f":null,"g":"Xã \"Gia\" Lộc","h":[1.5,true,null]})");
  // Whatever it writes parses back to the same numbers.
  auto parsed = boost::json::parse(ToJsonText(o)).as_object();
  EXPECT_EQ(parsed["b"].to_number<double>(), 56.5);
  EXPECT_EQ(parsed["d"].to_number<double>(), 1e21);
}

}  // namespace
}  // namespace chiso::api
