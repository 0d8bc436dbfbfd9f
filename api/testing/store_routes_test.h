// A fixture for tests of the api/ routes that read the store: a Router over a fresh store in a
// temporary folder and the Gia Lộc test catalog (catalog/testing), with the tokens a test names.
// Test support only; the service never includes it.
#pragma once

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <vector>

#include "api/router.h"
#include "catalog/testing/test_catalog.h"
#include "store/store.h"
#include "store/testing/test_util.h"

namespace chiso::api::testing {

class StoreRoutesTest : public ::testing::Test {
 protected:
  // Opens the store and serves the test catalog to `tokens`.
  void OpenStore(std::vector<ingest::ApiToken> tokens) {
    store_ = std::move(Store::Open(chiso::testing::OptionsFor(dir_.path())).value());
    auto snapshot = std::make_shared<ServiceSnapshot>();
    snapshot->catalog = catalog::testing::GiaLocTestCatalog();  // hai_phong above gia_loc
    snapshot->tokens = std::make_shared<ingest::TokenTable>(std::move(tokens));
    snapshots_.Set(snapshot);
  }

  // GET `target` with the bearer token `token`.
  HttpResponse Get(const std::string& target, const std::string& token) {
    HttpRequest request;
    request.method = "GET";
    request.target = target;
    EXPECT_TRUE(ParseTarget(target, &request.path, &request.query).ok());
    request.authorization = "Bearer " + token;
    return router_.Handle(request);
  }

  chiso::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  SnapshotHolder snapshots_;
  prometheus::Registry registry_;
  Router router_{&snapshots_, &registry_, {}};
};

}  // namespace chiso::api::testing
