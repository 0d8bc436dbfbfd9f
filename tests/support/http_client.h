// A deliberately small blocking HTTP/1.1 client over a raw socket, for tests only. Raw so that
// a test can also misbehave on purpose: send half a request, dribble bytes, lie about sizes.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace chiso::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; every read waits at most `timeout`.
  explicit RawConnection(std::uint16_t port,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  // False when the peer has closed or reset the connection.
  bool Send(const std::string& bytes);
  // Reads one response (Content-Length framed or chunked); nullopt on timeout, close or garbage.
  std::optional<RawResponse> ReadResponse();
  // True when the server closes the connection before `within` passes.
  bool WaitForClose(std::chrono::milliseconds within);

 private:
  int fd_ = -1;
  std::string pending_;
};

// One request on a fresh connection. `extra_headers` are full lines without the CRLF.
std::optional<RawResponse> HttpCall(std::uint16_t port, const std::string& method,
                                    const std::string& target, const std::string& body = "",
                                    const std::string& extra_headers = "");

}  // namespace chiso::testing
