// libFuzzer target: POST /api/v1/import/csv bodies through decoding and validation.
#include <cstddef>
#include <cstdint>

#include "ingest/csv_readings.h"
#include "ingest/fuzz/fuzz_context.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& context = chiso::ingest::fuzz::Context();
  auto items = chiso::ingest::DecodeCsvReadings({reinterpret_cast<const char*>(data), size}, 1000);
  if (items.ok()) context.Validate(*items);
  return 0;
}
