#include "http_client/http_post.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace chiso::http_client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct Url {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

Result<Url> ParseUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return Status::InvalidArgument("receiver URL '" + url + "' must start with http://");
  }
  const std::string rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  Url out;
  if (slash != std::string::npos) out.target = rest.substr(slash);
  const std::size_t colon = authority.rfind(':');
  out.host = authority.substr(0, colon);
  if (colon != std::string::npos) out.port = authority.substr(colon + 1);
  if (out.host.empty() || out.port.empty()) {
    return Status::InvalidArgument("receiver URL '" + url + "' has no host or port");
  }
  return out;
}

}  // namespace

Result<HttpAnswer> HttpPost(const std::string& url, std::string_view body,
                            const HttpHeaders& headers, std::chrono::milliseconds timeout) {
  auto parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status();
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code error;
  asio::ip::tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(parsed->host, parsed->port, error);
  if (error) return Status::Unavailable("POST " + url + ": " + error.message());

  http::request<http::string_body> request{http::verb::post, parsed->target, 11};
  request.set(http::field::host, parsed->host);
  request.set(http::field::user_agent, "chiso");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = std::string(body);
  request.prepare_payload();
  http::response<http::string_body> response;
  beast::flat_buffer buffer;

  // Asynchronous calls run on `io` for at most `timeout` in all.
  stream.expires_after(timeout);
  stream.async_connect(endpoints, [&](beast::error_code ec, const auto&) {
    if (ec) {
      error = ec;
      return;
    }
    http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
      if (ec) {
        error = ec;
        return;
      }
      http::async_read(stream, buffer, response,
                       [&](beast::error_code ec, std::size_t) { error = ec; });
    });
  });
  io.run();
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  if (error) return Status::Unavailable("POST " + url + ": " + error.message());
  HttpAnswer answer;
  answer.status = response.result_int();
  answer.retry_after = std::string(response[http::field::retry_after]);
  answer.body = std::move(response.body());
  return answer;
}

}  // namespace chiso::http_client
