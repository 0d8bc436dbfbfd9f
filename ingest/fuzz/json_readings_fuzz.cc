// libFuzzer target: POST /api/v1/readings bodies through decoding and validation.
#include <cstddef>
#include <cstdint>

#include "ingest/fuzz/fuzz_context.h"
#include "ingest/json_readings.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& context = chiso::ingest::fuzz::Context();
  auto items = chiso::ingest::DecodeJsonReadings({reinterpret_cast<const char*>(data), size}, 1000);
  if (items.ok()) context.Validate(*items);
  return 0;
}
