#include "remote_read/read_request.h"

#include <string>

#include "common/protobuf_wire.h"
#include "common/snappy_body.h"

namespace chiso::remote_read {
namespace {

constexpr std::string_view kReadRequest = "ReadRequest";

// Where a field sits in the request, for messages: "queries[0].matchers[1]".
std::string MatcherPath(std::size_t query, std::size_t matcher) {
  return "queries[" + std::to_string(query) + "].matchers[" + std::to_string(matcher) + "]";
}

Result<LabelMatcher> ReadMatcher(std::string_view bytes, std::size_t base,
                                 const std::string& path) {
  ProtoReader reader(bytes, base, kReadRequest);
  std::uint64_t type = 0;
  std::string_view name, value;
  while (!reader.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (Status read = reader.ReadKey(&field, &wire); !read.ok()) return read;
    if (field == 1) {
      if (Status typed = reader.ExpectWire(wire, kVarint, path + ".type"); !typed.ok())
        return typed;
      if (Status read = reader.ReadVarint(&type); !read.ok()) return read;
    } else if (field == 2 || field == 3) {
      if (Status typed = reader.ExpectWire(wire, kLengthDelimited, path + ".name/value");
          !typed.ok())
        return typed;
      std::size_t offset = 0;
      if (Status read = reader.ReadBytes(field == 2 ? &name : &value, &offset); !read.ok())
        return read;
    } else if (Status skipped = reader.Skip(wire); !skipped.ok()) {
      return skipped;
    }
  }
  if (type > 3) {
    return Status::InvalidArgument(path + ".type: " + std::to_string(type) +
                                   " is not a matcher type (EQ=0, NEQ=1, RE=2, NRE=3)");
  }
  auto matcher = LabelMatcher::Make(static_cast<LabelMatcher::Op>(type), std::string(name),
                                    std::string(value));
  if (!matcher.ok()) return Status::InvalidArgument(path + ": " + matcher.status().message());
  return matcher;
}

Status ReadQuery(std::string_view bytes, std::size_t base, std::size_t index, Query* query) {
  ProtoReader reader(bytes, base, kReadRequest);
  const std::string path = "queries[" + std::to_string(index) + "]";
  while (!reader.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (Status read = reader.ReadKey(&field, &wire); !read.ok()) return read;
    if (field == 1 || field == 2) {
      if (Status typed = reader.ExpectWire(wire, kVarint, path + ".start/end_timestamp_ms");
          !typed.ok())
        return typed;
      std::uint64_t timestamp = 0;
      if (Status read = reader.ReadVarint(&timestamp); !read.ok()) return read;
      (field == 1 ? query->start_ms : query->end_ms) = static_cast<TimestampMs>(timestamp);
    } else if (field == 3) {
      if (Status typed = reader.ExpectWire(wire, kLengthDelimited, path + ".matchers"); !typed.ok())
        return typed;
      std::string_view payload;
      std::size_t offset = 0;
      if (Status read = reader.ReadBytes(&payload, &offset); !read.ok()) return read;
      auto matcher = ReadMatcher(payload, offset, MatcherPath(index, query->matchers.size()));
      if (!matcher.ok()) return matcher.status();
      query->matchers.push_back(std::move(*matcher));
    } else if (Status skipped = reader.Skip(wire); !skipped.ok()) {
      return skipped;  // hints (4) and fields of later versions
    }
  }
  return Status::Ok();
}

// One accepted_response_types value: kept when chiso knows it.
void AcceptType(std::uint64_t value, bool* listed, ReadRequest* request) {
  *listed = true;
  if (value <= 1) request->accepted_response_types.push_back(static_cast<ResponseType>(value));
}

// accepted_response_types, packed (proto3's default) or not.
Status ReadResponseTypes(ProtoReader& reader, std::uint32_t wire, bool* listed,
                         ReadRequest* request) {
  std::uint64_t value = 0;
  if (wire == kVarint) {
    if (Status read = reader.ReadVarint(&value); !read.ok()) return read;
    AcceptType(value, listed, request);
    return Status::Ok();
  }
  if (Status typed = reader.ExpectWire(wire, kLengthDelimited, "accepted_response_types");
      !typed.ok())
    return typed;
  std::string_view packed;
  std::size_t offset = 0;
  if (Status read = reader.ReadBytes(&packed, &offset); !read.ok()) return read;
  for (ProtoReader values(packed, offset, kReadRequest); !values.AtEnd();) {
    if (Status read = values.ReadVarint(&value); !read.ok()) return read;
    AcceptType(value, listed, request);
  }
  return Status::Ok();
}

}  // namespace

Result<ReadRequest> DecodeReadRequest(std::string_view body, const RequestLimits& limits) {
  auto decompressed = DecompressSnappyBody(
      body, limits.max_decompressed_bytes,
      "remote read sends a snappy-compressed protobuf ReadRequest with Content-Encoding: snappy",
      "send fewer queries or matchers per request");
  if (!decompressed.ok()) return decompressed.status();
  const std::string& message = *decompressed;

  ReadRequest request;
  bool listed_types = false;
  ProtoReader reader(message, 0, kReadRequest);
  while (!reader.AtEnd()) {
    std::uint32_t field = 0, wire = 0;
    if (Status read = reader.ReadKey(&field, &wire); !read.ok()) return read;
    if (field == 1) {
      if (Status typed = reader.ExpectWire(wire, kLengthDelimited, "queries"); !typed.ok())
        return typed;
      if (request.queries.size() == limits.max_queries) {
        return Status::ResourceExhausted("request has more than " +
                                         std::to_string(limits.max_queries) +
                                         " queries; send them in several requests");
      }
      std::string_view payload;
      std::size_t offset = 0;
      if (Status read = reader.ReadBytes(&payload, &offset); !read.ok()) return read;
      const std::size_t index = request.queries.size();
      if (Status parsed = ReadQuery(payload, offset, index, &request.queries.emplace_back());
          !parsed.ok())
        return parsed;
    } else if (field == 2) {
      if (Status read = ReadResponseTypes(reader, wire, &listed_types, &request); !read.ok())
        return read;
    } else if (Status skipped = reader.Skip(wire); !skipped.ok()) {
      return skipped;
    }
  }
  if (listed_types && request.accepted_response_types.empty()) {
    return Status::InvalidArgument(
        "accepted_response_types lists no type chiso answers (SAMPLES=0, STREAMED_XOR_CHUNKS=1)");
  }
  return request;
}

ResponseType ChooseResponseType(const ReadRequest& request) {
  return request.accepted_response_types.empty() ? ResponseType::kSamples
                                                 : request.accepted_response_types.front();
}

}  // namespace chiso::remote_read
