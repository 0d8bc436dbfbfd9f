#include "forward/testing/receiver.h"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/snappy_body.h"

namespace chiso::forward::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct RemoteWriteReceiver::Impl {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::thread thread;
  std::atomic<bool> stopping{false};
  mutable std::mutex mu;
  std::deque<ScriptedAnswer> script;
  std::function<unsigned(const ReceivedRequest&)> rule;
  std::vector<std::pair<ReceivedRequest, unsigned>> received;

  void Serve(asio::ip::tcp::socket socket) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    beast::error_code error;
    http::read(socket, buffer, request, error);
    if (error) return;
    ReceivedRequest got;
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      got.headers[name] = std::string(field.value());
    }
    if (auto message = DecompressSnappyBody(request.body(), 64 << 20, "", ""); message.ok()) {
      if (auto series = DecodeWriteRequest(*message); series.ok()) got.series = std::move(*series);
    }
    ScriptedAnswer answer;
    {
      std::lock_guard lock(mu);
      if (!script.empty()) {
        answer = script.front();
        script.pop_front();
      } else if (rule) {
        answer.status = rule(got);
      }
      received.emplace_back(std::move(got), answer.status);
    }
    http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
    if (!answer.retry_after.empty()) response.set(http::field::retry_after, answer.retry_after);
    response.body() = answer.status < 300 ? "" : "scripted answer";
    response.prepare_payload();
    http::write(socket, response, error);
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, error);
  }
};

RemoteWriteReceiver::RemoteWriteReceiver() : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::thread([impl = impl_.get()] {
    for (;;) {
      beast::error_code error;
      asio::ip::tcp::socket socket = impl->acceptor.accept(error);
      if (impl->stopping) return;
      if (error) continue;
      impl->Serve(std::move(socket));
    }
  });
}

RemoteWriteReceiver::~RemoteWriteReceiver() {
  // Wakes the blocking accept with a connection of our own.
  impl_->stopping = true;
  beast::error_code ignored;
  asio::ip::tcp::socket waker(impl_->io);
  waker.connect(impl_->acceptor.local_endpoint(), ignored);
  impl_->thread.join();
}

std::string RemoteWriteReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->acceptor.local_endpoint().port()) +
         "/api/v1/write";
}

void RemoteWriteReceiver::Script(std::vector<ScriptedAnswer> answers) {
  std::lock_guard lock(impl_->mu);
  impl_->script.assign(answers.begin(), answers.end());
}

void RemoteWriteReceiver::AnswerBy(std::function<unsigned(const ReceivedRequest&)> rule) {
  std::lock_guard lock(impl_->mu);
  impl_->rule = std::move(rule);
}

std::vector<ReceivedRequest> RemoteWriteReceiver::requests() const {
  std::lock_guard lock(impl_->mu);
  std::vector<ReceivedRequest> out;
  for (const auto& [request, status] : impl_->received) out.push_back(request);
  return out;
}

std::map<std::string, std::vector<std::pair<TimestampMs, double>>> RemoteWriteReceiver::Accepted()
    const {
  std::lock_guard lock(impl_->mu);
  std::map<std::string, std::vector<std::pair<TimestampMs, double>>> out;
  for (const auto& [request, status] : impl_->received) {
    if (status < 200 || status >= 300) continue;
    for (const WriteRequestSeries& series : request.series) {
      auto& samples = out[LabelsToString(series.labels)];
      samples.insert(samples.end(), series.samples.begin(), series.samples.end());
    }
  }
  return out;
}

}  // namespace chiso::forward::testing
