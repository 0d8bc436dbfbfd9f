// libFuzzer target: gzip and deflate request bodies (Content-Encoding on the write endpoints).
// Whatever the input, decompression ends with content within its limit or with an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ingest/content_coding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t kLimit = 1u << 20;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (auto coding :
       {chiso::ingest::ContentCoding::kGzip, chiso::ingest::ContentCoding::kDeflate}) {
    auto content = chiso::ingest::DecompressBody(body, coding, kLimit);
    if (content.ok() && content->size() > kLimit) std::abort();
  }
  return 0;
}
