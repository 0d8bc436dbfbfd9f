// POST /api/v1/admin/backup (role admin): a consistent copy of the store, made while chiso runs,
// in a new folder under `backup_dir` named by the UTC time of the request (20261130T021753Z).
// Answers {"status":"ok","path":"<folder>"}; a store error maps to its HTTP answer. The reload
// endpoint is the router's own (RouterHooks::reload).
#pragma once

#include <string>

#include "api/router.h"
#include "common/clock.h"

namespace chiso {
class Store;
}

namespace chiso::api {

// `store` and `clock` must outlive `router`.
void AddAdminRoutes(Router& router, const Store& store, std::string backup_dir, const Clock& clock);

}  // namespace chiso::api
