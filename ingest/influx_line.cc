#include "ingest/influx_line.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <deque>
#include <string>

#include "ingest/series_check.h"
#include "ingest/text.h"

namespace chiso::ingest {
namespace {

// A set of bytes tested with one load: the delimiters of line protocol tokens.
class ByteSet {
 public:
  constexpr explicit ByteSet(std::string_view members) {
    for (const char c : members) bits_[static_cast<unsigned char>(c)] = true;
  }
  constexpr bool Contains(char c) const { return bits_[static_cast<unsigned char>(c)]; }
  constexpr ByteSet With(char c) const {
    ByteSet more = *this;
    more.bits_[static_cast<unsigned char>(c)] = true;
    return more;
  }

 private:
  std::array<bool, 256> bits_{};
};

// How a token of each part of a line ends (stops) and what a backslash escapes in it.
struct TokenSyntax {
  constexpr TokenSyntax(std::string_view stop_bytes, std::string_view escapable_bytes)
      : stops(stop_bytes),
        stops_or_escape(ByteSet(stop_bytes).With('\\')),
        escapable(escapable_bytes) {}
  ByteSet stops;
  ByteSet stops_or_escape;
  ByteSet escapable;
};
constexpr TokenSyntax kMeasurement(", ", ", ");
constexpr TokenSyntax kKey("=, ", ",= ");  // tag and field keys
constexpr TokenSyntax kTagValue(", ", ",= ");
// Where field values and timestamps (no escapes) end.
constexpr ByteSet kValueStops(", ");
constexpr ByteSet kTimestampStops(" ");

// Reads one line of line protocol. Each Read* method stops at the first unescaped delimiter and
// leaves the cursor on it.
class LineReader {
 public:
  explicit LineReader(std::string_view line) : line_(line) {}

  bool AtEnd() const { return at_ >= line_.size(); }
  char Peek() const { return line_[at_]; }
  void Skip() { ++at_; }
  std::size_t offset() const { return at_; }

  // Reads up to an unescaped stop of `syntax`: a view of the line, or, for a token with
  // escapes, of its unescaped text in a new string of `unescaped` ("\\<c>" for c escapable in
  // it), which a deque keeps in place.
  std::string_view ReadToken(const TokenSyntax& syntax, std::deque<std::string>& unescaped) {
    const std::size_t start = at_;
    while (at_ < line_.size() && !syntax.stops_or_escape.Contains(line_[at_])) ++at_;
    if (at_ == line_.size() || line_[at_] != '\\') return line_.substr(start, at_ - start);
    std::string& out = unescaped.emplace_back(line_.substr(start, at_ - start));
    while (at_ < line_.size()) {
      const char c = line_[at_];
      if (c == '\\' && at_ + 1 < line_.size() && syntax.escapable.Contains(line_[at_ + 1])) {
        out.push_back(line_[at_ + 1]);
        at_ += 2;
        continue;
      }
      if (syntax.stops.Contains(c)) break;
      out.push_back(c);
      ++at_;
    }
    return out;
  }

  // Reads up to a character of `stops`, with no escapes (field values, timestamps).
  std::string_view ReadPlain(const ByteSet& stops) {
    const std::size_t start = at_;
    while (at_ < line_.size() && !stops.Contains(line_[at_])) ++at_;
    return line_.substr(start, at_ - start);
  }

  // A double-quoted string field value, cursor on the opening quote; nullopt when unterminated.
  std::optional<std::string> ReadQuoted() {
    std::string out;
    for (++at_; at_ < line_.size(); ++at_) {
      const char c = line_[at_];
      if (c == '\\' && at_ + 1 < line_.size() &&
          (line_[at_ + 1] == '"' || line_[at_ + 1] == '\\')) {
        out.push_back(line_[++at_]);
      } else if (c == '"') {
        ++at_;
        return out;
      } else {
        out.push_back(c);
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view line_;
  std::size_t at_ = 0;
};

// A tag and a field of a line, as views of the line or of their unescaped text.
struct Tag {
  std::string_view name;
  std::string_view value;
};

struct Field {
  std::string_view key;
  std::optional<double> value;  // nullopt: a string field, skipped
};

std::optional<double> ParseBoolean(std::string_view text) {
  if (text == "t" || text == "T" || text == "true" || text == "True" || text == "TRUE") return 1.0;
  if (text == "f" || text == "F" || text == "false" || text == "False" || text == "FALSE")
    return 0.0;
  return std::nullopt;
}

Result<double> ParseFieldValue(std::string_view key, std::string_view text) {
  if (auto boolean = ParseBoolean(text)) return *boolean;
  const char suffix = text.empty() ? '\0' : text.back();
  if (suffix == 'i' || suffix == 'u') {
    const std::string_view digits = text.substr(0, text.size() - 1);
    std::int64_t integer = 0;
    std::uint64_t unsigned_integer = 0;
    const auto [end, error] =
        suffix == 'i'
            ? std::from_chars(digits.data(), digits.data() + digits.size(), integer)
            : std::from_chars(digits.data(), digits.data() + digits.size(), unsigned_integer);
    if (!digits.empty() && error == std::errc() && end == digits.data() + digits.size()) {
      return suffix == 'i' ? static_cast<double>(integer) : static_cast<double>(unsigned_integer);
    }
    return Status::InvalidArgument("field " + Quote(key) + " has value " + Quote(text) + ", not a" +
                                   (suffix == 'i' ? "n integer" : "n unsigned integer"));
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(
        "field " + Quote(key) + " has value " + Quote(text) +
        ", not a number, integer (3i), unsigned (3u), boolean or string");
  }
  return value;
}

class LineDecoder {
 public:
  LineDecoder(std::int64_t ns_per_unit, const RawSeriesContext& context)
      : ns_per_unit_(ns_per_unit), context_(context), gate_(context) {}

  // Appends the line's samples to `out`, or returns why the line is refused (appending nothing).
  std::optional<Rejection> Decode(std::string_view line, SampleBatch* out) {
    LineReader reader(line);
    unescaped_.clear();
    const std::string_view measurement = reader.ReadToken(kMeasurement, unescaped_);
    if (measurement.empty()) return Syntax(reader, "the line has no measurement name");
    std::vector<Tag>& tags = tags_;
    tags.clear();
    while (!reader.AtEnd() && reader.Peek() == ',') {
      reader.Skip();
      Tag tag;
      tag.name = reader.ReadToken(kKey, unescaped_);
      if (reader.AtEnd() || reader.Peek() != '=') {
        return Syntax(reader, "tag " + Quote(tag.name) + " has no '=value'");
      }
      reader.Skip();
      tag.value = reader.ReadToken(kTagValue, unescaped_);
      if (tag.name.empty() || tag.value.empty()) {
        return Syntax(reader, "a tag has an empty key or value");
      }
      if (auto rejected = CheckLabel(tag.name, tag.value, context_.limits)) return rejected;
      tags.push_back(tag);
    }
    if (reader.AtEnd() || reader.Peek() != ' ')
      return Syntax(reader, "expected a space before the fields");
    while (!reader.AtEnd() && reader.Peek() == ' ') reader.Skip();

    std::vector<Field>& fields = fields_;
    fields.clear();
    do {
      if (!fields.empty()) reader.Skip();  // the ',' between fields
      Field field;
      field.key = reader.ReadToken(kKey, unescaped_);
      if (field.key.empty() || reader.AtEnd() || reader.Peek() != '=') {
        return Syntax(reader, "expected a field key=value");
      }
      reader.Skip();
      if (!reader.AtEnd() && reader.Peek() == '"') {
        if (!reader.ReadQuoted())
          return Syntax(reader, "string field " + Quote(field.key) + " is not closed");
      } else {
        const std::string_view text = reader.ReadPlain(kValueStops);
        auto value = ParseFieldValue(field.key, text);
        if (!value.ok()) return Rejection{RejectReason::kBadValue, value.status().message()};
        field.value = *value;
      }
      fields.push_back(field);
    } while (!reader.AtEnd() && reader.Peek() == ',');

    TimestampMs timestamp = context_.now;
    while (!reader.AtEnd() && reader.Peek() == ' ') reader.Skip();
    if (!reader.AtEnd()) {
      const std::size_t start = reader.offset();
      const std::string_view text = reader.ReadPlain(kTimestampStops);
      while (!reader.AtEnd() && reader.Peek() == ' ') reader.Skip();
      if (!reader.AtEnd()) return Syntax(reader, "unexpected text after the timestamp");
      auto converted = ToMilliseconds(text);
      if (!converted.ok()) {
        return Rejection{RejectReason::kBadTime, "timestamp at byte " + std::to_string(start) +
                                                     ": " + converted.status().message()};
      }
      timestamp = *converted;
    }
    if (auto rejected = gate_.CheckTimestamp(timestamp)) return rejected;

    const std::size_t first = out->size();
    // Tags in order once per line (stable, so that a repeated name keeps its values' order);
    // each field's metric name then goes straight to its place, so that FinishSeries finds the
    // labels sorted.
    for (std::size_t i = 1; i < tags.size(); ++i) {
      for (std::size_t j = i; j > 0 && tags[j].name < tags[j - 1].name; --j) {
        std::swap(tags[j], tags[j - 1]);
      }
    }
    const auto place =
        std::upper_bound(tags.begin(), tags.end(), kMetricNameLabel,
                         [](std::string_view metric, const Tag& tag) { return metric < tag.name; });
    for (const Field& field : fields) {
      if (!field.value) continue;
      Sample sample;
      std::string name;
      name.reserve(measurement.size() + 1 + field.key.size());
      name.append(measurement).append(1, '_').append(field.key);
      auto rejected = CheckLabel(kMetricNameLabel, name, context_.limits);
      if (!rejected) rejected = gate_.MayWrite(name);
      sample.labels.reserve(tags.size() + 1);
      for (auto tag = tags.begin(); tag != place; ++tag) {
        sample.labels.push_back({std::string(tag->name), std::string(tag->value)});
      }
      sample.labels.push_back({std::string(kMetricNameLabel), std::move(name)});
      for (auto tag = place; tag != tags.end(); ++tag) {
        sample.labels.push_back({std::string(tag->name), std::string(tag->value)});
      }
      if (!rejected) rejected = FinishSeries(sample.labels, context_.limits);
      if (!rejected) rejected = gate_.MayWriteSeries(sample.labels);
      if (rejected) {
        out->resize(first);
        return rejected;
      }
      sample.timestamp = timestamp;
      sample.value = *field.value;
      sample.writer = context_.principal.name();
      sample.arrived_at = context_.now;
      out->push_back(std::move(sample));
    }
    return std::nullopt;
  }

 private:
  static Rejection Syntax(const LineReader& reader, std::string what) {
    return {RejectReason::kSyntax,
            what + " (byte " + std::to_string(reader.offset()) + " of the line)"};
  }

  Result<TimestampMs> ToMilliseconds(std::string_view text) const {
    std::int64_t units = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), units);
    if (error != std::errc() || end != text.data() + text.size()) {
      return Status::InvalidArgument(Quote(text) + " is not an integer timestamp");
    }
    constexpr std::int64_t kNsPerMs = 1'000'000;
    if (ns_per_unit_ >= kNsPerMs) {
      const std::int64_t factor = ns_per_unit_ / kNsPerMs;
      if (units > kMaxSampleTimestamp / factor || units < 0) {
        return Status::InvalidArgument(Quote(text) + " is out of range for this precision");
      }
      return units * factor;
    }
    const std::int64_t divisor = kNsPerMs / ns_per_unit_;
    return units >= 0 ? units / divisor : -((-units + divisor - 1) / divisor);
  }

  std::int64_t ns_per_unit_;
  const RawSeriesContext& context_;
  RawSampleGate gate_;
  // Scratch of Decode, kept from line to line so that their capacity is reused.
  std::deque<std::string> unescaped_;  // tokens with escapes, of the line being decoded
  std::vector<Tag> tags_;
  std::vector<Field> fields_;
};

// Lines of `body`, the last one counted whether or not a newline ends it; memchr skips a line's
// bytes at a time where counting byte by byte took a tenth of decoding.
std::size_t CountLines(std::string_view body) {
  std::size_t lines = 1;
  if (body.empty()) return lines;  // memchr wants a pointer even for no bytes
  const char* const end = body.data() + body.size();
  for (const char* p = body.data();
       (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
       ++p) {
    ++lines;
  }
  return lines;
}

}  // namespace

Result<std::int64_t> ParseInfluxPrecision(std::string_view precision) {
  if (precision.empty() || precision == "ns" || precision == "n") return 1;
  if (precision == "us" || precision == "u") return 1'000;
  if (precision == "ms") return 1'000'000;
  if (precision == "s") return 1'000'000'000;
  if (precision == "m") return 60'000'000'000;
  if (precision == "h") return 3'600'000'000'000;
  return Status::InvalidArgument("precision " + Quote(precision) +
                                 " is not one of ns, us, ms, s, m, h");
}

Result<DecodedSamples> DecodeInfluxLines(std::string_view body, std::int64_t ns_per_unit,
                                         const RawSeriesContext& context) {
  DecodedSamples decoded;
  // About one sample per line, bounded by what the request may hold.
  decoded.samples.reserve(std::min(CountLines(body), context.limits.max_items_per_request + 1));
  LineDecoder decoder(ns_per_unit, context);
  std::size_t line_number = 0;
  while (!body.empty()) {
    ++line_number;
    const std::size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line.remove_prefix(first);
    if (auto rejected = decoder.Decode(line, &decoded.samples)) {
      decoded.errors.push_back({line_number, std::move(*rejected)});
    }
    if (decoded.samples.size() > context.limits.max_items_per_request) {
      return Status::ResourceExhausted("request has more than " +
                                       std::to_string(context.limits.max_items_per_request) +
                                       " samples; split it");
    }
  }
  return decoded;
}

}  // namespace chiso::ingest
