#include "store/internal/database.h"

#include <algorithm>
#include <string>
#include <system_error>

#include "store/internal/keys.h"
#include "store/internal/rocksdb_status.h"

namespace chiso::store_internal {
namespace {

Status CreateDirectory(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (!error) return Status::Ok();
  const std::string message =
      "cannot create data directory " + dir.string() + ": " + error.message();
  if (error == std::errc::no_space_on_device) return Status::ResourceExhausted(message);
  return Status::FailedPrecondition(message);
}

// An existing RocksDB directory must hold exactly chiso's column families (a store interrupted
// while being created may lack some; they are then created). Format chiso-store-2 had one more,
// "latest", since replaced by latest timestamps kept in memory.
Status CheckFamilies(const rocksdb::DBOptions& db_options, const std::filesystem::path& dir) {
  std::vector<std::string> existing;
  if (!rocksdb::DB::ListColumnFamilies(db_options, dir.string(), &existing).ok()) {
    return Status::Ok();  // no database yet
  }
  for (const std::string& name : existing) {
    bool known = false;
    for (int i = 0; i < kSpaceCount; ++i) known = known || name == SpaceName(Space(i));
    if (name == "latest") {
      return Status::FailedPrecondition(dir.string() +
                                        " holds store format \"chiso-store-2\" (it has a "
                                        "\"latest\" key space); this chiso reads \"" +
                                        std::string(kFormatVersion) + "\"");
    }
    if (!known) {
      return Status::FailedPrecondition(dir.string() +
                                        " is not a chiso store (unknown column "
                                        "family \"" +
                                        name + "\")");
    }
  }
  return Status::Ok();
}

bool UpgradableFormat(std::string_view format) {
  return format == kFormatWithoutHead || format == kFormatWithoutBlocks;
}

// A new store gets the format marker; an existing one must carry ours, or an earlier one whose
// missing key spaces were just created empty, which is then upgraded (read-only: accepted as it
// is). A store without marker is accepted only while it holds no series (creation was
// interrupted).
Status CheckFormat(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta,
                   rocksdb::ColumnFamilyHandle* series, const std::filesystem::path& dir,
                   bool read_only) {
  std::string format;
  const rocksdb::Status got = db.Get(rocksdb::ReadOptions(), meta, kFormatKey, &format);
  if (got.ok()) {
    if (format == kFormatVersion || (read_only && UpgradableFormat(format))) {
      return Status::Ok();
    }
    if (UpgradableFormat(format)) {
      rocksdb::WriteOptions sync;
      sync.sync = true;
      return FromRocksDb(db.Put(sync, meta, kFormatKey, kFormatVersion),
                         "upgrading the store format of " + dir.string());
    }
    return Status::FailedPrecondition(dir.string() + " holds store format \"" + format +
                                      "\"; this chiso reads \"" + std::string(kFormatVersion) +
                                      "\"");
  }
  if (!got.IsNotFound()) return FromRocksDb(got, "reading the format of " + dir.string());
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), series));
  it->SeekToFirst();
  if (it->Valid()) {
    return Status::Corruption(dir.string() + " holds series but no store format marker");
  }
  if (read_only) return Status::FailedPrecondition(dir.string() + " is not a chiso store");
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocksDb(db.Put(sync, meta, kFormatKey, kFormatVersion),
                     "initialising store in " + dir.string());
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const StoreOptions& options, rocksdb::Env* env) {
  if (options.data_dir.empty()) return Status::InvalidArgument("store data_dir is empty");
  if (Status s = CreateDirectory(options.data_dir); !s.ok()) return s;

  std::unique_ptr<Database> database(new Database());
  database->listener_ = std::make_shared<StoreEventListener>();
  const rocksdb::DBOptions db_options = MakeDbOptions(options, env, database->listener_);
  if (Status s = CheckFamilies(db_options, options.data_dir); !s.ok()) return s;

  const std::string context = "opening store " + options.data_dir.string();
  const rocksdb::Status opened =
      rocksdb::DB::Open(db_options, options.data_dir.string(), MakeColumnFamilies(options),
                        &database->handles_, &database->db_);
  if (!opened.ok()) return FromRocksDb(opened, context);
  if (Status s = CheckFormat(*database->db_, database->family(Space::kMeta),
                             database->family(Space::kSeries), options.data_dir, false);
      !s.ok()) {
    return s;
  }
  return database;
}

Status Database::CheckOpenable(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Status::NotFound("backup " + dir.string() + " does not exist");
  }
  const StoreOptions options;  // no data_dir: nothing, not even a LOG file, is written to `dir`
  rocksdb::DBOptions db_options = MakeDbOptions(options, nullptr, nullptr);
  db_options.create_if_missing = false;
  db_options.create_missing_column_families = false;
  // A backup of an earlier format lacks the newer key spaces; open the ones it has.
  std::vector<std::string> existing;
  const rocksdb::Status listed =
      rocksdb::DB::ListColumnFamilies(db_options, dir.string(), &existing);
  if (!listed.ok()) return FromRocksDb(listed, "checking backup " + dir.string());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (auto& family : MakeColumnFamilies(options)) {
    if (std::find(existing.begin(), existing.end(), family.name) != existing.end()) {
      families.push_back(std::move(family));
    }
  }
  if (families.size() < 2 || families[1].name != SpaceName(Space::kSeries)) {
    return Status::FailedPrecondition(dir.string() + " is not a chiso store");
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status opened =
      rocksdb::DB::OpenForReadOnly(db_options, dir.string(), families, &handles, &db);
  if (!opened.ok()) return FromRocksDb(opened, "checking backup " + dir.string());
  Status status = CheckFormat(*db, handles[static_cast<int>(Space::kMeta)],
                              handles[static_cast<int>(Space::kSeries)], dir, true);
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  delete db;
  return status;
}

Database::~Database() {
  if (db_ == nullptr) return;
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close().PermitUncheckedError();
  delete db_;
}

}  // namespace chiso::store_internal
