#include "common/write_request.h"

#include <snappy.h>

#include <bit>
#include <cstdint>

#include "common/protobuf_wire.h"

namespace chiso {
namespace {

constexpr std::string_view kMessageType = "WriteRequest";

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

Status DecodeLabel(ProtoReader& reader, Label& label) {
  return ForEachBytesField(reader, [&](std::uint32_t field, std::string_view bytes, std::size_t) {
    if (field == 1) label.name = std::string(bytes);
    if (field == 2) label.value = std::string(bytes);
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

}  // namespace

std::string EncodeWriteRequest(const std::vector<WriteRequestSeries>& series) {
  ProtoWriter request;
  for (const WriteRequestSeries& one : series) {
    ProtoWriter encoded_series;
    for (const Label& label : one.labels) {
      ProtoWriter item;
      item.BytesField(1, label.name);
      item.BytesField(2, label.value);
      encoded_series.BytesField(1, item.bytes());
    }
    for (const auto& [timestamp, value] : one.samples) {
      ProtoWriter item;
      item.DoubleField(1, value);
      item.Int64Field(2, timestamp);
      encoded_series.BytesField(2, item.bytes());
    }
    request.BytesField(1, encoded_series.bytes());
  }
  return request.Take();
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

std::string SnappyCompress(std::string_view message) {
  std::string compressed;
  snappy::Compress(message.data(), message.size(), &compressed);
  return compressed;
}

}  // namespace chiso
