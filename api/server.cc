#include "api/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>
#include <vector>

#include "api/response_compression.h"

namespace chiso::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// Handlers run on the server's threads and block: a write waits for its fsync, for the store's
// write lock, for a notifier. Waiting threads use no CPU, so with a few threads per core the
// cores keep reading and decoding other requests meanwhile.
constexpr unsigned kThreadsPerCore = 4;

// After a reply that closes the connection, the client may still be sending a body we refused.
// Reading and discarding it for a bounded time lets the client read the reply instead of
// getting a connection reset (which would lose the reply).
constexpr std::chrono::seconds kDrainTime{2};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, RequestHandler h, HttpProbe* p)
      : options(std::move(o)), handler(std::move(h)), probe(p) {}

  ServerOptions options;
  RequestHandler handler;
  HttpProbe* probe;
  net::io_context io;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<std::size_t> open_connections{0};
  std::atomic<bool> stopped{false};

  void Accept();
};

namespace {

// Beast reads into the free capacity of the read buffer (at least 512 bytes, at most 64 KiB), and
// the body parser empties the buffer as it goes, so a buffer left at its first size reads a 6 MB
// body half a kilobyte at a time: 240,000 recvmsg calls, wake-ups and timer resets for 200 Influx
// requests. Reserved at the 64 KiB beast reads at most, per connection.
constexpr std::size_t kReadBufferBytes = 64 * 1024;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server, bool over_capacity)
      : remote_address_(RemoteAddress(socket)),
        stream_(std::move(socket)),
        server_(server),
        over_capacity_(over_capacity) {
    if (!over_capacity_) ++server_.open_connections;
    buffer_.reserve(kReadBufferBytes);
  }
  ~Session() {
    if (!over_capacity_) --server_.open_connections;
  }

  void Start() {
    if (over_capacity_) {
      server_.probe->ConnectionRejected();
      HttpResponse busy = ErrorResponse(503, "too many connections; retry shortly");
      busy.headers.emplace_back("Retry-After", "1");
      return Write(std::move(busy), /*keep_alive=*/false);
    }
    ReadRequest();
  }

 private:
  static std::string RemoteAddress(const tcp::socket& socket) {
    beast::error_code ec;
    const tcp::endpoint peer = socket.remote_endpoint(ec);
    return ec ? std::string() : peer.address().to_string();
  }

  const ServerOptions& options() const { return server_.options; }

  void ReadRequest() {
    parser_.emplace();
    parser_->body_limit(options().max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    stream_.expires_after(options().request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::eof) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Write(ErrorResponse(413, "request body is larger than the limit of " +
                                          std::to_string(options().max_body_bytes) + " bytes"),
                   false);
    }
    if (ec == http::error::header_limit) {
      return Write(ErrorResponse(431, "request headers are larger than the limit of " +
                                          std::to_string(options().max_header_bytes) + " bytes"),
                   false);
    }
    if (ec) return Write(ErrorResponse(400, "malformed HTTP request: " + ec.message()), false);

    const auto started = Clock::now();
    http::request<http::string_body> message = parser_->release();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.authorization = std::string(message[http::field::authorization]);
    request.content_type = std::string(message[http::field::content_type]);
    request.content_encoding = std::string(message[http::field::content_encoding]);
    request.accept_encoding = std::string(message[http::field::accept_encoding]);
    request.if_none_match = std::string(message[http::field::if_none_match]);
    request.cookie = std::string(message[http::field::cookie]);
    request.origin = std::string(message[http::field::origin]);
    request.host = std::string(message[http::field::host]);
    request.csrf_token = std::string(message["X-CSRF-Token"]);
    request.forwarded_proto = std::string(message["X-Forwarded-Proto"]);
    request.body = std::move(message.body());
    request.remote_address = remote_address_;
    HttpResponse response;
    if (Status parsed = ParseTarget(request.target, &request.path, &request.query); !parsed.ok()) {
      response = ErrorResponse(parsed);
    } else {
      AdoptInfluxQueryCredentials(&request);
      try {
        response = server_.handler(request);
      } catch (const std::exception& e) {
        response = ErrorResponse(500, std::string("internal error: ") + e.what());
      }
    }
    CompressForClient(request.accept_encoding, &response);
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    server_.probe->RequestServed(response.handler, response.status, seconds);
    Write(std::move(response), message.keep_alive());
  }

  void Write(HttpResponse response, bool keep_alive) {
    auto out = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    out->set(http::field::server, "chiso");
    out->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) out->insert(name, value);
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    stream_.expires_after(options().write_timeout);
    http::async_write(
        stream_, *out,
        [self = shared_from_this(), out, keep_alive](beast::error_code ec, std::size_t) {
          if (ec) return self->Close();
          if (keep_alive) return self->ReadRequest();
          self->Drain();
        });
  }

  // Half-closes, then discards what the client still sends, for at most kDrainTime.
  void Drain() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kDrainTime);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->DrainSome();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  std::string remote_address_;  // the client, for the throttle of failed authentication
  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  const bool over_capacity_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::array<char, 16 * 1024> scratch_{};
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor->async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (stopped) return;
    } else {
      const bool over = open_connections.load() >= options.max_connections;
      std::make_shared<Session>(std::move(socket), *this, over)->Start();
    }
    Accept();
  });
}

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, HttpProbe* probe)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), probe)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  const std::string where = impl_->options.address + ":" + std::to_string(impl_->options.port);
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec)
    return Status::InvalidArgument("listen address '" + impl_->options.address +
                                   "' is not an IP address");
  const tcp::endpoint endpoint(address, impl_->options.port);
  tcp::acceptor& acceptor = impl_->acceptor.emplace(impl_->io);
  if (acceptor.open(endpoint.protocol(), ec); !ec)
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::FailedPrecondition("cannot listen on " + where + ": " + ec.message());

  impl_->Accept();
  unsigned count = impl_->options.threads;
  if (count == 0) count = kThreadsPerCore * std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < count; ++i) impl_->threads.emplace_back([this] { impl_->io.run(); });
  return Status::Ok();
}

std::uint16_t HttpServer::port() const {
  beast::error_code ec;
  return impl_->acceptor ? impl_->acceptor->local_endpoint(ec).port() : 0;
}

void HttpServer::Stop() {
  if (impl_->stopped.exchange(true)) return;
  net::post(impl_->io, [this] {
    beast::error_code ignored;
    if (impl_->acceptor) impl_->acceptor->close(ignored);
  });
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace chiso::api
