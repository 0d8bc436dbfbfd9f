// Counts the keys of one key space of a closed store by reading its RocksDB files directly, for
// tests that must know how many blocks were sealed: the store's own keys_estimate is RocksDB's
// estimate, which counts each deletion twice and reads 0 beside many merged blocks. Header-only;
// the test links RocksDB.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace chiso::testing {

// Keys in key space `name` of the store at `data_dir`, which no process may be writing (a
// killed one's write-ahead log is read, not changed).
inline Result<std::uint64_t> CountKeys(const std::filesystem::path& data_dir,
                                       const std::string& name) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {{rocksdb::kDefaultColumnFamilyName, {}},
                                                           {name, {}}};
  rocksdb::DBOptions options;
  options.track_and_verify_wals_in_manifest = true;  // as the store writes its MANIFEST
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* opened = nullptr;
  const rocksdb::Status status =
      rocksdb::DB::OpenForReadOnly(options, data_dir.string(), families, &handles, &opened);
  if (!status.ok()) return Status::Internal("opening " + name + ": " + status.ToString());
  std::unique_ptr<rocksdb::DB> db(opened);
  std::uint64_t keys = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), handles[1]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++keys;
    if (!it->status().ok())
      return Status::Internal("reading " + name + ": " + it->status().ToString());
  }
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  return keys;
}

}  // namespace chiso::testing
