// HttpPost: one blocking HTTP/1.1 POST over a fresh TCP connection (Boost.Beast), bounded by a
// timeout, answering the status code and the headers a sender acts on. Plain http:// URLs only
// (receivers run beside chiso or behind a local proxy that adds TLS). Shared by notify/ (alerts)
// and forward/ (remote write). Thread-safe: calls share nothing.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace chiso::http_client {

// Header lines to send, name and value, e.g. {"X-Scope-OrgID", "nghe_an"}.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// What the receiver answered, whatever the status.
struct HttpAnswer {
  unsigned status = 0;
  std::string retry_after;  // the Retry-After header as sent; "" when absent
  std::string body;
};

// Posts `body` to `url` with `headers` (Host and User-Agent are set here). InvalidArgument for a
// URL that is not http://host[:port][/path]; Unavailable naming the URL when the connection, the
// request or the answer fails or takes longer than `timeout` in all.
Result<HttpAnswer> HttpPost(const std::string& url, std::string_view body,
                            const HttpHeaders& headers, std::chrono::milliseconds timeout);

}  // namespace chiso::http_client
