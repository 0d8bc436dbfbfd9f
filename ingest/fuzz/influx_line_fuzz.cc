// libFuzzer target: InfluxDB line protocol bodies (POST /write).
#include <cstddef>
#include <cstdint>

#include "ingest/fuzz/fuzz_context.h"
#include "ingest/influx_line.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& context = chiso::ingest::fuzz::Context();
  (void)chiso::ingest::DecodeInfluxLines({reinterpret_cast<const char*>(data), size}, 1,
                                         context.raw);
  return 0;
}
