// remote_read_load: the remote-read side of a dashboard, sent to chiso and to a peer that serves
// the same protocol (InfluxDB 1.x at /api/v1/prom/read), so both answer the same bytes.
//
//   remote_read_load load  --port P --write-path /api/v1/write [--token T]
//   remote_read_load query --port P --read-path /api/v1/read [--token T] [--repeat N]
//
// `load` writes one province through remote write: --communes units (`c000`…) × --indicators
// indicators (`i00`…) × --years years of month-end readings from 2021 on, as series
// `province_reading{indicator, unit}`, then writes a correction (the value + 1000) of every
// 20th reading, so the latest revision is what must come back.
//
// `query` runs the three queries a dashboard makes, each --repeat times, and prints per query the
// series and samples answered, a checksum of the values (identical answers give identical
// checksums, whichever server) and the median and best wall time of one request:
//   commune_indicator_20y   one commune, one indicator, 2010–2030
//   province_indicator      one indicator in every commune of the province, all years
//   commune_year            every indicator of one commune in 2025
// Exits 1 when a request is not answered 200 or an answer does not decode.
#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "ingest/testing/bodies.h"
#include "remote_read/testing/prompb_codec.h"
#include "tests/support/http_client.h"

namespace chiso::bench {
namespace {

namespace rr = remote_read::testing;

struct Options {
  std::uint16_t port = 0;
  std::string write_path = "/api/v1/write";
  std::string read_path = "/api/v1/read";
  std::string token;
  int communes = 100;
  int indicators = 30;
  int years = 5;
  int repeat = 20;
};

constexpr int kFirstYear = 2021;
constexpr int kCorrectionEvery = 20;
const char* const kMetric = "province_reading";

std::string Name(const char* prefix, int i, int width) {
  char text[32];
  std::snprintf(text, sizeof text, "%s%0*d", prefix, width, i);
  return text;
}

// Last millisecond of month `month` (1–12) of `year`, UTC.
TimestampMs MonthEnd(int year, int month) {
  const CivilDate next = month == 12 ? CivilDate{year + 1, 1, 1} : CivilDate{year, month + 1, 1};
  return StartOfDay(next, TimeZone{"UTC", 0}) - 1;
}

double ValueOf(int commune, int indicator, int month_index) {
  return static_cast<double>((commune * 131 + indicator * 17 + month_index * 7) % 1000) / 10.0;
}

std::string Headers(const Options& options, const std::string& content_type) {
  std::string headers = "Content-Type: " + content_type + "\r\nContent-Encoding: snappy";
  if (!options.token.empty()) headers += "\r\nAuthorization: Bearer " + options.token;
  return headers;
}

// Writes every reading of commune `c` (correction = false), or the corrections of every 20th.
bool WriteCommune(const Options& options, int c, bool correction) {
  std::vector<ingest::testing::RemoteSeries> series;
  for (int i = 0; i < options.indicators; ++i) {
    ingest::testing::RemoteSeries one;
    one.labels = {{"__name__", kMetric}, {"indicator", Name("i", i, 2)}, {"unit", Name("c", c, 3)}};
    for (int m = 0; m < options.years * 12; ++m) {
      const bool corrected = (c + i + m) % kCorrectionEvery == 0;
      if (correction && !corrected) continue;
      one.samples.emplace_back(MonthEnd(kFirstYear + m / 12, m % 12 + 1),
                               ValueOf(c, i, m) + (correction ? 1000 : 0));
    }
    if (!one.samples.empty()) series.push_back(std::move(one));
  }
  auto response = testing::HttpCall(
      options.port, "POST", options.write_path, ingest::testing::EncodeRemoteWrite(series),
      Headers(options, "application/x-protobuf") + "\r\nX-Prometheus-Remote-Write-Version: 0.1.0");
  if (!response || response->status / 100 != 2) {
    std::fprintf(
        stderr, "write of commune %d: %s\n", c,
        response ? (std::to_string(response->status) + " " + response->body).c_str() : "no answer");
    return false;
  }
  return true;
}

int Load(const Options& options) {
  for (bool correction : {false, true}) {
    for (int c = 0; c < options.communes; ++c) {
      if (!WriteCommune(options, c, correction)) return 1;
    }
  }
  const long series = long{options.communes} * options.indicators;
  std::printf("loaded series=%ld samples=%ld\n", series, series * options.years * 12);
  return 0;
}

struct DashboardQuery {
  const char* name;
  prometheus::Query query;
};

std::vector<DashboardQuery> Queries(const Options& options) {
  using Type = prometheus::LabelMatcher;
  const std::string commune = Name("c", options.communes / 2, 3);
  const std::string indicator = Name("i", options.indicators / 3, 2);
  return {
      {"commune_indicator_20y", rr::MakeQuery(MonthEnd(2010, 1), MonthEnd(2030, 12),
                                              {{Type::EQ, "__name__", kMetric},
                                               {Type::EQ, "unit", commune},
                                               {Type::EQ, "indicator", indicator}})},
      {"province_indicator",
       rr::MakeQuery(MonthEnd(kFirstYear, 1), MonthEnd(kFirstYear + options.years - 1, 12),
                     {{Type::EQ, "__name__", kMetric}, {Type::EQ, "indicator", indicator}})},
      {"commune_year",
       rr::MakeQuery(MonthEnd(2024, 12) + 1, MonthEnd(2025, 12),
                     {{Type::EQ, "__name__", kMetric}, {Type::EQ, "unit", commune}})},
  };
}

int Query(const Options& options) {
  for (const DashboardQuery& dashboard : Queries(options)) {
    prometheus::ReadRequest request;
    *request.add_queries() = dashboard.query;
    request.add_accepted_response_types(prometheus::ReadRequest::SAMPLES);
    const std::string body = rr::EncodeReadRequest(request);
    const std::string headers =
        Headers(options, "application/x-protobuf") + "\r\nX-Prometheus-Remote-Read-Version: 0.1.0";
    std::vector<double> ms;
    long series = 0, samples = 0;
    double checksum = 0;
    for (int r = 0; r < options.repeat; ++r) {
      const auto sent = std::chrono::steady_clock::now();
      auto response = testing::HttpCall(options.port, "POST", options.read_path, body, headers);
      std::optional<prometheus::ReadResponse> decoded;
      if (response && response->status == 200) decoded = rr::DecodeSamplesResponse(response->body);
      ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent)
              .count());
      if (!decoded || decoded->results_size() != 1) {
        std::fprintf(
            stderr, "%s: %s\n", dashboard.name,
            response
                ? (std::to_string(response->status) + " " + response->body.substr(0, 300)).c_str()
                : "no answer");
        return 1;
      }
      series = samples = 0;
      checksum = 0;
      for (const prometheus::TimeSeries& one : decoded->results(0).timeseries()) {
        ++series;
        for (const prometheus::Sample& sample : one.samples()) {
          ++samples;
          checksum += sample.value() * static_cast<double>(sample.timestamp() % 100'000);
        }
      }
    }
    std::sort(ms.begin(), ms.end());
    std::printf("query=%s series=%ld samples=%ld checksum=%.1f median_ms=%.2f best_ms=%.2f\n",
                dashboard.name, series, samples, checksum, ms[ms.size() / 2], ms.front());
  }
  return 0;
}

}  // namespace
}  // namespace chiso::bench

int main(int argc, char** argv) {
  namespace po = boost::program_options;
  chiso::bench::Options options;
  std::string mode;
  po::options_description described("remote_read_load options");
  described.add_options()("help", "this text")("mode", po::value(&mode)->required(),
                                               "load | query")(
      "port", po::value(&options.port)->required(), "target port on 127.0.0.1")(
      "write-path", po::value(&options.write_path), "remote-write request target")(
      "read-path", po::value(&options.read_path), "remote-read request target")(
      "token", po::value(&options.token), "bearer token (chiso)")(
      "communes", po::value(&options.communes), "communes of the province")(
      "indicators", po::value(&options.indicators), "indicators per commune")(
      "years", po::value(&options.years), "years of monthly readings from 2021")(
      "repeat", po::value(&options.repeat), "query: times each query is sent");
  po::positional_options_description positional;
  positional.add("mode", 1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(argc, argv).options(described).positional(positional).run(),
              values);
    if (values.count("help")) {
      std::cout << described;
      return 0;
    }
    po::notify(values);
  } catch (const po::error& error) {
    std::cerr << "remote_read_load: " << error.what() << "\n" << described;
    return 2;
  }
  if (options.communes < 1 || options.indicators < 1 || options.years < 1 || options.repeat < 1) {
    std::cerr << "remote_read_load: --communes, --indicators, --years and --repeat must be >= 1\n";
    return 2;
  }
  if (mode == "load") return chiso::bench::Load(options);
  if (mode == "query") return chiso::bench::Query(options);
  std::cerr << "remote_read_load: mode must be load or query, not '" << mode << "'\n";
  return 2;
}
