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
// Steady mode (--steady): the series are known and every request brings new timestamps, as in
// steady operation. The series are --communes x --indicators readings
// `portal,unit=xa_NNNN,indicator=ind_NN value=V` (remote write: `portal_value{unit,indicator}`);
// connection c owns the series N = c (mod connections) and walks them minute by minute (--step-ms):
// line k of its stream is its (k mod owned)-th series at step k / owned, and request r carries the
// lines r*items .. (r+1)*items - 1, so each series' timestamps only advance. Before the clock
// starts each connection writes its series once, a step before the first, so that they exist.
// --corrections F adds to each request, after its new lines, a correction (another value) of the
// previous step of F x items of the series it carries; --retries F sends that share of requests a
// second time, byte for byte, once answered, as a client does after a lost answer. Every line sent
// counts in samples_per_s; new_samples counts the first-time ones.
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
  bool steady = false;   // steady mode
  int communes = 3'321;  // steady mode: series = communes x indicators
  int indicators = 20;
  std::int64_t step_ms = 60'000;  // steady mode: from one step to the next
  double corrections = 0;         // steady mode: corrections per new line
  double retries = 0;             // steady mode: share of requests sent twice
};

// One line of a request: series `id` at `ts`.
struct Point {
  int id = 0;
  std::int64_t ts = 0;
  double value = 0;
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

std::string InfluxBody(const LoadOptions& options, const std::vector<Point>& points) {
  std::string body;
  body.reserve(points.size() * 72);
  char line[160];
  for (const Point& p : points) {
    const int n = options.steady
                      ? std::snprintf(line, sizeof line,
                                      "portal,unit=xa_%04d,indicator=ind_%02d value=%.1f %lld\n",
                                      p.id / options.indicators, p.id % options.indicators, p.value,
                                      static_cast<long long>(p.ts))
                      : std::snprintf(line, sizeof line,
                                      "cpu,host=host_%d,dc=dc%d,rack=r%d usage=%.1f %lld\n", p.id,
                                      p.id % 8, p.id % 50, p.value, static_cast<long long>(p.ts));
    body.append(line, static_cast<std::size_t>(n));
  }
  return body;
}

std::string RemoteWriteBody(const LoadOptions& options, const std::vector<Point>& points) {
  std::vector<ingest::testing::RemoteSeries> series;
  series.reserve(points.size());
  for (const Point& p : points) {
    ingest::testing::RemoteSeries one;
    if (options.steady) {
      char unit[16], indicator[16];
      std::snprintf(unit, sizeof unit, "xa_%04d", p.id / options.indicators);
      std::snprintf(indicator, sizeof indicator, "ind_%02d", p.id % options.indicators);
      one.labels = {{"__name__", "portal_value"}, {"indicator", indicator}, {"unit", unit}};
    } else {
      one.labels = {{"__name__", "cpu_usage"},
                    {"dc", "dc" + std::to_string(p.id % 8)},
                    {"host", "host_" + std::to_string(p.id)},
                    {"rack", "r" + std::to_string(p.id % 50)}};
    }
    one.samples = {{p.ts, p.value}};
    series.push_back(std::move(one));
  }
  return ingest::testing::EncodeRemoteWrite(series);
}

std::string JsonBody(const LoadOptions& options, const std::vector<Point>& points) {
  std::string body = "{\"readings\":[";
  char item[256];
  for (std::size_t i = 0; i < points.size(); ++i) {
    const int n =
        std::snprintf(item, sizeof item,
                      "%s{\"indicator\":\"%s\",\"unit\":\"%s\",\"value\":%.1f,\"time\":%lld,"
                      "\"labels\":{\"host\":\"host_%d\"}}",
                      i == 0 ? "" : ",", options.indicator.c_str(), options.unit.c_str(),
                      points[i].value / 10.0, static_cast<long long>(points[i].ts), points[i].id);
    body.append(item, static_cast<std::size_t>(n));
  }
  return body + "]}";
}

// Fixed mode: one request a second apart; overload mode: a millisecond apart, so a long run stays
// close to --base-ms.
std::int64_t TimestampOf(const LoadOptions& options, int request) {
  return options.base_ms + std::int64_t{request} * (options.duration_s > 0 ? 1 : 1000);
}

// The lines of request `request` of `connection` in fixed and overload mode.
std::vector<Point> PointsOf(const LoadOptions& options, int connection, int request) {
  std::vector<Point> points;
  const std::int64_t ts = TimestampOf(options, request);
  for (int id : SeriesOf(options, connection, request))
    points.push_back({id, ts, ValueOf(id, request)});
  return points;
}

// Steady mode: the series connection `connection` owns.
int OwnedSeries(const LoadOptions& options, int connection) {
  const int series = options.communes * options.indicators;
  return series / options.connections + (connection < series % options.connections ? 1 : 0);
}

// Steady mode: line `k` of connection `connection`'s stream (k < 0: the step before the first).
Point SteadyPoint(const LoadOptions& options, int connection, std::int64_t k) {
  const int owned = OwnedSeries(options, connection);
  const std::int64_t step = k >= 0 ? k / owned : -1;
  const int slot = static_cast<int>(((k % owned) + owned) % owned);
  const int id = slot * options.connections + connection;
  return {id, options.base_ms + step * options.step_ms, ValueOf(id, static_cast<int>(step + 1))};
}

// Steady mode: request `request` of `connection`'s stream (request -1 holds the warm-up lines of
// every owned series), new lines first, then the corrections.
std::vector<Point> SteadyPointsOf(const LoadOptions& options, int connection, int request,
                                  int warmup_lines) {
  const int owned = OwnedSeries(options, connection);
  std::vector<Point> points;
  if (request < 0) {
    for (int k = warmup_lines; k < std::min(owned, warmup_lines + options.items); ++k)
      points.push_back(SteadyPoint(options, connection, k - owned));
    return points;
  }
  std::mt19937 random(static_cast<unsigned>(connection * 1'000'003 + request));
  std::bernoulli_distribution corrected(options.corrections);
  std::vector<Point> corrections;
  for (std::int64_t k = std::int64_t{request} * options.items;
       k < std::int64_t{request + 1} * options.items; ++k) {
    points.push_back(SteadyPoint(options, connection, k));
    if (!corrected(random)) continue;
    Point earlier = SteadyPoint(options, connection, k - owned);
    earlier.value += 0.5;
    corrections.push_back(earlier);
  }
  points.insert(points.end(), corrections.begin(), corrections.end());
  return points;
}

std::string Request(const LoadOptions& options, const std::vector<Point>& points) {
  std::string body, headers;
  if (options.protocol == "remote_write") {
    body = RemoteWriteBody(options, points);
    headers =
        "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n"
        "X-Prometheus-Remote-Write-Version: 0.1.0\r\n";
  } else if (options.protocol == "json") {
    body = JsonBody(options, points);
    headers = "Content-Type: application/json\r\n";
  } else {
    body = InfluxBody(options, points);
    headers = "Content-Type: text/plain; charset=utf-8\r\n";
  }
  if (!options.token.empty()) headers += "Authorization: Bearer " + options.token + "\r\n";
  return "POST " + options.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string Request(const LoadOptions& options, int connection, int request) {
  return Request(options, PointsOf(options, connection, request));
}

// What each connection sends in fixed and steady mode: untimed warm-up requests, then the timed
// ones, in order (a retried request twice in a row).
struct Plan {
  std::vector<std::vector<std::string>> warmup, timed;
  std::size_t bytes = 0;      // of the timed requests
  std::size_t lines = 0;      // of the timed requests
  std::size_t new_lines = 0;  // samples sent for the first time
};

Plan MakePlan(const LoadOptions& options) {
  Plan plan;
  plan.warmup.resize(static_cast<std::size_t>(options.connections));
  plan.timed.resize(static_cast<std::size_t>(options.connections));
  for (int c = 0; c < options.connections; ++c) {
    auto& timed = plan.timed[static_cast<std::size_t>(c)];
    if (!options.steady) {
      for (int r = 0; r < options.requests; ++r) timed.push_back(Request(options, c, r));
      plan.lines += static_cast<std::size_t>(options.requests) * options.items;
      continue;
    }
    for (int k = 0; k < OwnedSeries(options, c); k += options.items)
      plan.warmup[static_cast<std::size_t>(c)].push_back(
          Request(options, SteadyPointsOf(options, c, -1, k)));
    std::mt19937 random(static_cast<unsigned>(c + 7));
    std::bernoulli_distribution retried(options.retries);
    for (int r = 0; r < options.requests; ++r) {
      const std::vector<Point> points = SteadyPointsOf(options, c, r, 0);
      timed.push_back(Request(options, points));
      plan.lines += points.size();
      if (!retried(random)) continue;
      timed.push_back(timed.back());
      plan.lines += points.size();
    }
  }
  plan.new_lines = static_cast<std::size_t>(options.connections) * options.requests * options.items;
  for (const auto& one : plan.timed)
    for (const std::string& request : one) plan.bytes += request.size();
  return plan;
}

int RunFixed(const LoadOptions& options) {
  const Plan plan = MakePlan(options);
  const auto& requests = plan.timed;
  const std::size_t bytes = plan.bytes;
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
      for (const std::string& request : plan.warmup[static_cast<std::size_t>(c)]) {
        std::optional<testing::RawResponse> response;
        if (connection.connected() && connection.Send(request))
          response = connection.ReadResponse();
        if (!response || response->status / 100 != 2) {
          std::fprintf(stderr, "warm-up request failed: %s\n",
                       response ? response->body.substr(0, 300).c_str() : "no response");
          std::exit(1);
        }
      }
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
  const auto samples = static_cast<double>(plan.lines);
  std::printf(
      "protocol=%s samples=%.0f new_samples=%zu seconds=%.3f samples_per_s=%.0f request_mb=%.1f "
      "p50_ms=%.1f p99_ms=%.1f failures=%d\n",
      options.protocol.c_str(), samples, plan.new_lines, seconds, samples / seconds,
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
      "read-path", po::value(&options.read_path), "--verify: remote-read request target")(
      "steady", po::bool_switch(&options.steady),
      "steady mode: known series (communes x indicators), advancing timestamps")(
      "communes", po::value(&options.communes), "steady mode: communes")(
      "indicators", po::value(&options.indicators), "steady mode: indicators per commune")(
      "step-ms", po::value(&options.step_ms),
      "steady mode: milliseconds from one step to the next")(
      "corrections", po::value(&options.corrections),
      "steady mode: corrections of the previous step per new line (0..1)")(
      "retries", po::value(&options.retries),
      "steady mode: share of requests sent twice, byte for byte (0..1)");
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
  if (options.steady &&
      (options.duration_s > 0 || options.communes < 1 || options.indicators < 1 ||
       options.indicators > 100 || options.communes > 10'000 || options.corrections < 0 ||
       options.corrections > 1 || options.retries < 0 || options.retries > 1 ||
       options.communes * options.indicators < options.connections)) {
    std::cerr << "ingest_load: --steady needs 1..10000 communes, 1..100 indicators, at least one "
                 "series per connection, shares in 0..1, and no --duration\n";
    return 2;
  }
  if (!options.steady && options.series / options.connections < options.items) {
    std::cerr << "ingest_load: each connection needs at least --items series of its own\n";
    return 2;
  }
  return options.duration_s > 0 ? chiso::bench::RunOverload(options)
                                : chiso::bench::RunFixed(options);
}
