// Database: the open RocksDB instance with its column families, checked to be a chiso store.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "common/status.h"
#include "store/internal/db_options.h"
#include "store/internal/event_listener.h"
#include "store/store_options.h"

namespace chiso::store_internal {

class Database {
 public:
  // Opens options.data_dir, creating the directory and the column families when missing. `env`
  // (may be null) replaces the default environment, for fault-injection tests.
  static Result<std::unique_ptr<Database>> Open(const StoreOptions& options, rocksdb::Env* env);
  // Ok when `dir` holds a chiso store that opens (read-only, nothing written).
  static Status CheckOpenable(const std::filesystem::path& dir);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  rocksdb::DB& db() const { return *db_; }
  rocksdb::ColumnFamilyHandle* family(Space space) const {
    return handles_[static_cast<int>(space)];
  }
  const std::vector<rocksdb::ColumnFamilyHandle*>& families() const { return handles_; }
  StoreEventListener& listener() const { return *listener_; }

 private:
  Database() = default;

  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // in Space order
  std::shared_ptr<StoreEventListener> listener_;
};

}  // namespace chiso::store_internal
