// Conversion of RocksDB statuses to chiso's Status at the store boundary.
#pragma once

#include <rocksdb/status.h>

#include <string_view>

#include "common/status.h"

namespace chiso::store_internal {

// `context` says what the store was doing ("writing a batch", "opening /var/lib/chiso").
// Disk full -> ResourceExhausted; directory lock held -> FailedPrecondition; corruption ->
// Corruption; other I/O errors -> Unavailable; anything else -> Internal.
Status FromRocksDb(const rocksdb::Status& status, std::string_view context);

// Whether `status` says another process (or another handle in this one) holds the LOCK file.
bool IsLockHeld(const rocksdb::Status& status);
bool IsNoSpace(const rocksdb::Status& status);

}  // namespace chiso::store_internal
