// Text helpers for decoders of outside input: UTF-8 validation and quoting an offending value in
// an error message so that Vietnamese text stays readable and the message stays valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chiso::ingest {

// Offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are ill-formed), or npos when `text` is valid.
std::size_t FindInvalidUtf8(std::string_view text);

// `text` in double quotes for a message: valid UTF-8 is kept verbatim, control characters and
// invalid bytes appear as \xNN, and text longer than `max_bytes` is cut at a character boundary
// and ends with "…".
std::string Quote(std::string_view text, std::size_t max_bytes = 120);

// `text` without the spaces and tabs around it (HTTP's optional whitespace, RFC 9110 §5.6.3).
std::string_view TrimSpaces(std::string_view text);

// Whether `a` and `b` are the same ASCII word ignoring case, as HTTP compares schemes, codings
// and parameter names.
bool SameWordIgnoringCase(std::string_view a, std::string_view b);

// "byte N" of a body, and for text bodies also "line L, column C" (1-based) of that offset.
std::string DescribeOffset(std::string_view body, std::size_t offset);

}  // namespace chiso::ingest
