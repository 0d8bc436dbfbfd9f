// ingest_load: a load generator for the write endpoints of chiso and of its peers
// (VictoriaMetrics, InfluxDB 1.x, Prometheus), so they are measured with the same bytes.
//
//   ingest_load --port 9157 --protocol influx --path '/write?precision=ms' --token SECRET
//
// Each of --connections keep-alive connections sends --requests requests of --items items.
// Series are `cpu_usage{host="host_N",dc="dcN",rack="rN"}` with N among --series; connection c
// owns the series N ≡ c (mod connections), and request r of a connection carries --items
// distinct series of its own at timestamp --base-ms + r seconds, so no peer sees a sample out of
// order or a duplicate. Payloads are deterministic (fixed seed) and built before the clock starts.
// Prints one line of key=value figures; exits 1 when any request is not answered 2xx.
//
// Overload mode (--duration SECONDS): each connection sends for that long instead, paced so that
// all connections together offer --rate samples per second (0: as fast as answers come), request
// r at timestamp --base-ms + r milliseconds. Refusals are expected there: the run fails only on
// an answer other than 2xx, 429 or 503, on a 429 or 503 without Retry-After, or on a request left
// unanswered. It prints the answers by status, the offered and acknowledged rates, and the
// acknowledged samples in each second of the run; with --verify it then reads every series back
// through the server's remote read (POST /api/v1/read) and fails when an acknowledged sample is
// missing or holds another value.
#include <algorithm>
#include <atomic>
#include <barrier>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ingest/testing/bodies.h"
#include "remote_read/testing/prompb_codec.h"
#include "tests/support/http_client.h"

namespace chiso::bench {
namespace {

struct LoadOptions {
  std::uint16_t port = 9157;
  std::string protocol = "influx";  // influx | remote_write | json
  std::string path = "/write?precision=ms";
  std::string token;
  int connections = 8;
  int requests = 25;
  int items = 10'000;
  int series = 200'000;
  std::int64_t base_ms = 0;
  std::string indicator = "mobile_6g_coverage_pct";
  std::string unit = "gia_loc";
  double duration_s = 0;  // > 0: overload mode
  double rate = 0;        // overload mode: samples per second offered by all connections
  bool verify = false;    // overload mode: read every acknowledged sample back
  std::string read_path = "/api/v1/read";
};

// The `items` distinct series ids of connection `connection`'s request `request`.
std::vector<int> SeriesOf(const LoadOptions& options, int connection, int request) {
  const int owned = options.series / options.connections;
  std::mt19937 random(static_cast<unsigned>(connection * 1'000'003 + request));
  // A random start and a stride coprime with `owned` visit distinct ids.
  const int start = static_cast<int>(random() % static_cast<unsigned>(owned));
  int stride = 7919;
  while (std::gcd(stride, owned) != 1) stride += 2;
  std::vector<int> ids(static_cast<std::size_t>(options.items));
  for (int i = 0; i < options.items; ++i) {
    const int slot = static_cast<int>((start + static_cast<std::int64_t>(i) * stride) % owned);
    ids[static_cast<std::size_t>(i)] = slot * options.connections + connection;
  }
  return ids;
}

double ValueOf(int id, int request) {
  return static_cast<double>((id * 37 + request * 11) % 1000) / 10.0;
}

std::string InfluxBody(const std::vector<int>& ids, int request, std::int64_t ts) {
  std::string body;
  body.reserve(ids.size() * 72);
  char line[160];
  for (int id : ids) {
    const int n =
        std::snprintf(line, sizeof line, "cpu,host=host_%d,dc=dc%d,rack=r%d usage=%.1f %lld\n", id,
                      id % 8, id % 50, ValueOf(id, request), static_cast<long long>(ts));
    body.append(line, static_cast<std::size_t>(n));
  }
  return body;
}

std::string RemoteWriteBody(const std::vector<int>& ids, int request, std::int64_t ts) {
  std::vector<ingest::testing::RemoteSeries> series;
  series.reserve(ids.size());
  for (int id : ids) {
    ingest::testing::RemoteSeries one;
    one.labels = {{"__name__", "cpu_usage"},
                  {"dc", "dc" + std::to_string(id % 8)},
                  {"host", "host_" + std::to_string(id)},
                  {"rack", "r" + std::to_string(id % 50)}};
    one.samples = {{ts, ValueOf(id, request)}};
    series.push_back(std::move(one));
  }
  return ingest::testing::EncodeRemoteWrite(series);
}

std::string JsonBody(const LoadOptions& options, const std::vector<int>& ids, int request,
                     std::int64_t ts) {
  std::string body = "{\"readings\":[";
  char item[256];
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const int n =
        std::snprintf(item, sizeof item,
                      "%s{\"indicator\":\"%s\",\"unit\":\"%s\",\"value\":%.1f,\"time\":%lld,"
                      "\"labels\":{\"host\":\"host_%d\"}}",
                      i == 0 ? "" : ",", options.indicator.c_str(), options.unit.c_str(),
                      ValueOf(ids[i], request) / 10.0, static_cast<long long>(ts), ids[i]);
    body.append(item, static_cast<std::size_t>(n));
  }
  return body + "]}";
}

// Fixed mode: one request a second apart; overload mode: a millisecond apart, so a long run stays
// close to --base-ms.
std::int64_t TimestampOf(const LoadOptions& options, int request) {
  return options.base_ms + std::int64_t{request} * (options.duration_s > 0 ? 1 : 1000);
}

std::string Request(const LoadOptions& options, int connection, int request) {
  const std::vector<int> ids = SeriesOf(options, connection, request);
  const std::int64_t ts = TimestampOf(options, request);
  std::string body, headers;
  if (options.protocol == "remote_write") {
    body = RemoteWriteBody(ids, request, ts);
    headers =
        "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n"
        "X-Prometheus-Remote-Write-Version: 0.1.0\r\n";
  } else if (options.protocol == "json") {
    body = JsonBody(options, ids, request, ts);
    headers = "Content-Type: application/json\r\n";
  } else {
    body = InfluxBody(ids, request, ts);
    headers = "Content-Type: text/plain; charset=utf-8\r\n";
  }
  if (!options.token.empty()) headers += "Authorization: Bearer " + options.token + "\r\n";
  return "POST " + options.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

int RunFixed(const LoadOptions& options) {
  std::vector<std::vector<std::string>> requests(static_cast<std::size_t>(options.connections));
  std::size_t bytes = 0;
  for (int c = 0; c < options.connections; ++c) {
    for (int r = 0; r < options.requests; ++r) {
      requests[static_cast<std::size_t>(c)].push_back(Request(options, c, r));
      bytes += requests[static_cast<std::size_t>(c)].back().size();
    }
  }
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex failure_mutex;
  std::vector<double> latencies_ms;
  std::mutex latency_mutex;
  std::barrier start(options.connections + 1);
  std::vector<std::thread> threads;
  for (int c = 0; c < options.connections; ++c) {
    threads.emplace_back([&, c] {
      testing::RawConnection connection(options.port, std::chrono::seconds(120));
      start.arrive_and_wait();
      for (const std::string& request : requests[static_cast<std::size_t>(c)]) {
        const auto sent = std::chrono::steady_clock::now();
        std::optional<testing::RawResponse> response;
        if (connection.connected() && connection.Send(request))
          response = connection.ReadResponse();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent)
                .count();
        {
          std::lock_guard lock(latency_mutex);
          latencies_ms.push_back(ms);
        }
        if (!response || response->status / 100 != 2) {
          if (failures.fetch_add(1) == 0) {
            std::lock_guard lock(failure_mutex);
            first_failure =
                response ? std::to_string(response->status) + " " + response->body.substr(0, 300)
                         : "no response";
          }
        }
      }
    });
  }
  start.arrive_and_wait();
  const auto began = std::chrono::steady_clock::now();
  for (auto& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto percentile = [&](double p) {
    return latencies_ms.empty()
               ? 0.0
               : latencies_ms[static_cast<std::size_t>(p * (latencies_ms.size() - 1))];
  };
  const double samples =
      static_cast<double>(options.connections) * options.requests * options.items;
  std::printf(
      "protocol=%s samples=%.0f seconds=%.3f samples_per_s=%.0f request_mb=%.1f p50_ms=%.1f "
      "p99_ms=%.1f failures=%d\n",
      options.protocol.c_str(), samples, seconds, samples / seconds,
      static_cast<double>(bytes) / 1e6, percentile(0.5), percentile(0.99), failures.load());
  if (failures.load() > 0) std::fprintf(stderr, "first failure: %s\n", first_failure.c_str());
  return failures.load() == 0 ? 0 : 1;
}

// What the server answered in overload mode, per connection, merged at the end.
struct Answers {
  std::map<int, long> by_status;  // 0: no answer
  long refusals_without_retry_after = 0;
  std::vector<int> acked;                 // request indexes answered 2xx
  std::map<long, long> acked_samples_at;  // second of the run -> samples acknowledged
  std::string first_unexpected;

  void Merge(const Answers& other) {
    for (const auto& [status, count] : other.by_status) by_status[status] += count;
    refusals_without_retry_after += other.refusals_without_retry_after;
    for (const auto& [second, count] : other.acked_samples_at) acked_samples_at[second] += count;
    if (first_unexpected.empty()) first_unexpected = other.first_unexpected;
  }
  bool Unexpected(int status) const { return status != 429 && status != 503 && status / 100 != 2; }
};

// One connection of overload mode: sends until `end`, request r not before began + r * interval.
Answers Overload(const LoadOptions& options, int c, std::chrono::steady_clock::time_point began,
                 std::chrono::steady_clock::time_point end) {
  using Clock = std::chrono::steady_clock;
  const auto interval =
      options.rate > 0 ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                             options.items * options.connections / options.rate))
                       : Clock::duration::zero();
  Answers answers;
  std::unique_ptr<testing::RawConnection> connection;  // opened again after a failed request
  for (int r = 0;; ++r) {
    std::this_thread::sleep_until(began + r * interval);
    if (Clock::now() >= end) break;
    const std::string request = Request(options, c, r);
    if (!connection) {
      connection = std::make_unique<testing::RawConnection>(options.port, std::chrono::seconds(30));
    }
    std::optional<testing::RawResponse> response;
    if (connection->connected() && connection->Send(request)) response = connection->ReadResponse();
    const int status = response ? response->status : 0;
    ++answers.by_status[status];
    if (status / 100 == 2) {
      answers.acked.push_back(r);
      const long second = static_cast<long>(
          std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - began).count());
      answers.acked_samples_at[second] += options.items;
    } else if ((status == 429 || status == 503) && !response->headers.contains("retry-after")) {
      ++answers.refusals_without_retry_after;
    } else if ((status == 0 || answers.Unexpected(status)) && answers.first_unexpected.empty()) {
      answers.first_unexpected =
          response ? std::to_string(status) + " " + response->body.substr(0, 300) : "no answer";
    }
    if (!response) connection.reset();
  }
  return answers;
}

// Overload mode's --verify: reads back, through remote read, the series of each (dc, rack) group
// (connection c owns dc = c; 50 racks keep a group's answer small) and compares them with what
// was acknowledged. Returns the number of acknowledged samples missing or holding another value,
// and counts in `unacked` the stored samples of requests never acknowledged (answered with an
// error the server may have hit after storing, or not answered).
long VerifyAcked(const LoadOptions& options, const std::vector<Answers>& per_connection,
                 long* unacked) {
  using Type = prometheus::LabelMatcher;
  long wrong = 0;
  *unacked = 0;
  for (int c = 0; c < options.connections; ++c) {
    const std::vector<int>& acked = per_connection[static_cast<std::size_t>(c)].acked;
    // host id -> (timestamp -> value) of what was acknowledged.
    std::map<int, std::map<TimestampMs, double>> expected;
    for (int r : acked) {
      for (int id : SeriesOf(options, c, r)) expected[id][TimestampOf(options, r)] = ValueOf(id, r);
    }
    const int last_request = acked.empty() ? 0 : *std::max_element(acked.begin(), acked.end());
    for (int rack = 0; rack < 50; ++rack) {
      prometheus::ReadRequest request;
      *request.add_queries() = remote_read::testing::MakeQuery(
          options.base_ms, TimestampOf(options, last_request + 1'000'000),
          {{Type::EQ, "__name__", "cpu_usage"},
           {Type::EQ, "dc", "dc" + std::to_string(c)},
           {Type::EQ, "rack", "r" + std::to_string(rack)}});
      auto response = testing::HttpCall(
          options.port, "POST", options.read_path, remote_read::testing::EncodeReadRequest(request),
          "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n"
          "Authorization: Bearer " +
              options.token);
      std::optional<prometheus::ReadResponse> decoded;
      if (response && response->status == 200)
        decoded = remote_read::testing::DecodeSamplesResponse(response->body);
      if (!decoded || decoded->results_size() != 1) {
        std::fprintf(stderr, "verify: remote read of dc%d r%d failed: %s\n", c, rack,
                     response ? response->body.substr(0, 300).c_str() : "no answer");
        return -1;
      }
      for (const prometheus::TimeSeries& series : decoded->results(0).timeseries()) {
        int id = -1;
        for (const prometheus::Label& label : series.labels())
          if (label.name() == "host") id = std::stoi(label.value().substr(5));
        auto& wanted = expected[id];
        for (const prometheus::Sample& sample : series.samples()) {
          auto it = wanted.find(sample.timestamp());
          if (it == wanted.end()) {
            ++*unacked;
            continue;
          }
          if (it->second != sample.value()) ++wrong;
          wanted.erase(it);
        }
      }
    }
    // Whatever acknowledged sample no answer carried is missing.
    for (const auto& [id, left] : expected) wrong += static_cast<long>(left.size());
  }
  return wrong;
}

int RunOverload(const LoadOptions& options) {
  std::vector<Answers> per_connection(static_cast<std::size_t>(options.connections));
  const auto began = std::chrono::steady_clock::now();
  const auto end = began + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(options.duration_s));
  std::vector<std::thread> threads;
  for (int c = 0; c < options.connections; ++c) {
    threads.emplace_back(
        [&, c] { per_connection[static_cast<std::size_t>(c)] = Overload(options, c, began, end); });
  }
  for (auto& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  Answers all;
  long requests = 0, acked = 0;
  for (const Answers& one : per_connection) {
    all.Merge(one);
    acked += static_cast<long>(one.acked.size());
  }
  for (const auto& [status, count] : all.by_status) requests += count;
  std::string statuses, timeline;
  for (const auto& [status, count] : all.by_status)
    statuses +=
        (statuses.empty() ? "" : ",") + std::to_string(status) + ":" + std::to_string(count);
  for (const auto& [second, count] : all.acked_samples_at)
    timeline += (timeline.empty() ? "" : ",") + std::to_string(count);
  const double items = options.items;
  std::printf(
      "protocol=%s seconds=%.1f offered_per_s=%.0f acked_per_s=%.0f requests=%ld "
      "acked_samples=%.0f "
      "statuses=%s refusals_without_retry_after=%ld\nacked_samples_per_second=%s\n",
      options.protocol.c_str(), seconds, requests * items / seconds, acked * items / seconds,
      requests, acked * items, statuses.c_str(), all.refusals_without_retry_after,
      timeline.c_str());
  long unexpected = all.refusals_without_retry_after;
  for (const auto& [status, count] : all.by_status)
    if (status == 0 || all.Unexpected(status)) unexpected += count;
  if (unexpected > 0)
    std::fprintf(stderr, "first unexpected answer: %s\n", all.first_unexpected.c_str());
  long wrong = 0;
  if (options.verify) {
    long unacked = 0;
    wrong = VerifyAcked(options, per_connection, &unacked);
    std::printf(
        "verify: acknowledged samples missing or changed=%ld, stored but not acknowledged=%ld\n",
        wrong, unacked);
  }
  return unexpected == 0 && wrong == 0 ? 0 : 1;
}

}  // namespace
}  // namespace chiso::bench

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  chiso::bench::LoadOptions options;
  po::options_description described("ingest_load options");
  described.add_options()("help", "this text")("port", po::value(&options.port)->required(),
                                               "target port on 127.0.0.1")(
      "protocol", po::value(&options.protocol), "influx | remote_write | json")(
      "path", po::value(&options.path), "request target, e.g. /write?precision=ms")(
      "token", po::value(&options.token), "bearer token (chiso)")(
      "connections", po::value(&options.connections), "concurrent keep-alive connections")(
      "requests", po::value(&options.requests), "requests per connection")(
      "items", po::value(&options.items), "lines / samples / readings per request")(
      "series", po::value(&options.series), "distinct series in total")(
      "base-ms", po::value(&options.base_ms),
      "timestamp of the first request (default: now - 10 min)")(
      "indicator", po::value(&options.indicator), "json: indicator code")(
      "unit", po::value(&options.unit), "json: unit id")("duration", po::value(&options.duration_s),
                                                         "overload mode: seconds to send for")(
      "rate", po::value(&options.rate),
      "overload mode: samples per second offered by all connections (0: unpaced)")(
      "verify", po::bool_switch(&options.verify),
      "overload mode: read every acknowledged sample back through remote read")(
      "read-path", po::value(&options.read_path), "--verify: remote-read request target");
  po::variables_map values;
  try {
    po::store(po::parse_command_line(argc, argv, described), values);
    if (values.count("help")) {
      std::cout << described;
      return 0;
    }
    po::notify(values);
  } catch (const po::error& error) {
    std::cerr << "ingest_load: " << error.what() << "\n" << described;
    return 2;
  }
  if (options.base_ms == 0) {
    options.base_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count() -
                      600'000;
  }
  if (options.connections < 1 || options.requests < 1 || options.items < 1) {
    std::cerr << "ingest_load: --connections, --requests and --items must be at least 1\n";
    return 2;
  }
  if (options.series / options.connections < options.items) {
    std::cerr << "ingest_load: each connection needs at least --items series of its own\n";
    return 2;
  }
  return options.duration_s > 0 ? chiso::bench::RunOverload(options)
                                : chiso::bench::RunFixed(options);
}
