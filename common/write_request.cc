#include "common/write_request.h"

#include <snappy.h>

#include <bit>
#include <cstdint>

#include "common/protobuf_wire.h"

namespace chiso {
namespace {

constexpr std::string_view kMessageType = "WriteRequest";

Status DecodeLabel(ProtoReader& reader, Label& label) {
  while (!reader.AtEnd()) {
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    if (Status s = reader.ReadKey(&field, &wire); !s.ok()) return s;
    if (field != 1 && field != 2) {
      if (Status s = reader.Skip(wire); !s.ok()) return s;
      continue;
    }
    if (Status s = reader.ExpectWire(wire, kLengthDelimited, "Label"); !s.ok()) return s;
    std::string_view bytes;
    std::size_t offset = 0;
    if (Status s = reader.ReadBytes(&bytes, &offset); !s.ok()) return s;
    (field == 1 ? label.name : label.value) = std::string(bytes);
  }
  return Status::Ok();
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
  while (!reader.AtEnd()) {
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    if (Status s = reader.ReadKey(&field, &wire); !s.ok()) return s;
    if ((field != 1 && field != 2) || wire != kLengthDelimited) {
      if (Status s = reader.Skip(wire); !s.ok()) return s;
      continue;
    }
    std::string_view bytes;
    std::size_t offset = 0;
    if (Status s = reader.ReadBytes(&bytes, &offset); !s.ok()) return s;
    ProtoReader item(bytes, offset, kMessageType);
    if (field == 1) {
      if (Status s = DecodeLabel(item, series.labels.emplace_back()); !s.ok()) return s;
    } else if (Status s = DecodeSample(item, series.samples.emplace_back()); !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
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
  while (!reader.AtEnd()) {
    std::uint32_t field = 0;
    std::uint32_t wire = 0;
    if (Status s = reader.ReadKey(&field, &wire); !s.ok()) return s;
    if (field != 1 || wire != kLengthDelimited) {
      if (Status s = reader.Skip(wire); !s.ok()) return s;
      continue;
    }
    std::string_view bytes;
    std::size_t offset = 0;
    if (Status s = reader.ReadBytes(&bytes, &offset); !s.ok()) return s;
    ProtoReader item(bytes, offset, kMessageType);
    if (Status s = DecodeSeries(item, series.emplace_back()); !s.ok()) return s;
  }
  return series;
}

std::string SnappyCompress(std::string_view message) {
  std::string compressed;
  snappy::Compress(message.data(), message.size(), &compressed);
  return compressed;
}

}  // namespace chiso
