// Online backup (RocksDB checkpoint) and offline restore.
#include <fcntl.h>
#include <rocksdb/utilities/checkpoint.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "store/internal/rocksdb_status.h"
#include "store/internal/store_impl.h"

namespace chiso::store_internal {
namespace {

namespace fs = std::filesystem;

Status IoError(const std::string& what, int error) {
  const std::string message = what + ": " + std::strerror(error);
  if (error == ENOSPC) return Status::ResourceExhausted(message);
  return Status::Unavailable(message);
}

Status SyncPath(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return IoError("opening " + path.string(), errno);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) return IoError("syncing " + path.string(), error);
  return Status::Ok();
}

// Copies `from` to `to` (a new file) and fsyncs it.
Status CopyFileDurably(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::none, error);
  if (error) return IoError("copying " + from.string() + " to " + to.string(), error.value());
  return SyncPath(to, O_RDONLY);
}

// Copies the flat directory of a checkpoint.
Status CopyDirectoryDurably(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::create_directories(to, error);
  if (error) return IoError("creating " + to.string(), error.value());
  for (const fs::directory_entry& entry : fs::directory_iterator(from, error)) {
    if (!entry.is_regular_file()) {
      return Status::FailedPrecondition("backup " + from.string() + " contains " +
                                        entry.path().filename().string() +
                                        ", which is not a regular file");
    }
    if (Status s = CopyFileDurably(entry.path(), to / entry.path().filename()); !s.ok()) return s;
  }
  if (error) return IoError("listing " + from.string(), error.value());
  return SyncPath(to, O_RDONLY | O_DIRECTORY);
}

}  // namespace

Status StoreImpl::Backup(const fs::path& target_dir) const {
  std::error_code error;
  const fs::path target = fs::absolute(target_dir, error);
  if (error || target_dir.empty()) {
    return Status::InvalidArgument("backup target \"" + target_dir.string() + "\" is not a path");
  }
  if (fs::exists(target, error)) {
    return Status::FailedPrecondition("backup target " + target.string() +
                                      " already exists; choose a new directory");
  }
  fs::create_directories(target.parent_path(), error);
  if (error) return IoError("creating " + target.parent_path().string(), error.value());
  rocksdb::Checkpoint* raw = nullptr;
  if (auto s = rocksdb::Checkpoint::Create(&database_->db(), &raw); !s.ok()) {
    return FromRocksDb(s, "starting a backup");
  }
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // Flushes the memtables first, so the backup holds tables and a near-empty log.
  return FromRocksDb(checkpoint->CreateCheckpoint(target.string(), /*log_size_for_flush=*/0),
                     "writing backup " + target.string());
}

Status StoreImpl::Restore(const fs::path& backup_dir, const fs::path& data_dir) {
  std::error_code error;
  if (fs::exists(data_dir, error) && !fs::is_empty(data_dir, error)) {
    return Status::FailedPrecondition("restore target " + data_dir.string() +
                                      " is not empty; restore only into a new directory");
  }
  if (Status s = Database::CheckOpenable(backup_dir); !s.ok()) return s;
  // Copy beside the target, then rename: data_dir never holds a partial store.
  fs::path staging = data_dir;
  staging += ".restoring";
  fs::remove_all(staging, error);
  if (Status s = CopyDirectoryDurably(backup_dir, staging); !s.ok()) {
    fs::remove_all(staging, error);
    return s;
  }
  fs::remove(data_dir, error);  // empty or absent
  fs::rename(staging, data_dir, error);
  if (error) return IoError("moving the restored store to " + data_dir.string(), error.value());
  const fs::path parent = fs::absolute(data_dir, error).parent_path();
  return SyncPath(parent, O_RDONLY | O_DIRECTORY);
}

}  // namespace chiso::store_internal
