#include "api/server.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <thread>

#include "tests/support/http_client.h"

namespace chiso::api {
namespace {

using chiso::testing::HttpCall;
using chiso::testing::RawConnection;
using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options) {
    options.port = 0;
    options.threads = 2;
    server_ = std::make_unique<HttpServer>(
        options,
        [](const HttpRequest& request) {
          if (request.path == "/throw") throw std::runtime_error("boom");
          HttpResponse response;
          response.body =
              request.method + " " + request.path + " " + std::to_string(request.body.size());
          response.handler = "/echo";
          return response;
        },
        &probe_);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  prometheus::Registry registry_;
  HttpProbe probe_{registry_};
  std::unique_ptr<HttpServer> server_;
};

TEST_F(ServerTest, ServesRequestsAndKeepsConnectionsAlive) {
  StartServer({});
  RawConnection connection(server_->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection.Send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"));
    auto response = connection.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "POST /x 5");
  }
}

TEST_F(ServerTest, OversizedBodyGets413BeforeItIsRead) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.Send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 50000000\r\n\r\n" +
                              std::string(4096, 'x')));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_NE(response->body.find("larger than the limit of 1024 bytes"), std::string::npos);
  // The server is still serving.
  EXPECT_EQ(HttpCall(server_->port(), "GET", "/after")->status, 200);
}

TEST_F(ServerTest, OversizedHeadersGet431) {
  ServerOptions options;
  options.max_header_bytes = 2048;
  StartServer(options);
  auto response = HttpCall(server_->port(), "GET", "/x", "", "X-Big: " + std::string(4096, 'a'));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
}

TEST_F(ServerTest, SlowClientIsCutOffWhileOthersAreServed) {
  ServerOptions options;
  options.request_timeout = 300ms;
  StartServer(options);
  RawConnection slow(server_->port());
  ASSERT_TRUE(slow.Send("POST /x HTTP/1.1\r\nHost: a\r\n"));  // and then nothing more
  EXPECT_EQ(HttpCall(server_->port(), "GET", "/meanwhile")->status, 200);
  EXPECT_TRUE(slow.WaitForClose(3s)) << "a client that never finishes its request must be dropped";
}

TEST_F(ServerTest, MalformedRequestGets400AndHandlerExceptionsGet500) {
  StartServer({});
  RawConnection connection(server_->port());
  ASSERT_TRUE(connection.Send("THIS IS NOT HTTP\r\n\r\n"));
  auto response = connection.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  auto thrown = HttpCall(server_->port(), "GET", "/throw");
  ASSERT_TRUE(thrown.has_value());
  EXPECT_EQ(thrown->status, 500);
  EXPECT_NE(thrown->body.find("boom"), std::string::npos);
  EXPECT_EQ(HttpCall(server_->port(), "GET", "/still-up")->status, 200);
}

TEST_F(ServerTest, ConnectionsBeyondTheCapGet503WithRetryAfter) {
  ServerOptions options;
  options.max_connections = 2;
  StartServer(options);
  RawConnection first(server_->port()), second(server_->port());
  ASSERT_TRUE(first.Send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n"));
  ASSERT_TRUE(second.Send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n"));
  ASSERT_EQ(first.ReadResponse()->status, 200);
  ASSERT_EQ(second.ReadResponse()->status, 200);
  auto third = HttpCall(server_->port(), "GET", "/c");
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->status, 503);
  EXPECT_EQ(third->headers["retry-after"], "1");
}

TEST_F(ServerTest, RecordsRequestDurations) {
  StartServer({});
  ASSERT_EQ(HttpCall(server_->port(), "GET", "/x")->status, 200);
  bool found = false;
  for (const auto& family : registry_.Collect()) {
    if (family.name != "chiso_http_request_duration_seconds") continue;
    for (const auto& metric : family.metric) {
      found |= metric.histogram.sample_count == 1 && metric.label.size() == 2 &&
               metric.label[0].value == "200" && metric.label[1].value == "/echo";
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(ServerTest, ReportsAPortInUse) {
  StartServer({});
  ServerOptions clash;
  clash.port = server_->port();
  HttpServer second(
      clash, [](const HttpRequest&) { return HttpResponse{}; }, &probe_);
  Status started = second.Start();
  EXPECT_EQ(started.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(started.message().find("cannot listen on 127.0.0.1:" + std::to_string(server_->port())),
            std::string::npos);
}

}  // namespace
}  // namespace chiso::api
