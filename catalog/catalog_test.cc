#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <cmath>

namespace chiso::catalog {
namespace {

TEST(Meets, HonoursEachOperator) {
  EXPECT_TRUE(Meets(70, Comparison::kGreaterEqual, 70));
  EXPECT_FALSE(Meets(70, Comparison::kGreater, 70));
  EXPECT_TRUE(Meets(0, Comparison::kLessEqual, 0));
  EXPECT_FALSE(Meets(0, Comparison::kLess, 0));
  EXPECT_TRUE(Meets(0.1 + 0.2, Comparison::kEqual, 0.3));
  EXPECT_FALSE(Meets(0.31, Comparison::kEqual, 0.3));
  EXPECT_FALSE(Meets(0.1 + 0.2, Comparison::kNotEqual, 0.3));
  EXPECT_TRUE(Meets(0.31, Comparison::kNotEqual, 0.3));
}

TEST(Meets, NaNMeetsOnlyNotEqual) {
  for (Comparison op : {Comparison::kGreaterEqual, Comparison::kGreater, Comparison::kLessEqual,
                        Comparison::kLess, Comparison::kEqual}) {
    EXPECT_FALSE(Meets(std::nan(""), op, 1)) << ComparisonSymbol(op);
  }
  EXPECT_TRUE(Meets(std::nan(""), Comparison::kNotEqual, 1));
}

TEST(Catalog, ProvinceOfWalksUpTheTree) {
  Catalog catalog;
  catalog.units = {{"hai_phong", "Thành phố Hải Phòng", Unit::Level::kProvince, "", {}, {}},
                   {"gia_loc", "Xã Gia Lộc", Unit::Level::kCommune, "hai_phong", {}, {}},
                   {"orphan", "Xã mồ côi", Unit::Level::kCommune, "", {}, {}}};
  catalog.BuildIndex();
  EXPECT_EQ(catalog.ProvinceOf("gia_loc"), "hai_phong");
  EXPECT_EQ(catalog.ProvinceOf("hai_phong"), "hai_phong");
  EXPECT_EQ(catalog.ProvinceOf("orphan"), "");
  EXPECT_EQ(catalog.ProvinceOf("unknown"), "");
}

}  // namespace
}  // namespace chiso::catalog
