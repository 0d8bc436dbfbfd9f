// Protocol Buffers wire format (https://protobuf.dev/programming-guides/encoding/), read and
// written by hand for the Prometheus remote protocols (ingest/remote_write, remote_read/): no
// generated code, and a reader that hands out views into the decoded buffer.
//
// ProtoReader reads one message's fields in order; every error is InvalidArgument naming what is
// wrong and its byte offset counted from the start of the whole (decompressed) message, so a
// sender can find the bad byte. ProtoWriter appends fields to a byte string. No I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace chiso {

enum WireType : std::uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

class ProtoReader {
 public:
  // Reads `data`, which starts `base` bytes into a message of type `message_type` (the name used
  // in errors: "body is not a protobuf WriteRequest: …"). `message_type` must outlive the reader.
  ProtoReader(std::string_view data, std::size_t base, std::string_view message_type)
      : data_(data), base_(base), message_type_(message_type) {}

  bool AtEnd() const { return at_ >= data_.size(); }

  // The readers below are inline for the one-byte varints that make up most of a message (keys,
  // lengths of labels): a remote-write request reads several per sample.
  Status ReadVarint(std::uint64_t* out) {
    if (at_ < data_.size() && static_cast<unsigned char>(data_[at_]) < 0x80) {
      *out = static_cast<unsigned char>(data_[at_++]);
      return Status::Ok();
    }
    return ReadLongVarint(out);
  }
  // Reads a field key; `field` and `wire` are its number and wire type.
  Status ReadKey(std::uint32_t* field, std::uint32_t* wire) {
    std::uint64_t key = 0;
    if (Status read = ReadVarint(&key); !read.ok()) return read;
    *field = static_cast<std::uint32_t>(key >> 3);
    *wire = static_cast<std::uint32_t>(key & 7);
    if (*field == 0) return Error("field number 0 is not valid protobuf");
    return Status::Ok();
  }
  // A length-delimited payload and the offset (from the message start) where it begins.
  Status ReadBytes(std::string_view* out, std::size_t* offset) {
    std::uint64_t length = 0;
    if (Status read = ReadVarint(&length); !read.ok()) return read;
    if (length > data_.size() - at_) return LengthError(length);
    *offset = base_ + at_;
    *out = data_.substr(at_, length);
    at_ += length;
    return Status::Ok();
  }
  Status ReadFixed64(std::uint64_t* out);
  // Skips the value of a field of wire type `wire`.
  Status Skip(std::uint32_t wire);
  // OK when `wire` is `wanted`; else an error naming `field` and both wire types.
  Status ExpectWire(std::uint32_t wire, std::uint32_t wanted, std::string_view field) const {
    if (wire == wanted) return Status::Ok();
    return WireError(wire, wanted, field);
  }

  // InvalidArgument "body is not a protobuf <type>: <what> (byte N after snappy decompression)"
  // at the current position.
  Status Error(const std::string& what) const;

 private:
  Status ReadLongVarint(std::uint64_t* out);
  Status LengthError(std::uint64_t length) const;
  Status WireError(std::uint32_t wire, std::uint32_t wanted, std::string_view field) const;

  std::string_view data_;
  std::size_t base_;
  std::string_view message_type_;
  std::size_t at_ = 0;
};

// Appends the encoding of fields to a byte string. Integers are written as protobuf's int64 and
// uint64 (two's complement varints); sint64 fields use ZigZag.
class ProtoWriter {
 public:
  void Varint(std::uint64_t value);
  void Tag(std::uint32_t field, WireType wire);
  void VarintField(std::uint32_t field, std::uint64_t value);
  void Int64Field(std::uint32_t field, std::int64_t value);
  void SintField(std::uint32_t field, std::int64_t value);
  void DoubleField(std::uint32_t field, double value);
  void Fixed64Field(std::uint32_t field, std::uint64_t value);
  // Bytes, a string, or an embedded message already encoded.
  void BytesField(std::uint32_t field, std::string_view bytes);

  const std::string& bytes() const { return bytes_; }
  std::string Take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

// Appends `value` as a base-128 varint (Go's binary.PutUvarint).
void AppendVarint(std::string* out, std::uint64_t value);
// ZigZag: 0, -1, 1, -2 … as 0, 1, 2, 3 … (protobuf's sint64, Go's binary.PutVarint).
std::uint64_t ZigZag(std::int64_t value);

}  // namespace chiso
