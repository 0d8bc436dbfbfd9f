// State key spaces (store/state_batch.h) in the state column family.
#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"
#include "store/internal/store_impl.h"

namespace chiso::store_internal {
namespace {

Status ValidateStateKey(std::string_view space, std::string_view key) {
  if (space.empty() || space.size() > kMaxStateSpaceBytes) {
    return Status::InvalidArgument("state space name must be 1.." +
                                   std::to_string(kMaxStateSpaceBytes) + " bytes long");
  }
  if (key.size() > kMaxStateKeyBytes) {
    return Status::InvalidArgument("state key in space \"" + std::string(space) +
                                   "\" is longer than " + std::to_string(kMaxStateKeyBytes) +
                                   " bytes");
  }
  return Status::Ok();
}

}  // namespace

Status StoreImpl::AddStateMutations(const StateBatch& batch, rocksdb::WriteBatch& updates) {
  rocksdb::ColumnFamilyHandle* family = database_->family(Space::kState);
  for (const StateBatch::Mutation& mutation : batch.mutations()) {
    if (Status s = ValidateStateKey(mutation.space, mutation.key); !s.ok()) return s;
    const std::string key = StateKey(mutation.space, mutation.key);
    const rocksdb::Status added =
        mutation.value ? updates.Put(family, key, *mutation.value) : updates.Delete(family, key);
    if (!added.ok()) return FromRocksDb(added, "preparing a state update");
  }
  return Status::Ok();
}

Status StoreImpl::WriteState(const StateBatch& batch) {
  rocksdb::WriteBatch updates;
  if (Status s = AddStateMutations(batch, updates); !s.ok()) return s;
  MutexLock write_lock(&write_mu_);
  if (Status s = ResumeAfterWriteError(); !s.ok()) return s;
  const Result<std::uint64_t> ticket = CommitUnsynced(updates, {});
  write_lock.Unlock();
  return AwaitDurable(ticket);
}

Result<std::optional<std::string>> StoreImpl::GetState(std::string_view space,
                                                       std::string_view key) const {
  if (Status s = ValidateStateKey(space, key); !s.ok()) return s;
  std::string value;
  const rocksdb::Status got = database_->db().Get(
      rocksdb::ReadOptions(), database_->family(Space::kState), StateKey(space, key), &value);
  if (got.IsNotFound()) return std::optional<std::string>();
  if (!got.ok()) return FromRocksDb(got, "reading state");
  return std::optional<std::string>(std::move(value));
}

Result<std::vector<StateEntry>> StoreImpl::ScanState(std::string_view space,
                                                     std::string_view prefix) const {
  if (Status s = ValidateStateKey(space, prefix); !s.ok()) return s;
  const std::string start = StateKey(space, prefix);
  const std::size_t key_offset = 1 + space.size();
  std::unique_ptr<rocksdb::Iterator> it(
      database_->db().NewIterator(rocksdb::ReadOptions(), database_->family(Space::kState)));
  std::vector<StateEntry> entries;
  for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
    entries.push_back({std::string(it->key().data() + key_offset, it->key().size() - key_offset),
                       it->value().ToString()});
  }
  if (!it->status().ok()) return FromRocksDb(it->status(), "scanning state");
  return entries;
}

}  // namespace chiso::store_internal
