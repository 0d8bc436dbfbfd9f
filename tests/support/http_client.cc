#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

namespace chiso::testing {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

RawConnection::RawConnection(std::uint16_t port, std::chrono::milliseconds timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return;
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<RawResponse> RawConnection::ReadResponse() {
  char chunk[8192];
  auto fill = [&]() {
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    pending_.append(chunk, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t head_end;
  while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return std::nullopt;
  }
  RawResponse response;
  const std::string head = pending_.substr(0, head_end);
  if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  response.status = std::atoi(head.c_str() + 9);
  std::size_t line_start = head.find("\r\n");
  while (line_start != std::string::npos && line_start < head.size()) {
    line_start += 2;
    const std::size_t line_end = std::min(head.find("\r\n", line_start), head.size());
    const std::string line = head.substr(line_start, line_end - line_start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      std::size_t value_start = line.find_first_not_of(' ', colon + 1);
      response.headers[name] = value_start == std::string::npos ? "" : line.substr(value_start);
    }
    line_start = line_end == head.size() ? std::string::npos : line_end;
  }
  pending_.erase(0, head_end + 4);
  auto encoding = response.headers.find("transfer-encoding");
  if (encoding != response.headers.end() && encoding->second.find("chunked") != std::string::npos) {
    // Chunks of "<hex size>[;extension]\r\n<data>\r\n", ended by a zero-size chunk, then
    // optional trailer lines and an empty line.
    while (true) {
      std::size_t line_end;
      while ((line_end = pending_.find("\r\n")) == std::string::npos) {
        if (!fill()) return std::nullopt;
      }
      const std::size_t size = std::strtoul(pending_.c_str(), nullptr, 16);
      pending_.erase(0, line_end + 2);
      if (size == 0) break;
      while (pending_.size() < size + 2) {
        if (!fill()) return std::nullopt;
      }
      response.body.append(pending_, 0, size);
      pending_.erase(0, size + 2);
    }
    std::size_t trailer_end;
    while ((trailer_end = pending_.find("\r\n")) != 0) {
      if (trailer_end != std::string::npos) {
        pending_.erase(0, trailer_end + 2);
      } else if (!fill()) {
        return std::nullopt;
      }
    }
    pending_.erase(0, 2);
    return response;
  }
  const std::size_t length =
      response.headers.count("content-length") ? std::stoul(response.headers["content-length"]) : 0;
  while (pending_.size() < length) {
    if (!fill()) return std::nullopt;
  }
  response.body = pending_.substr(0, length);
  pending_.erase(0, length);
  return response;
}

bool RawConnection::WaitForClose(std::chrono::milliseconds within) {
  const auto deadline = Clock::now() + within;
  char chunk[4096];
  while (Clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 1))) <= 0) continue;
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return true;
  }
  return false;
}

std::optional<RawResponse> HttpCall(std::uint16_t port, const std::string& method,
                                    const std::string& target, const std::string& body,
                                    const std::string& extra_headers) {
  RawConnection connection(port);
  if (!connection.connected()) return std::nullopt;
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!extra_headers.empty()) request += extra_headers + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  // A server may answer (413, 401) and stop reading before the body is sent: read the reply
  // even when sending fails.
  connection.Send(request);
  return connection.ReadResponse();
}

}  // namespace chiso::testing
