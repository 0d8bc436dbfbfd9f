// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of each frame of a streamed
// remote-read response (Go's crc32.MakeTable(crc32.Castagnoli)). Table-driven; no I/O.
#pragma once

#include <cstdint>
#include <string_view>

namespace chiso::remote_read {

// CRC-32C of `data`; "123456789" gives 0xE3069283.
std::uint32_t Crc32c(std::string_view data);

}  // namespace chiso::remote_read
