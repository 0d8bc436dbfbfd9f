#include "store/internal/keys.h"

#include "store/internal/coding.h"

namespace chiso::store_internal {

std::string WriterKey(WriterId id) {
  std::string key = "w";
  PutFixed32BE(key, id);
  return key;
}

bool IsWriterKey(std::string_view key) { return key.size() == 5 && key[0] == 'w'; }

WriterId WriterIdFromKey(std::string_view key) { return DecodeFixed32BE(key.data() + 1); }

std::string SeriesKey(SeriesId id) {
  std::string key;
  PutFixed32BE(key, id);
  return key;
}

SeriesId SeriesIdFromKey(std::string_view key) { return DecodeFixed32BE(key.data()); }

std::string SampleKey(SeriesId id, TimestampMs timestamp) {
  std::string key;
  key.reserve(kSampleKeyBytes);
  PutFixed32BE(key, id);
  PutFixed64BE(key, static_cast<std::uint64_t>(timestamp));
  return key;
}

TimestampMs TimestampFromSampleKey(std::string_view key) {
  return static_cast<TimestampMs>(DecodeFixed64BE(key.data() + kSeriesIdBytes));
}

std::string AuditKey(SeriesId id, TimestampMs timestamp, std::uint32_t revision) {
  std::string key = SampleKey(id, timestamp);
  PutFixed32BE(key, revision);
  return key;
}

std::uint32_t RevisionFromAuditKey(std::string_view key) {
  return DecodeFixed32BE(key.data() + kSampleKeyBytes);
}

std::string HeadKey(std::uint64_t sequence) {
  std::string key;
  PutFixed64BE(key, sequence);
  return key;
}

std::uint64_t SequenceFromHeadKey(std::string_view key) { return DecodeFixed64BE(key.data()); }

std::string StateKey(std::string_view space, std::string_view key) {
  std::string out;
  out.reserve(1 + space.size() + key.size());
  out.push_back(static_cast<char>(space.size()));
  out.append(space);
  out.append(key);
  return out;
}

}  // namespace chiso::store_internal
