// store_bench: throughput, query latency and disk-size figures of chiso's store.
//
//   store_bench write DIR per_batch|group_commit [ROUNDS]
//       200,000 series, 10,000-sample batches, ROUNDS (default 10) samples per series.
//   store_bench small-batches DIR per_batch|group_commit [WRITERS] [SECONDS]
//       WRITERS (default 4) threads writing 100-sample batches: the fsync trade-off.
//   store_bench queries DIR
//       on a store made by `write`: latest value of all series, and a 20-year monthly range of
//       one series.
//   store_bench dense-reads DIR
//       31 days of one sample a minute for 200 series in 10 units, compacted (and sealed): a
//       month of one series, and a day of all 20 series of a unit.
//   store_bench size a|b DIR [DAYS]
//       ingests data set (a) or (b) (datasets.h), compacts fully, reports bytes per sample.
//   store_bench influx a|b [DAYS]
//       prints the data set as InfluxDB line protocol (for compare_vm.sh).
//
// Output lines are "figure key=value ...", one per result.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "store/bench/datasets.h"
#include "store/store.h"

namespace chiso::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kWriteSeries = 200'000;
constexpr std::size_t kBatchSize = 10'000;
constexpr TimestampMs kBase = 1'790'812'800'000;  // 2026-10-01T00:00:00Z

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

[[noreturn]] void Die(const Status& status) {
  std::fprintf(stderr, "store_bench: %s\n", status.ToString().c_str());
  std::exit(1);
}

std::unique_ptr<Store> OpenStore(const fs::path& dir, SyncMode mode) {
  StoreOptions options;
  options.data_dir = dir;
  options.sync_mode = mode;
  auto store = Store::Open(options);
  if (!store.ok()) Die(store.status());
  return std::move(store).value();
}

SyncMode ParseMode(const char* text) {
  if (std::strcmp(text, "group_commit") == 0) return SyncMode::kGroupCommit;
  if (std::strcmp(text, "per_batch") == 0) return SyncMode::kPerBatch;
  Die(Status::InvalidArgument(std::string("unknown sync mode ") + text));
}

Labels WriteSeriesLabels(std::uint64_t s) {
  return {{"__name__", "bench_metric"},
          {"series", "s" + std::to_string(s)},
          {"unit", "xa_" + std::to_string(s % 3321)}};
}

int Write(const fs::path& dir, const char* mode, int rounds) {
  auto store = OpenStore(dir, ParseMode(mode));
  std::vector<Labels> labels;
  for (std::uint64_t s = 0; s < kWriteSeries; ++s) labels.push_back(WriteSeriesLabels(s));
  Clock::duration first_round{};
  Clock::duration later_rounds{};
  SampleBatch batch;
  for (int round = 0; round < rounds; ++round) {
    const TimestampMs at = kBase + round * 60'000LL;
    for (std::uint64_t s = 0; s < kWriteSeries; ++s) {
      const auto tenths = (s * 31 + static_cast<std::uint64_t>(round) * 7) % 1000;
      batch.push_back(
          {labels[s], at, static_cast<double>(tenths) / 10, "bench", at + 500, std::nullopt});
      if (batch.size() < kBatchSize && s + 1 < kWriteSeries) continue;
      const auto start = Clock::now();
      if (auto written = store->Write(batch); !written.ok()) Die(written.status());
      (round == 0 ? first_round : later_rounds) += Clock::now() - start;
      batch.clear();
    }
  }
  std::printf(
      "write sync=%s series=%llu batch=%zu first_round_samples_per_s=%.0f "
      "samples_per_s=%.0f samples=%llu\n",
      mode, static_cast<unsigned long long>(kWriteSeries), kBatchSize,
      static_cast<double>(kWriteSeries) / Seconds(first_round),
      static_cast<double>((rounds - 1) * kWriteSeries) / Seconds(later_rounds),
      static_cast<unsigned long long>(rounds) * kWriteSeries);
  return 0;
}

int SmallBatches(const fs::path& dir, const char* mode, int writers, int seconds) {
  auto store = OpenStore(dir, ParseMode(mode));
  constexpr int kSamplesPerBatch = 100;
  std::atomic<bool> stop = false;
  std::vector<std::vector<double>> latencies(writers);
  std::vector<std::thread> threads;
  threads.reserve(writers);
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      SampleBatch batch;
      batch.reserve(kSamplesPerBatch);
      for (int i = 0; i < kSamplesPerBatch; ++i) {
        batch.push_back({{{"__name__", "bench_small"},
                          {"series", std::to_string(i)},
                          {"writer", std::to_string(w)}},
                         0,
                         0,
                         "bench",
                         0,
                         std::nullopt});
      }
      for (TimestampMs at = kBase; !stop; at += 1000) {
        for (Sample& sample : batch) sample.timestamp = sample.arrived_at = at;
        const auto start = Clock::now();
        if (auto written = store->Write(batch); !written.ok()) Die(written.status());
        latencies[w].push_back(Seconds(Clock::now() - start) * 1000);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& thread : threads) thread.join();
  const std::uint64_t syncs = store->Stats().wal_syncs_total;
  std::vector<double> all;
  for (const auto& one : latencies) all.insert(all.end(), one.begin(), one.end());
  std::sort(all.begin(), all.end());
  const auto per_second = [&](std::uint64_t count) { return static_cast<double>(count) / seconds; };
  std::printf(
      "small_batches sync=%s writers=%d batch=%d batches_per_s=%.0f samples_per_s=%.0f "
      "fsyncs_per_s=%.0f latency_ms_p50=%.2f latency_ms_p99=%.2f\n",
      mode, writers, kSamplesPerBatch, per_second(all.size()),
      per_second(all.size() * kSamplesPerBatch), per_second(syncs), all[all.size() / 2],
      all[all.size() * 99 / 100]);
  return 0;
}

template <typename F>
double MedianMs(int repetitions, F&& run) {
  std::vector<double> times;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = Clock::now();
    run();
    times.push_back(Seconds(Clock::now() - start) * 1000);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

int Queries(const fs::path& dir) {
  // Opening rebuilds the series index and finds every series' latest timestamp.
  const auto open_start = Clock::now();
  auto store = OpenStore(dir, SyncMode::kPerBatch);
  const double open_ms = Seconds(Clock::now() - open_start) * 1000;
  // 20 years of monthly readings of one series, written as a backfill in one batch.
  const Labels monthly = {
      {"__name__", "chiso_reading"}, {"indicator", "dvc_online_dossier_rate"}, {"unit", "gia_loc"}};
  SampleBatch history;
  for (int month = 0; month < 240; ++month) {
    const TimestampMs at = 1'136'073'600'000LL + month * 2'629'746'000LL;  // from 2006-01
    history.push_back({monthly, at, 40 + month * 0.25, "excel_import", at, std::nullopt});
  }
  if (auto written = store->Write(history); !written.ok()) Die(written.status());
  if (Status s = store->Compact(); !s.ok()) Die(s);

  std::size_t series = 0;
  const double latest_ms = MedianMs(5, [&] {
    auto latest = store->Latest({});
    if (!latest.ok()) Die(latest.status());
    series = latest->size();
  });
  std::vector<LabelMatcher> exact;
  for (const Label& label : monthly) exact.push_back(LabelMatcher::Equal(label.name, label.value));
  std::size_t samples = 0;
  const double range_ms = MedianMs(1000, [&] {
    auto range = store->Select(exact, history.front().timestamp, history.back().timestamp);
    if (!range.ok()) Die(range.status());
    samples = range->at(0).samples.size();
  });
  std::printf("open series=%zu ms=%.0f\n", store->Stats().series, open_ms);
  std::printf("latest_all series=%zu median_ms=%.1f\n", series, latest_ms);
  std::printf("range_20y_monthly samples=%zu median_us=%.1f\n", samples, range_ms * 1000);
  return 0;
}

int DenseReads(const fs::path& dir) {
  constexpr int kSeries = 200;
  constexpr int kUnits = 10;
  constexpr int kMinutes = 31 * 1440;
  auto store = OpenStore(dir, SyncMode::kPerBatch);
  std::vector<Labels> labels;
  for (int s = 0; s < kSeries; ++s) {
    labels.push_back({{"__name__", "upstream_gauge"},
                      {"series", "s" + std::to_string(s)},
                      {"unit", "u" + std::to_string(s % kUnits)}});
  }
  SampleBatch batch;
  for (int minute = 0; minute < kMinutes; ++minute) {
    const TimestampMs at = kBase + minute * 60'000LL;
    for (int s = 0; s < kSeries; ++s) {
      const double value = static_cast<double>((s * 7919 + minute * 31) % 10'000) / 100;
      batch.push_back({labels[s], at, value, "scraper", at + 1000 + s, std::nullopt});
    }
    if (batch.size() < kBatchSize && minute + 1 < kMinutes) continue;
    if (auto written = store->Write(batch); !written.ok()) Die(written.status());
    batch.clear();
  }
  if (Status s = store->Compact(); !s.ok()) Die(s);
  const auto select = [&](std::vector<LabelMatcher> matchers, TimestampMs from, TimestampMs to) {
    std::size_t samples = 0;
    const double ms = MedianMs(100, [&] {
      auto range = store->Select(matchers, from, to);
      if (!range.ok()) Die(range.status());
      samples = 0;
      for (const SeriesSamples& one : *range) samples += one.samples.size();
    });
    return std::pair{samples, ms};
  };
  const auto [month_samples, month_ms] = select(
      {LabelMatcher::Equal("__name__", "upstream_gauge"), LabelMatcher::Equal("series", "s7")},
      kBase, kBase + kMinutes * 60'000LL - 1);
  const TimestampMs day = kBase + 10 * 86'400'000LL;
  const auto [day_samples, day_ms] =
      select({LabelMatcher::Equal("__name__", "upstream_gauge"), LabelMatcher::Equal("unit", "u3")},
             day, day + 86'400'000LL - 1);
  std::printf("dense_month_one_series samples=%zu median_ms=%.2f\n", month_samples, month_ms);
  std::printf("dense_day_of_unit samples=%zu median_ms=%.2f\n", day_samples, day_ms);
  return 0;
}

int Size(std::string_view dataset, const fs::path& dir, int days) {
  const DatasetShape shape = ShapeOf(dataset, days);
  auto store = OpenStore(dir, SyncMode::kPerBatch);
  const auto start = Clock::now();
  GenerateDataset(shape, kBatchSize, [&](const SampleBatch& batch) {
    if (auto written = store->Write(batch); !written.ok()) Die(written.status());
  });
  const double ingest_s = Seconds(Clock::now() - start);
  const auto compact_start = Clock::now();
  if (Status s = store->Compact(); !s.ok()) Die(s);
  const double compact_s = Seconds(Clock::now() - compact_start);
  const StoreStats stats = store->Stats();
  std::uint64_t data_bytes = 0;  // everything but the diagnostic LOG files
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.path().filename().string().starts_with("LOG")) data_bytes += entry.file_size();
  }
  std::printf(
      "size dataset=%s series=%llu samples=%llu ingest_s=%.1f ingest_samples_per_s=%.0f "
      "compact_s=%.1f data_bytes=%llu bytes_per_sample=%.3f",
      shape.name.c_str(), static_cast<unsigned long long>(shape.series),
      static_cast<unsigned long long>(shape.samples()), ingest_s,
      static_cast<double>(shape.samples()) / ingest_s, compact_s,
      static_cast<unsigned long long>(data_bytes),
      static_cast<double>(data_bytes) / static_cast<double>(shape.samples()));
  for (const KeySpaceStats& space : stats.key_spaces) {
    std::printf(" %s_bytes=%llu", space.name.c_str(),
                static_cast<unsigned long long>(space.table_bytes));
  }
  std::printf("\n");
  return 0;
}

constexpr const char* kUsage =
    "usage: store_bench write DIR per_batch|group_commit [ROUNDS]\n"
    "       store_bench small-batches DIR per_batch|group_commit [WRITERS] [SECONDS]\n"
    "       store_bench queries DIR\n"
    "       store_bench dense-reads DIR\n"
    "       store_bench size a|b DIR [DAYS]\n"
    "       store_bench influx a|b [DAYS]\n";

// Names the problem and the usage on stderr; the exit code of bad arguments.
int BadArguments(const std::string& problem) {
  std::fprintf(stderr, "store_bench: %s\n%s", problem.c_str(), kUsage);
  return 2;
}

// A positive count given on the command line; nullopt (after saying why) when it is not one.
std::optional<int> PositiveArg(const char* text) {
  int value = 0;
  const char* end = text + std::strlen(text);
  const auto [stop, error] = std::from_chars(text, end, value);
  if (error != std::errc() || stop != end || value < 1) {
    std::fprintf(stderr, "store_bench: '%s' is not a positive whole number\n", text);
    return std::nullopt;
  }
  return value;
}

}  // namespace
}  // namespace chiso::bench

int main(int argc, char** argv) {
  using namespace chiso::bench;
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  // The numbers after the fixed arguments, each optional.
  std::vector<int> numbers;
  const auto counts_from = [&](int first) {
    for (int i = first; i < argc; ++i) {
      const std::optional<int> n = PositiveArg(argv[i]);
      if (!n) return false;
      numbers.push_back(*n);
    }
    return true;
  };
  const auto number = [&](std::size_t i, int fallback) {
    return i < numbers.size() ? numbers[i] : fallback;
  };
  const auto dataset_ok = [&] {
    return std::strcmp(argv[2], "a") == 0 || std::strcmp(argv[2], "b") == 0;
  };
  if (command == "write" && argc >= 4 && argc <= 5) {
    if (!counts_from(4)) return 2;
    return Write(argv[2], argv[3], number(0, 10));
  }
  if (command == "small-batches" && argc >= 4 && argc <= 6) {
    if (!counts_from(4)) return 2;
    return SmallBatches(argv[2], argv[3], number(0, 4), number(1, 10));
  }
  if (command == "queries" && argc == 3) return Queries(argv[2]);
  if (command == "dense-reads" && argc == 3) return DenseReads(argv[2]);
  if (command == "size" && argc >= 4 && argc <= 5 && dataset_ok()) {
    if (!counts_from(4)) return 2;
    return Size(argv[2], argv[3], number(0, 30));
  }
  if (command == "influx" && argc >= 3 && argc <= 4 && dataset_ok()) {
    if (!counts_from(3)) return 2;
    WriteLineProtocol(ShapeOf(argv[2], number(0, 30)));
    return 0;
  }
  if (command.empty()) return BadArguments("a command is needed");
  if (command != "write" && command != "small-batches" && command != "queries" &&
      command != "dense-reads" && command != "size" && command != "influx") {
    return BadArguments("unknown command '" + command + "'");
  }
  return BadArguments("wrong arguments for '" + command + "'");
}
