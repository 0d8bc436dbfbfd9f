#include "remote_read/testing/prompb_codec.h"

#include <snappy.h>

#include <cstdint>

namespace chiso::remote_read::testing {
namespace {

std::uint32_t BitwiseCrc32c(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (char c : data) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace

std::string EncodeReadRequest(const prometheus::ReadRequest& request) {
  const std::string message = request.SerializeAsString();
  std::string compressed;
  snappy::Compress(message.data(), message.size(), &compressed);
  return compressed;
}

prometheus::Query MakeQuery(std::int64_t start_ms, std::int64_t end_ms,
                            const std::vector<MatcherSpec>& matchers) {
  prometheus::Query query;
  query.set_start_timestamp_ms(start_ms);
  query.set_end_timestamp_ms(end_ms);
  for (const MatcherSpec& spec : matchers) {
    prometheus::LabelMatcher* matcher = query.add_matchers();
    matcher->set_type(spec.type);
    matcher->set_name(spec.name);
    matcher->set_value(spec.value);
  }
  return query;
}

std::optional<prometheus::ReadResponse> DecodeSamplesResponse(std::string_view body) {
  std::string message;
  if (!snappy::Uncompress(body.data(), body.size(), &message)) return std::nullopt;
  prometheus::ReadResponse response;
  if (!response.ParseFromString(message)) return std::nullopt;
  return response;
}

std::vector<prometheus::ChunkedReadResponse> DecodeFrames(std::string_view body,
                                                          std::string* error) {
  std::vector<prometheus::ChunkedReadResponse> frames;
  std::size_t at = 0;
  while (at < body.size()) {
    std::uint64_t length = 0;
    int shift = 0;
    while (true) {
      if (at >= body.size() || shift > 63) {
        *error = "frame " + std::to_string(frames.size()) + ": truncated length";
        return frames;
      }
      const auto byte = static_cast<unsigned char>(body[at++]);
      length |= std::uint64_t{byte & 0x7Fu} << shift;
      shift += 7;
      if ((byte & 0x80u) == 0) break;
    }
    if (body.size() - at < 4 + length) {
      *error = "frame " + std::to_string(frames.size()) + ": truncated";
      return frames;
    }
    std::uint32_t crc = 0;
    for (int i = 0; i < 4; ++i) crc = (crc << 8) | static_cast<unsigned char>(body[at++]);
    const std::string_view message = body.substr(at, length);
    at += length;
    if (crc != BitwiseCrc32c(message)) {
      *error = "frame " + std::to_string(frames.size()) + ": CRC mismatch";
      return frames;
    }
    if (!frames.emplace_back().ParseFromArray(message.data(), static_cast<int>(message.size()))) {
      *error = "frame " + std::to_string(frames.size() - 1) + ": not a ChunkedReadResponse";
      return frames;
    }
  }
  return frames;
}

}  // namespace chiso::remote_read::testing
