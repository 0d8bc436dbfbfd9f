#include "ingest/remote_write.h"

#include <snappy.h>

#include <algorithm>
#include <bit>

#include "common/protobuf_wire.h"
#include "common/snappy_body.h"
#include "ingest/series_check.h"
#include "ingest/text.h"

namespace chiso::ingest {
namespace {

// The message type that errors name.
constexpr std::string_view kWriteRequest = "WriteRequest";

struct RawLabel {
  std::string_view name;
  std::string_view value;
};

// One TimeSeries as read from the wire, before checks.
struct WireSeries {
  std::vector<RawLabel> labels;
  std::vector<std::pair<TimestampMs, double>> samples;
  bool has_histograms = false;
};

// A Label as Prometheus and every other sender encode it: name (field 1), then value (field 2),
// each shorter than 128 bytes. Read without the general field loop; false for any other layout,
// which ReadLabel then reads field by field.
bool ReadUsualLabel(std::string_view bytes, RawLabel* label) {
  if (bytes.size() < 4 || bytes[0] != 0x0A) return false;
  const std::size_t name_size = static_cast<unsigned char>(bytes[1]);
  if (name_size >= 0x80 || 4 + name_size > bytes.size() || bytes[2 + name_size] != 0x12) {
    return false;
  }
  const std::size_t value_size = static_cast<unsigned char>(bytes[3 + name_size]);
  if (value_size >= 0x80 || 4 + name_size + value_size != bytes.size()) return false;
  label->name = bytes.substr(2, name_size);
  label->value = bytes.substr(4 + name_size, value_size);
  return true;
}

Status ReadLabel(std::string_view bytes, std::size_t base, RawLabel* label) {
  if (ReadUsualLabel(bytes, label)) return Status::Ok();
  ProtoReader reader(bytes, base, kWriteRequest);
  while (!reader.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (Status read = reader.ReadKey(&field, &wire); !read.ok()) return read;
    if (field == 1 || field == 2) {
      if (Status typed = reader.ExpectWire(wire, kLengthDelimited, "Label.name/value"); !typed.ok())
        return typed;
      std::size_t offset = 0;
      if (Status read = reader.ReadBytes(field == 1 ? &label->name : &label->value, &offset);
          !read.ok())
        return read;
    } else if (Status skipped = reader.Skip(wire); !skipped.ok()) {
      return skipped;
    }
  }
  return Status::Ok();
}

// A Sample as senders encode it: value (field 1, fixed64), then timestamp (field 2, varint);
// false for any other layout (a zero value or timestamp is left out), which ReadSample then reads
// field by field.
bool ReadUsualSample(std::string_view bytes, std::pair<TimestampMs, double>* sample) {
  if (bytes.size() < 11 || bytes.size() > 20 || bytes[0] != 0x09 || bytes[9] != 0x10) return false;
  std::uint64_t bits = 0;
  for (int i = 8; i >= 1; --i) bits = (bits << 8) | static_cast<unsigned char>(bytes[i]);
  std::uint64_t timestamp = 0;
  for (std::size_t i = 10, shift = 0; i < bytes.size(); ++i, shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    timestamp |= std::uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80u) == 0) {
      if (i + 1 != bytes.size()) return false;
      sample->first = static_cast<TimestampMs>(timestamp);
      sample->second = std::bit_cast<double>(bits);
      return true;
    }
  }
  return false;
}

Status ReadSample(std::string_view bytes, std::size_t base,
                  std::pair<TimestampMs, double>* sample) {
  if (ReadUsualSample(bytes, sample)) return Status::Ok();
  ProtoReader reader(bytes, base, kWriteRequest);
  while (!reader.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (Status read = reader.ReadKey(&field, &wire); !read.ok()) return read;
    if (field == 1) {
      if (Status typed = reader.ExpectWire(wire, kFixed64, "Sample.value"); !typed.ok())
        return typed;
      std::uint64_t bits = 0;
      if (Status read = reader.ReadFixed64(&bits); !read.ok()) return read;
      sample->second = std::bit_cast<double>(bits);
    } else if (field == 2) {
      if (Status typed = reader.ExpectWire(wire, kVarint, "Sample.timestamp"); !typed.ok())
        return typed;
      std::uint64_t timestamp = 0;
      if (Status read = reader.ReadVarint(&timestamp); !read.ok()) return read;
      sample->first = static_cast<TimestampMs>(timestamp);
    } else if (Status skipped = reader.Skip(wire); !skipped.ok()) {
      return skipped;
    }
  }
  return Status::Ok();
}

Status ReadSeries(std::string_view bytes, std::size_t base, WireSeries* series) {
  ProtoReader reader(bytes, base, kWriteRequest);
  while (!reader.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (Status read = reader.ReadKey(&field, &wire); !read.ok()) return read;
    if (field == 1 || field == 2) {
      if (Status typed = reader.ExpectWire(wire, kLengthDelimited, "TimeSeries.labels/samples");
          !typed.ok()) {
        return typed;
      }
      std::string_view payload;
      std::size_t offset = 0;
      if (Status read = reader.ReadBytes(&payload, &offset); !read.ok()) return read;
      Status parsed = field == 1 ? ReadLabel(payload, offset, &series->labels.emplace_back())
                                 : ReadSample(payload, offset, &series->samples.emplace_back());
      if (!parsed.ok()) return parsed;
    } else {
      if (field == 4) series->has_histograms = true;
      if (Status skipped = reader.Skip(wire); !skipped.ok()) return skipped;
    }
  }
  return Status::Ok();
}

// The samples a WriteRequest holds, counted without decoding them so that the result is allocated
// once (a reallocation moves every sample decoded so far); 0 for a malformed message, whose
// decoding says what is wrong.
std::size_t CountSamples(std::string_view message) {
  std::size_t count = 0;
  ProtoReader request(message, 0, kWriteRequest);
  while (!request.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (!request.ReadKey(&field, &wire).ok()) return 0;
    if (field != 1 || wire != kLengthDelimited) {
      if (!request.Skip(wire).ok()) return 0;
      continue;
    }
    std::string_view series;
    std::size_t offset = 0;
    if (!request.ReadBytes(&series, &offset).ok()) return 0;
    for (ProtoReader reader(series, offset, kWriteRequest); !reader.AtEnd();) {
      if (!reader.ReadKey(&field, &wire).ok() || !reader.Skip(wire).ok()) return 0;
      if (field == 2) ++count;
    }
  }
  return count;
}

std::string_view MetricName(const WireSeries& series) {
  for (const RawLabel& label : series.labels) {
    if (label.name == kMetricNameLabel) return label.value;
  }
  return {};
}

// The labels of `series` as a store identity, or why the series is refused.
std::optional<Rejection> BuildLabels(const WireSeries& series, RawSampleGate& gate,
                                     const IngestLimits& limits, Labels* labels) {
  if (series.has_histograms) {
    return Rejection{RejectReason::kBadValue,
                     "native histograms are not supported (remote write 1.0 only)"};
  }
  std::string_view metric;
  labels->reserve(series.labels.size());
  for (const RawLabel& label : series.labels) {
    if (auto rejected = CheckLabel(label.name, label.value, limits)) return rejected;
    if (label.value.empty()) continue;
    if (label.name == kMetricNameLabel) metric = label.value;
    labels->push_back({std::string(label.name), std::string(label.value)});
  }
  if (metric.empty())
    return Rejection{RejectReason::kBadLabel, "series has no metric name (label __name__)"};
  if (auto rejected = gate.MayWrite(metric)) return rejected;
  if (auto rejected = FinishSeries(*labels, limits)) return rejected;
  return gate.MayWriteSeries(*labels);
}

}  // namespace

Status CheckRemoteWriteContentType(std::string_view content_type) {
  // media-type *( OWS ";" OWS parameter ), parameter = name "=" ( token / quoted-string )
  // (RFC 9110 §8.3.1); names are case-insensitive.
  std::size_t at = content_type.find(';');
  while (at != std::string_view::npos) {
    const std::size_t next = content_type.find(';', at + 1);
    const std::string_view parameter = TrimSpaces(content_type.substr(at + 1, next - at - 1));
    at = next;
    const std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos ||
        !SameWordIgnoringCase(TrimSpaces(parameter.substr(0, equals)), "proto"))
      continue;
    std::string_view proto = TrimSpaces(parameter.substr(equals + 1));
    if (proto.size() >= 2 && proto.front() == '"' && proto.back() == '"') {
      proto = proto.substr(1, proto.size() - 2);
    }
    if (proto != kRemoteWriteProto) {
      return Status::InvalidArgument(
          "Content-Type " + Quote(content_type, 120) +
          " is not supported: chiso receives remote write 1.0 only, proto=" +
          std::string(kRemoteWriteProto) +
          " (Prometheus: remote_write protobuf_message: " + std::string(kRemoteWriteProto) + ")");
    }
  }
  return Status::Ok();
}

std::optional<std::size_t> RemoteWriteDecompressedSize(std::string_view body) {
  std::size_t length = 0;
  if (!snappy::GetUncompressedLength(body.data(), body.size(), &length)) return std::nullopt;
  return length;
}

Result<DecodedSamples> DecodeRemoteWrite(std::string_view body, std::size_t max_decompressed_bytes,
                                         const RawSeriesContext& context) {
  auto decompressed = DecompressSnappyBody(
      body, max_decompressed_bytes, "remote write 1.0 sends Content-Encoding: snappy",
      "send smaller batches (queue_config.max_samples_per_send)");
  if (!decompressed.ok()) return decompressed.status();
  const std::string& message = *decompressed;

  DecodedSamples decoded;
  decoded.samples.reserve(
      std::min(CountSamples(message), context.limits.max_items_per_request + 1));
  RawSampleGate gate(context);
  ProtoReader reader(message, 0, kWriteRequest);
  std::size_t index = 0;
  WireSeries series;
  while (!reader.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (Status read = reader.ReadKey(&field, &wire); !read.ok()) return read;
    if (field != 1) {
      if (Status skipped = reader.Skip(wire); !skipped.ok()) return skipped;
      continue;
    }
    if (Status typed = reader.ExpectWire(wire, kLengthDelimited, "WriteRequest.timeseries");
        !typed.ok()) {
      return typed;
    }
    std::string_view payload;
    std::size_t offset = 0;
    if (Status read = reader.ReadBytes(&payload, &offset); !read.ok()) return read;
    series.labels.clear();
    series.samples.clear();
    series.has_histograms = false;
    if (Status parsed = ReadSeries(payload, offset, &series); !parsed.ok()) return parsed;

    Labels labels;
    std::optional<Rejection> rejected = BuildLabels(series, gate, context.limits, &labels);
    for (std::size_t i = 0; !rejected && i < series.samples.size(); ++i) {
      rejected = gate.CheckTimestamp(series.samples[i].first);
    }
    if (rejected) {
      rejected->message = "series " + Quote(MetricName(series), 80) + ": " + rejected->message;
      decoded.errors.push_back({index++, std::move(*rejected)});
      continue;
    }
    for (std::size_t i = 0; i < series.samples.size(); ++i) {
      Sample sample;
      sample.labels = i + 1 == series.samples.size() ? std::move(labels) : labels;
      sample.timestamp = series.samples[i].first;
      sample.value = series.samples[i].second;
      sample.writer = context.principal.name();
      sample.arrived_at = context.now;
      decoded.samples.push_back(std::move(sample));
    }
    if (decoded.samples.size() > context.limits.max_items_per_request) {
      return Status::ResourceExhausted("request has more than " +
                                       std::to_string(context.limits.max_items_per_request) +
                                       " samples; lower queue_config.max_samples_per_send");
    }
    ++index;
  }
  return decoded;
}

}  // namespace chiso::ingest
