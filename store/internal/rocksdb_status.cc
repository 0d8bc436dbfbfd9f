#include "store/internal/rocksdb_status.h"

#include <string>

namespace chiso::store_internal {

bool IsLockHeld(const rocksdb::Status& status) {
  if (!status.IsIOError()) return false;
  const std::string text = status.ToString();
  return text.find("/LOCK") != std::string::npos ||
         text.find("lock hold by current process") != std::string::npos;
}

bool IsNoSpace(const rocksdb::Status& status) {
  return status.IsNoSpace() ||
         status.ToString().find("No space left on device") != std::string::npos;
}

Status FromRocksDb(const rocksdb::Status& status, std::string_view context) {
  if (status.ok()) return Status::Ok();
  const std::string where(context);
  const std::string detail = status.ToString();
  if (IsNoSpace(status)) {
    return Status::ResourceExhausted(where + ": disk full (" + detail +
                                     "); free space, then retry");
  }
  if (IsLockHeld(status)) {
    return Status::FailedPrecondition(where +
                                      ": the data directory is already in use by another chiso "
                                      "process (or another store in this one): " +
                                      detail);
  }
  if (status.IsCorruption()) return Status::Corruption(where + ": " + detail);
  if (status.IsIOError() || status.IsBusy() || status.IsTryAgain() || status.IsTimedOut() ||
      status.IsIncomplete()) {
    return Status::Unavailable(where + ": " + detail);
  }
  if (status.IsInvalidArgument()) return Status::FailedPrecondition(where + ": " + detail);
  return Status::Internal(where + ": " + detail);
}

}  // namespace chiso::store_internal
