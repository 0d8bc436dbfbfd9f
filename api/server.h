// HttpServer: the Boost.Beast HTTP/1.1 server in front of the Router.
//
// Every connection is bounded: a request must arrive completely within request_timeout (a slow
// or idle client is disconnected), headers and body are capped (431 / 413 before the body is
// read), at most max_connections are served at once (503 with Retry-After beyond that), and a
// response must be written within write_timeout. The handler runs on the server's threads and
// must be thread-safe; an exception it throws becomes a 500 and never stops the server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_message.h"
#include "api/http_probe.h"
#include "common/status.h"

namespace chiso::api {

struct ServerOptions {
  // Address to listen on. Default: 127.0.0.1
  std::string address = "127.0.0.1";
  // TCP port; 0 picks a free port (tests read it back with port()). Default: 9157
  std::uint16_t port = 9157;
  // Largest request body; a larger declared or sent body gets 413. Default: 16 MiB
  std::size_t max_body_bytes = 16u << 20;
  // Largest request line plus headers; larger gets 431. Default: 16 KiB
  std::size_t max_header_bytes = 16u << 10;
  // Time a connection has to deliver one complete request, counted from when the server starts
  // waiting for it (so it is also the keep-alive idle limit). Default: 30 s
  std::chrono::milliseconds request_timeout{30'000};
  // Time allowed to write one response. Default: 30 s
  std::chrono::milliseconds write_timeout{30'000};
  // Connections served at once; more are answered 503 and closed. Default: 1024
  std::size_t max_connections = 1024;
  // Threads running the server; 0 means four per CPU core (handlers block on fsync). Default: 0
  unsigned threads = 0;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  // `probe` must outlive the server.
  HttpServer(ServerOptions options, RequestHandler handler, HttpProbe* probe);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving. FailedPrecondition naming the address when it cannot listen.
  Status Start();
  // The bound port (the real one when options.port was 0). Valid after Start().
  std::uint16_t port() const;
  // Stops accepting, drops open connections and joins the threads. Idempotent.
  void Stop();

  struct Impl;  // opaque: keeps Boost.Beast out of this header

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace chiso::api
