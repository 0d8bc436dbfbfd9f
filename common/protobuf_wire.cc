#include "common/protobuf_wire.h"

#include <bit>
#include <cstring>

namespace chiso {

Status ProtoReader::ReadLongVarint(std::uint64_t* out) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_ >= data_.size()) return Error("a varint runs past the end of its message");
    const auto byte = static_cast<unsigned char>(data_[at_++]);
    value |= std::uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80u) == 0) {
      *out = value;
      return Status::Ok();
    }
  }
  return Error("a varint is longer than 10 bytes");
}

Status ProtoReader::LengthError(std::uint64_t length) const {
  return Error("a length of " + std::to_string(length) + " bytes runs past the end of its message");
}

Status ProtoReader::ReadFixed64(std::uint64_t* out) {
  if (data_.size() - at_ < 8) return Error("a fixed64 runs past the end of its message");
  std::memcpy(out, data_.data() + at_, 8);
  if constexpr (std::endian::native == std::endian::big) *out = __builtin_bswap64(*out);
  at_ += 8;
  return Status::Ok();
}

Status ProtoReader::Skip(std::uint32_t wire) {
  std::uint64_t ignored = 0;
  std::string_view bytes;
  std::size_t offset = 0;
  switch (wire) {
    case kVarint:
      return ReadVarint(&ignored);
    case kFixed64:
      return ReadFixed64(&ignored);
    case kLengthDelimited:
      return ReadBytes(&bytes, &offset);
    case kFixed32:
      if (data_.size() - at_ < 4) return Error("a fixed32 runs past the end of its message");
      at_ += 4;
      return Status::Ok();
    default:
      return Error("wire type " + std::to_string(wire) + " is not valid protobuf");
  }
}

Status ProtoReader::WireError(std::uint32_t wire, std::uint32_t wanted,
                              std::string_view field) const {
  return Error(std::string(field) + " has wire type " + std::to_string(wire) + ", expected " +
               std::to_string(wanted));
}

Status ProtoReader::Error(const std::string& what) const {
  return Status::InvalidArgument("body is not a protobuf " + std::string(message_type_) + ": " +
                                 what + " (byte " + std::to_string(base_ + at_) +
                                 " after snappy decompression)");
}

void AppendVarint(std::string* out, std::uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

std::uint64_t ZigZag(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

void ProtoWriter::Varint(std::uint64_t value) { AppendVarint(&bytes_, value); }

void ProtoWriter::Tag(std::uint32_t field, WireType wire) {
  Varint((std::uint64_t{field} << 3) | wire);
}

void ProtoWriter::VarintField(std::uint32_t field, std::uint64_t value) {
  Tag(field, kVarint);
  Varint(value);
}

void ProtoWriter::Int64Field(std::uint32_t field, std::int64_t value) {
  VarintField(field, static_cast<std::uint64_t>(value));
}

void ProtoWriter::SintField(std::uint32_t field, std::int64_t value) {
  VarintField(field, ZigZag(value));
}

void ProtoWriter::DoubleField(std::uint32_t field, double value) {
  Fixed64Field(field, std::bit_cast<std::uint64_t>(value));
}

void ProtoWriter::Fixed64Field(std::uint32_t field, std::uint64_t value) {
  Tag(field, kFixed64);
  for (int shift = 0; shift < 64; shift += 8) bytes_.push_back(static_cast<char>(value >> shift));
}

void ProtoWriter::BytesField(std::uint32_t field, std::string_view bytes) {
  Tag(field, kLengthDelimited);
  Varint(bytes.size());
  bytes_.append(bytes);
}

}  // namespace chiso
