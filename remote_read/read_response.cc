#include "remote_read/read_response.h"

#include <snappy.h>

#include <algorithm>

#include "common/protobuf_wire.h"
#include "remote_read/crc32c.h"
#include "remote_read/xor_chunk.h"

namespace chiso::remote_read {
namespace {

// Appends the Label messages of `labels` as field 1 of the enclosing message.
void WriteLabels(const Labels& labels, ProtoWriter* out) {
  for (const Label& label : labels) {
    ProtoWriter item;
    item.BytesField(1, label.name);
    item.BytesField(2, label.value);
    out->BytesField(1, item.bytes());
  }
}

// One frame: uvarint length, big-endian CRC-32C, message.
void AppendFrame(std::string_view message, std::string* out) {
  AppendVarint(out, message.size());
  const std::uint32_t crc = Crc32c(message);
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(crc >> shift));
  out->append(message);
}

void AppendSeriesFrame(const Labels& labels, std::string_view chunks, std::size_t query_index,
                       std::string* out) {
  ProtoWriter series;
  WriteLabels(labels, &series);
  std::string series_bytes = series.Take();
  series_bytes.append(chunks);
  ProtoWriter frame;
  frame.BytesField(1, series_bytes);
  frame.Int64Field(2, static_cast<std::int64_t>(query_index));
  AppendFrame(frame.bytes(), out);
}

}  // namespace

std::string EncodeSamplesResponse(std::span<const QueryResult> results) {
  ProtoWriter response;
  for (const QueryResult& result : results) {
    ProtoWriter query_result;
    for (const ReadSeries& one : result) {
      ProtoWriter series;
      WriteLabels(one.labels, &series);
      for (const Point& point : one.points) {
        ProtoWriter sample;
        sample.DoubleField(1, point.value);
        sample.Int64Field(2, point.timestamp);
        series.BytesField(2, sample.bytes());
      }
      query_result.BytesField(1, series.bytes());
    }
    response.BytesField(1, query_result.bytes());
  }
  std::string compressed;
  snappy::Compress(response.bytes().data(), response.bytes().size(), &compressed);
  return compressed;
}

std::string EncodeStreamedResponse(std::span<const QueryResult> results) {
  std::string out;
  for (std::size_t query_index = 0; query_index < results.size(); ++query_index) {
    for (const ReadSeries& one : results[query_index]) {
      ProtoWriter chunks;  // Chunk messages as field 2 of ChunkedSeries
      for (std::size_t first = 0; first < one.points.size(); first += kMaxSamplesPerChunk) {
        const std::size_t count = std::min(kMaxSamplesPerChunk, one.points.size() - first);
        const std::span<const Point> points(one.points.data() + first, count);
        ProtoWriter chunk;
        chunk.Int64Field(1, points.front().timestamp);
        chunk.Int64Field(2, points.back().timestamp);
        chunk.VarintField(3, 1);  // Chunk.Encoding XOR
        chunk.BytesField(4, EncodeXorChunk(points));
        chunks.BytesField(2, chunk.bytes());
        if (chunks.bytes().size() >= kMaxFrameBytes) {
          AppendSeriesFrame(one.labels, chunks.Take(), query_index, &out);
          chunks = ProtoWriter();
        }
      }
      if (!chunks.bytes().empty() || one.points.empty()) {
        AppendSeriesFrame(one.labels, chunks.bytes(), query_index, &out);
      }
    }
  }
  return out;
}

}  // namespace chiso::remote_read
