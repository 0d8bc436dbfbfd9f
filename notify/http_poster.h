// BeastHttpPoster: the HttpPoster the service uses — one blocking HTTP/1.1 POST per call over a
// fresh TCP connection (Boost.Beast), bounded by the timeout. Plain http:// URLs only (receivers
// run beside chiso, or behind a local proxy). Thread-safe: calls share nothing.
#pragma once

#include "notify/notifier.h"

namespace chiso::notify {

class BeastHttpPoster final : public HttpPoster {
 public:
  // InvalidArgument for a URL that is not http://host[:port][/path]; Unavailable naming the URL
  // when the connection, the request or the answer fails or takes longer than `timeout`, or the
  // answer is not 2xx.
  Status Post(const std::string& url, const std::string& json_body,
              std::chrono::milliseconds timeout) override;
};

}  // namespace chiso::notify
