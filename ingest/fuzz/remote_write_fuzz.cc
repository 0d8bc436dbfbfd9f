// libFuzzer target: Prometheus remote-write bodies (POST /api/v1/write). The input is decoded
// as sent (exercising snappy framing) and, compressed first, as a protobuf WriteRequest.
#include <snappy.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/fuzz/fuzz_context.h"
#include "ingest/remote_write.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& context = chiso::ingest::fuzz::Context();
  const char* bytes = reinterpret_cast<const char*>(data);
  (void)chiso::ingest::DecodeRemoteWrite({bytes, size}, 1u << 20, context.raw);
  std::string compressed;
  snappy::Compress(bytes, size, &compressed);
  (void)chiso::ingest::DecodeRemoteWrite(compressed, 1u << 20, context.raw);
  return 0;
}
