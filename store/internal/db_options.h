// RocksDB configuration of the store: one column family per key space (keys.h), each tuned for
// its access pattern. The reasons for each choice are in store/README.md.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>

#include <memory>
#include <string>
#include <vector>

#include "store/store_options.h"

namespace chiso::store_internal {

enum class Space { kMeta, kSeries, kSamples, kAudit, kState, kBlocks, kHead };
inline constexpr int kSpaceCount = 7;

// Column family name of a space ("default" for kMeta).
const std::string& SpaceName(Space space);

// `env` may be null (the default environment); `listener` may be null. With an empty
// options.data_dir the diagnostic log is discarded (read-only checks of a backup).
rocksdb::DBOptions MakeDbOptions(const StoreOptions& options, rocksdb::Env* env,
                                 std::shared_ptr<rocksdb::EventListener> listener);

// Descriptors in Space order.
std::vector<rocksdb::ColumnFamilyDescriptor> MakeColumnFamilies(const StoreOptions& options);

}  // namespace chiso::store_internal
