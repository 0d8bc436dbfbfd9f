// InfoLog: RocksDB's diagnostic log (the LOG file in the data directory), written by the store
// instead of RocksDB's own logger. Debian's librocksdb is built with assertions enabled, and its
// logger aborts the process on the first write after a failed one, which a full disk produces.
// This one ignores write errors: losing diagnostics must never stop the store.
#pragma once

#include <rocksdb/env.h>

#include <cstdarg>
#include <cstdio>
#include <filesystem>

#include "common/thread_annotations.h"
#include "store/internal/mutex.h"

namespace chiso::store_internal {

class InfoLog final : public rocksdb::Logger {
 public:
  // Writes to `path`, keeping the previous file as `path`.old; rotates the same way past
  // kMaxBytes. An empty path discards every message.
  explicit InfoLog(std::filesystem::path path);
  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override EXCLUDES(mu_);
  void Flush() override EXCLUDES(mu_);

  static constexpr long kMaxBytes = 32L << 20;

 private:
  rocksdb::Status CloseImpl() override EXCLUDES(mu_);
  void Rotate() REQUIRES(mu_);

  const std::filesystem::path path_;
  Mutex mu_;
  std::FILE* file_ GUARDED_BY(mu_) = nullptr;
};

}  // namespace chiso::store_internal
