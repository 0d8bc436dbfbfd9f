#include "common/write_request.h"

#include <snappy.h>

#include <algorithm>
#include <bit>
#include <cstdint>

#include "common/protobuf_wire.h"

namespace chiso {
namespace {

constexpr std::string_view kMessageType = "WriteRequest";

std::size_t VarintBytes(std::uint64_t value) {
  std::size_t bytes = 1;
  for (; value >= 0x80; value >>= 7) ++bytes;
  return bytes;
}

// A length-delimited field of a field number below 16 (one tag byte) holding `payload` bytes.
std::size_t FieldBytes(std::size_t payload) { return 1 + VarintBytes(payload) + payload; }

// A Sample message: value (field 1, fixed64) and timestamp (field 2, varint).
std::size_t SampleBytes(TimestampMs timestamp) {
  return 1 + 8 + 1 + VarintBytes(static_cast<std::uint64_t>(timestamp));
}

// Calls on_bytes(field, bytes, offset) for each length-delimited field of the message `reader`
// reads, in order, and skips the fields of other wire types.
template <typename OnBytes>
Status ForEachBytesField(ProtoReader& reader, OnBytes&& on_bytes) {
  while (!reader.AtEnd()) {
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    if (Status s = reader.ReadKey(&field, &wire); !s.ok()) return s;
    if (wire != kLengthDelimited) {
      if (Status s = reader.Skip(wire); !s.ok()) return s;
      continue;
    }
    std::string_view bytes;
    std::size_t offset = 0;
    if (Status s = reader.ReadBytes(&bytes, &offset); !s.ok()) return s;
    if (Status s = on_bytes(field, bytes, offset); !s.ok()) return s;
  }
  return Status::Ok();
}

// A Label message into `label` (a Label, or a WriteRequestSeriesView::Label of views).
template <typename LabelType>
Status DecodeLabel(ProtoReader& reader, LabelType& label) {
  return ForEachBytesField(reader, [&](std::uint32_t field, std::string_view bytes, std::size_t) {
    if (field == 1) label.name = bytes;
    if (field == 2) label.value = bytes;
    return Status::Ok();
  });
}

Status DecodeSample(ProtoReader& reader, std::pair<TimestampMs, double>& sample) {
  while (!reader.AtEnd()) {
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    if (Status s = reader.ReadKey(&field, &wire); !s.ok()) return s;
    if (field == 1 && wire == kFixed64) {
      std::uint64_t bits = 0;
      if (Status s = reader.ReadFixed64(&bits); !s.ok()) return s;
      sample.second = std::bit_cast<double>(bits);
    } else if (field == 2 && wire == kVarint) {
      std::uint64_t raw = 0;
      if (Status s = reader.ReadVarint(&raw); !s.ok()) return s;
      sample.first = static_cast<TimestampMs>(raw);
    } else if (Status s = reader.Skip(wire); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status DecodeSeries(ProtoReader& reader, WriteRequestSeries& series) {
  return ForEachBytesField(reader,
                           [&](std::uint32_t field, std::string_view bytes, std::size_t offset) {
                             ProtoReader item(bytes, offset, kMessageType);
                             if (field == 1) return DecodeLabel(item, series.labels.emplace_back());
                             if (field == 2)
                               return DecodeSample(item, series.samples.emplace_back());
                             return Status::Ok();
                           });
}

// A TimeSeries message into `view`: its labels and its samples' encodings.
Status ReadSeriesView(ProtoReader& reader, WriteRequestSeriesView& view) {
  view.labels.clear();
  view.samples.clear();
  return ForEachBytesField(reader,
                           [&](std::uint32_t field, std::string_view bytes, std::size_t offset) {
                             if (field == 2) view.samples.push_back(bytes);
                             if (field != 1) return Status::Ok();
                             ProtoReader item(bytes, offset, kMessageType);
                             return DecodeLabel(item, view.labels.emplace_back());
                           });
}

}  // namespace

std::string EncodeWriteRequest(const std::vector<WriteRequestSeries>& series) {
  // Sizes first, then one buffer: the nested messages are written in place rather than built in
  // strings of their own and copied (this runs for every accepted batch when forwarding).
  std::vector<std::size_t> series_bytes;
  series_bytes.reserve(series.size());
  std::size_t total = 0;
  for (const WriteRequestSeries& one : series) {
    std::size_t bytes = 0;
    for (const Label& label : one.labels) {
      bytes += FieldBytes(FieldBytes(label.name.size()) + FieldBytes(label.value.size()));
    }
    for (const auto& sample : one.samples) bytes += FieldBytes(SampleBytes(sample.first));
    series_bytes.push_back(bytes);
    total += FieldBytes(bytes);
  }
  std::string out(total, '\0');
  char* at = out.data();
  const auto varint = [&at](std::uint64_t value) {
    for (; value >= 0x80; value >>= 7) *at++ = static_cast<char>((value & 0x7F) | 0x80);
    *at++ = static_cast<char>(value);
  };
  const auto length_prefix = [&](std::uint32_t field, std::size_t bytes) {
    varint((field << 3) | kLengthDelimited);
    varint(bytes);
  };
  const auto text = [&](std::uint32_t field, std::string_view bytes) {
    length_prefix(field, bytes.size());
    at = std::copy(bytes.begin(), bytes.end(), at);
  };
  for (std::size_t i = 0; i < series.size(); ++i) {
    length_prefix(1, series_bytes[i]);
    for (const Label& label : series[i].labels) {
      length_prefix(1, FieldBytes(label.name.size()) + FieldBytes(label.value.size()));
      text(1, label.name);
      text(2, label.value);
    }
    for (const auto& [timestamp, value] : series[i].samples) {
      length_prefix(2, SampleBytes(timestamp));
      varint((1u << 3) | kFixed64);
      const auto bits = std::bit_cast<std::uint64_t>(value);
      for (int shift = 0; shift < 64; shift += 8) *at++ = static_cast<char>(bits >> shift);
      varint((2u << 3) | kVarint);
      varint(static_cast<std::uint64_t>(timestamp));
    }
  }
  return out;
}

Result<std::vector<WriteRequestSeries>> DecodeWriteRequest(std::string_view message) {
  ProtoReader reader(message, 0, kMessageType);
  std::vector<WriteRequestSeries> series;
  Status decoded = ForEachBytesField(
      reader, [&](std::uint32_t field, std::string_view bytes, std::size_t offset) {
        if (field != 1) return Status::Ok();
        ProtoReader item(bytes, offset, kMessageType);
        return DecodeSeries(item, series.emplace_back());
      });
  if (!decoded.ok()) return decoded;
  return series;
}

Status ForEachSeriesView(std::string_view message,
                         const std::function<void(const WriteRequestSeriesView&)>& visit) {
  ProtoReader reader(message, 0, kMessageType);
  WriteRequestSeriesView view;
  return ForEachBytesField(reader,
                           [&](std::uint32_t field, std::string_view bytes, std::size_t offset) {
                             if (field != 1) return Status::Ok();
                             ProtoReader series(bytes, offset, kMessageType);
                             if (Status read = ReadSeriesView(series, view); !read.ok())
                               return read;
                             visit(view);
                             return Status::Ok();
                           });
}

void AppendSeries(std::string& out, std::span<const WriteRequestSeriesView::Label> labels,
                  std::span<const std::string_view> samples) {
  std::size_t bytes = 0;
  for (const auto& label : labels) {
    bytes += FieldBytes(FieldBytes(label.name.size()) + FieldBytes(label.value.size()));
  }
  for (std::string_view sample : samples) bytes += FieldBytes(sample.size());
  const auto length_prefix = [&out](std::uint32_t field, std::size_t length) {
    AppendVarint(&out, (field << 3) | kLengthDelimited);
    AppendVarint(&out, length);
  };
  length_prefix(1, bytes);
  for (const auto& label : labels) {
    length_prefix(1, FieldBytes(label.name.size()) + FieldBytes(label.value.size()));
    length_prefix(1, label.name.size());
    out.append(label.name);
    length_prefix(2, label.value.size());
    out.append(label.value);
  }
  for (std::string_view sample : samples) {
    length_prefix(2, sample.size());
    out.append(sample);
  }
}

std::string SnappyCompress(std::string_view message) {
  std::string compressed;
  snappy::Compress(message.data(), message.size(), &compressed);
  return compressed;
}

}  // namespace chiso
