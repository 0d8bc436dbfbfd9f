// JSON text for API answers. Like boost::json::serialize, except that numbers are written the
// way people write them (52, 56.5, 0.001) rather than in exponent form (5.2E1), and that NaN
// and infinities, which JSON cannot express, become null.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace chiso::api {

std::string ToJsonText(const boost::json::value& value);

}  // namespace chiso::api
