// Decoder cost per sample, without HTTP or the store: the share of an ingest request spent
// turning bytes into samples. The bodies have the shape tests/bench/ingest_load sends (random
// series among 200,000, 10,000 per request), so the figures line up with the end-to-end ones.
// The readings imports are measured on one 10,000-row table of monthly readings, as an office
// would send it: CSV, and the same rows saved as .xlsx by LibreOffice (soffice, Debian package
// libreoffice-calc-nogui), decoded and validated as the endpoints do.
//
//   build/release/ingest/bench/ingest_decode_bench
//
// The server raises glibc's mmap and trim thresholds (app/main.cc); to measure what it sees, run
// with GLIBC_TUNABLES=glibc.malloc.trim_threshold=134217728:glibc.malloc.mmap_threshold=33554432.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "ingest/csv_readings.h"
#include "ingest/influx_line.h"
#include "ingest/reading.h"
#include "ingest/remote_write.h"
#include "ingest/testing/bodies.h"
#include "ingest/testing/fixtures.h"
#include "ingest/testing/xlsx_files.h"
#include "ingest/xlsx_readings.h"

namespace chiso::ingest {
namespace {

constexpr int kItems = 10'000;
constexpr int kSeries = 200'000;
constexpr TimestampMs kNow = 1'761'930'000'000;

std::vector<int> RandomSeries() {
  std::mt19937 random(57);
  std::uniform_int_distribution<int> pick(0, kSeries - 1);
  std::vector<int> ids(kItems);
  for (int& id : ids) id = pick(random);
  return ids;
}

void BM_InfluxLines(benchmark::State& state) {
  std::string body;
  char line[160];
  for (int id : RandomSeries()) {
    const int n =
        std::snprintf(line, sizeof line, "cpu,host=host_%d,dc=dc%d,rack=r%d usage=%.1f %lld\n", id,
                      id % 8, id % 50, (id % 1000) / 10.0, static_cast<long long>(kNow));
    body.append(line, static_cast<std::size_t>(n));
  }
  const auto catalog = testing::SmallCatalog();
  const auto tokens = testing::TestTokens();
  const Principal principal(&tokens[0]);
  const IngestLimits limits;
  const std::int64_t ns_per_unit = *ParseInfluxPrecision("ms");
  for (auto _ : state) {
    auto decoded = DecodeInfluxLines(body, ns_per_unit, {principal, kNow, limits, *catalog});
    if (!decoded.ok() || decoded->samples.size() != kItems) state.SkipWithError("decoding failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_InfluxLines)->Unit(benchmark::kMillisecond);

void BM_RemoteWrite(benchmark::State& state) {
  std::vector<testing::RemoteSeries> series;
  for (int id : RandomSeries()) {
    testing::RemoteSeries one;
    one.labels = {{"__name__", "cpu_usage"},
                  {"dc", "dc" + std::to_string(id % 8)},
                  {"host", "host_" + std::to_string(id)},
                  {"rack", "r" + std::to_string(id % 50)}};
    one.samples = {{kNow, (id % 1000) / 10.0}};
    series.push_back(std::move(one));
  }
  const std::string body = testing::EncodeRemoteWrite(series);
  const auto catalog = testing::SmallCatalog();
  const auto tokens = testing::TestTokens();
  const Principal principal(&tokens[0]);
  const IngestLimits limits;
  for (auto _ : state) {
    auto decoded =
        DecodeRemoteWrite(body, limits.max_decompressed_bytes, {principal, kNow, limits, *catalog});
    if (!decoded.ok() || decoded->samples.size() != kItems) state.SkipWithError("decoding failed");
    benchmark::DoNotOptimize(decoded);
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}
BENCHMARK(BM_RemoteWrite)->Unit(benchmark::kMillisecond);

// kItems readings of dvc_online_dossier_rate in the units of the test catalog, one per month from
// 2000-01 on, a comment in Vietnamese on every tenth.
std::string ReadingsCsv() {
  const char* units[] = {"gia_loc", "tay_giang", "hai_phong"};
  std::string csv = "indicator,unit,period,value,comment\n";
  char row[160];
  for (int i = 0; i < kItems; ++i) {
    const int n = std::snprintf(row, sizeof row, "dvc_online_dossier_rate,%s,%d-%02d,%.1f,%s\n",
                                units[i % 3], 2000 + i / 3 / 12 % 25, i / 3 % 12 + 1,
                                (i % 1000) / 10.0, i % 10 == 0 ? "Số liệu từ Cổng DVC" : "");
    csv.append(row, static_cast<std::size_t>(n));
  }
  return csv;
}

// Decodes `body` with `decode` (into ReadingItems) and validates every reading, per iteration.
template <typename Decode>
void BenchReadings(benchmark::State& state, const std::string& body, Decode decode) {
  const auto catalog = testing::SmallCatalog();
  const auto tokens = testing::TestTokens();
  const Principal principal(&tokens[0]);
  const IngestLimits limits;
  for (auto _ : state) {
    const std::vector<ReadingItem> items = decode(body);
    const ReadingValidator validator(*catalog, principal, kNow, limits);
    std::size_t valid = 0;
    for (const ReadingItem& item : items) {
      Sample sample;
      if (!item.error && !validator.Validate(item.reading, &sample)) ++valid;
    }
    if (valid != kItems) state.SkipWithError("decoding failed");
  }
  state.SetItemsProcessed(state.iterations() * kItems);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(body.size()));
}

void BM_CsvReadings(benchmark::State& state) {
  BenchReadings(state, ReadingsCsv(),
                [](const std::string& body) { return *DecodeCsvReadings(body, kItems); });
}
BENCHMARK(BM_CsvReadings)->Unit(benchmark::kMillisecond);

void BM_XlsxReadings(benchmark::State& state) {
  const std::string xlsx = testing::XlsxFromCsvByLibreOffice(ReadingsCsv(), "Số liệu");
  BenchReadings(state, xlsx, [](const std::string& body) {
    return DecodeXlsxReadings(body, "", {}, kItems)->items;
  });
}
BENCHMARK(BM_XlsxReadings)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace chiso::ingest

BENCHMARK_MAIN();
