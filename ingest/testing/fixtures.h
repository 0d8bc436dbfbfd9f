// Test fixtures for ingest and the write endpoints: a small catalog and tokens.
#pragma once

#include <memory>

#include "catalog/catalog.h"
#include "ingest/auth.h"

namespace chiso::ingest::testing {

// Units gia_loc (Asia/Ho_Chi_Minh) and tay_giang, communes; province hai_phong, parent of gia_loc;
// indicators dvc_online_dossier_rate (percent,
// month), digital_initiatives (count, year), dvc_online_share (derived).
inline std::shared_ptr<const catalog::Catalog> SmallCatalog() {
  auto catalog = std::make_shared<catalog::Catalog>();
  catalog::Unit gia_loc;
  gia_loc.id = "gia_loc";
  gia_loc.name = "Xã Gia Lộc";
  catalog::Unit tay_giang = gia_loc;
  tay_giang.id = "tay_giang";
  tay_giang.name = "Xã Tây Giang";
  catalog::Unit hai_phong = gia_loc;
  hai_phong.id = "hai_phong";
  hai_phong.name = "Thành phố Hải Phòng";
  hai_phong.level = catalog::Unit::Level::kProvince;
  gia_loc.parent = hai_phong.id;
  catalog->units = {gia_loc, tay_giang, hai_phong};

  catalog::Indicator rate;
  rate.code = "dvc_online_dossier_rate";
  rate.name = "Tỷ lệ hồ sơ trực tuyến";
  rate.measure = catalog::Measure::kPercent;
  rate.period = PeriodKind::kMonth;
  catalog::Indicator initiatives;
  initiatives.code = "digital_initiatives";
  initiatives.measure = catalog::Measure::kCount;
  initiatives.period = PeriodKind::kYear;
  catalog::Indicator derived = rate;
  derived.code = "dvc_online_share";
  derived.kind = catalog::Indicator::Kind::kDerived;
  catalog->indicators = {rate, initiatives, derived};
  catalog->BuildIndex();
  return catalog;
}

// Tokens: "writer" (role write, every scope), "gia_loc_writer" (unit gia_loc, metric prefix
// dvc_), "reader" (role read), "province_writer" (unit hai_phong, indicator
// dvc_online_dossier_rate). The secret of each is its name.
inline std::vector<ApiToken> TestTokens() {
  ApiToken writer{"writer", Sha256Hex("writer"), Role::kWrite, {}};
  ApiToken scoped{"gia_loc_writer", Sha256Hex("gia_loc_writer"), Role::kWrite, {}};
  scoped.scopes.units = {"gia_loc"};
  scoped.scopes.metric_prefixes = {"dvc_"};
  ApiToken reader{"reader", Sha256Hex("reader"), Role::kRead, {}};
  ApiToken province{"province_writer", Sha256Hex("province_writer"), Role::kWrite, {}};
  province.scopes.units = {"hai_phong"};
  province.scopes.indicators = {"dvc_online_dossier_rate"};
  return {writer, scoped, reader, province};
}

}  // namespace chiso::ingest::testing
