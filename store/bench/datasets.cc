#include "store/bench/datasets.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "common/calendar.h"

namespace chiso::bench {
namespace {

constexpr std::uint64_t kCommunes = 3321;
constexpr std::uint64_t kIndicators = 60;
constexpr std::uint64_t kMonths = 60;
constexpr std::uint64_t kMinuteSeries = 10'000;
constexpr std::uint64_t kSources = 50;
constexpr TimestampMs kMinute = 60'000;
constexpr TimestampMs kDay = 86'400'000;
constexpr TimestampMs kMinutelyStart = 1'790'812'800'000;  // 2026-10-01T00:00:00Z
const char* const kWriters[] = {"dvc_portal", "excel_import", "phong_vhxh"};

// SplitMix64: a stateless hash, so that any sample can be regenerated on its own.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

std::string Padded(std::string_view prefix, std::uint64_t n, int width) {
  std::string digits = std::to_string(n);
  return std::string(prefix) + std::string(width - digits.size(), '0') + digits;
}

TimestampMs MonthEnd(std::uint64_t month) {        // month 0 = 2021-11
  const int index = 10 + static_cast<int>(month);  // months since 2021-01
  const Period period{PeriodKind::kMonth, 2021 + index / 12, index % 12 + 1, 1};
  return EndOfDay(period.LastDay(), TimeZone{});
}

// Indicator values: a per-series trajectory plus noise, rounded as reported.
double CommuneValue(std::uint64_t commune, std::uint64_t indicator, std::uint64_t month) {
  const std::uint64_t seed = Mix(commune * kIndicators + indicator);
  const double noise = static_cast<double>(Mix(seed ^ month) % 1000) / 1000.0 - 0.5;
  switch (indicator % 3) {
    case 0: {  // percent, one decimal
      const double start = static_cast<double>(seed % 500) / 10.0;
      const double value =
          std::clamp(start + static_cast<double>(month) * 0.8 + noise * 4, 0.0, 100.0);
      return std::round(value * 10) / 10;
    }
    case 1:  // cumulative count
      return static_cast<double>((seed % 40) * month + Mix(seed + month) % 7);
    default: {  // ratio, two decimals
      const double value = 0.3 + static_cast<double>(seed % 50) / 100.0 + noise / 10;
      return std::round(value * 100) / 100;
    }
  }
}

// Minutely values: counters grow by 0..20 per minute; gauges walk around 50 with two decimals.
// `state` carries each series' previous value.
double NextMinuteValue(std::uint64_t series, std::uint64_t minute, double& state) {
  const std::uint64_t r = Mix(series * 1'000'003 + minute);
  if (series % 2 == 0) {
    state += static_cast<double>(r % 21);
  } else {
    const double step = (static_cast<double>(r % 201) - 100.0) / 100.0;
    state = static_cast<double>(static_cast<std::int64_t>((state + step) * 100)) / 100.0;
  }
  return state;
}

double GaugeStart(std::uint64_t series) { return series % 2 == 0 ? 0 : 50; }

Labels CommuneLabels(std::uint64_t commune, std::uint64_t indicator) {
  return {{"__name__", "chiso_reading"},
          {"indicator", Padded("ind_", indicator, 2)},
          {"unit", Padded("xa_", commune, 4)}};
}

Labels MinuteLabels(std::uint64_t series) {
  return {{"__name__", "upstream_gauge"},
          {"series", Padded("s", series, 5)},
          {"source", Padded("src_", series % kSources, 2)}};
}

}  // namespace

DatasetShape ShapeOf(std::string_view dataset, int days) {
  if (dataset == "a") return {"a", kCommunes * kIndicators, kMonths};
  return {"b", kMinuteSeries, static_cast<std::uint64_t>(days) * 24 * 60};
}

void GenerateDataset(const DatasetShape& shape, std::size_t batch_size,
                     const std::function<void(const SampleBatch&)>& emit) {
  SampleBatch batch;
  const auto flush = [&] {
    if (!batch.empty()) emit(batch);
    batch.clear();
  };
  if (shape.name == "a") {
    std::vector<Labels> labels;
    for (std::uint64_t s = 0; s < shape.series; ++s) {
      labels.push_back(CommuneLabels(s / kIndicators, s % kIndicators));
    }
    for (std::uint64_t month = 0; month < shape.steps; ++month) {
      const TimestampMs end = MonthEnd(month);
      for (std::uint64_t s = 0; s < shape.series; ++s) {
        // One report per commune and month carries all its indicators.
        const std::uint64_t report = Mix((s / kIndicators) * 7919 + month);
        batch.push_back({labels[s], end, CommuneValue(s / kIndicators, s % kIndicators, month),
                         kWriters[report % 3],
                         end + 1 + static_cast<TimestampMs>(report % (10 * kDay)), std::nullopt});
        if (batch.size() == batch_size) flush();
      }
    }
  } else {
    std::vector<Labels> labels;
    std::vector<double> state;
    for (std::uint64_t s = 0; s < shape.series; ++s) {
      labels.push_back(MinuteLabels(s));
      state.push_back(GaugeStart(s));
    }
    for (std::uint64_t minute = 0; minute < shape.steps; ++minute) {
      const TimestampMs at = kMinutelyStart + static_cast<TimestampMs>(minute) * kMinute;
      // One scrape round delivers every series of the minute together.
      const TimestampMs arrival = at + static_cast<TimestampMs>(Mix(minute) % 2000);
      for (std::uint64_t s = 0; s < shape.series; ++s) {
        const double value = NextMinuteValue(s, minute, state[s]);
        batch.push_back({labels[s], at, value, "remote_write", arrival, std::nullopt});
        if (batch.size() == batch_size) flush();
      }
    }
  }
  flush();
}

void WriteLineProtocol(const DatasetShape& shape) {
  std::vector<char> buffer(1 << 20);
  std::setvbuf(stdout, buffer.data(), _IOFBF, buffer.size());
  GenerateDataset(shape, 10'000, [&](const SampleBatch& batch) {
    for (const Sample& sample : batch) {
      char value[32];
      *std::to_chars(value, value + sizeof value - 1, sample.value).ptr = '\0';
      if (shape.name == "a") {
        std::printf("chiso,indicator=%s,unit=%s reading=%s %lld\n", sample.labels[1].value.c_str(),
                    sample.labels[2].value.c_str(), value,
                    static_cast<long long>(sample.timestamp));
      } else {
        std::printf("upstream,series=%s,source=%s gauge=%s %lld\n", sample.labels[1].value.c_str(),
                    sample.labels[2].value.c_str(), value,
                    static_cast<long long>(sample.timestamp));
      }
    }
  });
  std::fflush(stdout);
}

}  // namespace chiso::bench
