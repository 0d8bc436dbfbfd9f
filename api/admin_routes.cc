#include "api/admin_routes.h"

#include <boost/json.hpp>
#include <ctime>
#include <filesystem>

#include "store/store.h"

namespace chiso::api {
namespace {

// 20261130T021753Z: sortable, and a valid folder name everywhere.
std::string BackupName(TimestampMs now) {
  const std::time_t seconds = static_cast<std::time_t>(now / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char name[32];
  std::strftime(name, sizeof name, "%Y%m%dT%H%M%SZ", &utc);
  return name;
}

}  // namespace

void AddAdminRoutes(Router& router, const Store& store, std::string backup_dir,
                    const Clock& clock) {
  router.AddRoute(
      "POST", "/api/v1/admin/backup", ingest::Role::kAdmin,
      [&store, &clock, backup_dir](const RequestContext& context) {
        if (Status allowed = context.principal->MayActOnWholeService("backup"); !allowed.ok()) {
          return ErrorResponse(allowed);
        }
        const std::filesystem::path target =
            std::filesystem::path(backup_dir) / BackupName(clock.Now());
        if (Status done = store.Backup(target); !done.ok()) return ErrorResponse(done);
        return MakeResponse(200, "application/json",
                            boost::json::serialize(
                                boost::json::object{{"status", "ok"}, {"path", target.string()}}));
      });
}

}  // namespace chiso::api
