#include "rules/store_backed/state_codec.h"

#include <gtest/gtest.h>

namespace chiso::rules {
namespace {

TEST(AlertEncoding, RoundTrips) {
  Alert alert;
  alert.labels = {{"alertname", "A"}, {"unit", "gia_loc"}};
  alert.annotations = {{"summary", "Xã Gia Lộc = 57,3"}, {"description", "dòng 1\ndòng 2 \\ x"}};
  alert.state = AlertState::kFiring;
  alert.active_at = 1;
  alert.fired_at = 2;
  alert.last_active_at = 3;
  alert.kept_firing_since = 3;
  auto decoded = DecodeAlert(alert.Fingerprint(), EncodeAlert(alert));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, alert);
  EXPECT_EQ(DecodeAlert("k", "v1\nfiring\n").status().code(), StatusCode::kCorruption);
  EXPECT_FALSE(DecodeAlert("k", "v1\nodd\n1\n2\n3\n4\n0\n0\n").ok());
  EXPECT_FALSE(DecodeAlert("k", "v1\nfiring\n1\n2\n3\n4\n0\n0\n").ok());  // no alertname
  EXPECT_FALSE(DecodeAlert("k", "v2\nfiring\n1\n2\n3\n4\n0\n0\n").ok());  // no kept_firing_since
  EXPECT_FALSE(DecodeAlert("k", "v3\nfiring\n1\n2\n3\n4\n5\n0\n0\n").ok());
}

// What chiso wrote before kept_firing_since was persisted still reads, with kept_firing_since 0
// (a firing alert is taken to have held at its last write).
TEST(AlertEncoding, ReadsVersion1) {
  auto decoded = DecodeAlert("k",
                             "v1\nfiring\n100\n200\n300\n0\n"
                             "2\nalertname=A\nunit=gia_loc\n1\nsummary=x\\ny\n");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->state, AlertState::kFiring);
  EXPECT_EQ(decoded->active_at, 100);
  EXPECT_EQ(decoded->fired_at, 200);
  EXPECT_EQ(decoded->last_active_at, 300);
  EXPECT_EQ(decoded->resolved_at, 0);
  EXPECT_EQ(decoded->kept_firing_since, 0);
  EXPECT_EQ(decoded->labels,
            (std::map<std::string, std::string>{{"alertname", "A"}, {"unit", "gia_loc"}}));
  EXPECT_EQ(decoded->annotations.at("summary"), "x\ny");
  EXPECT_EQ(EncodeAlert(*decoded).substr(0, 3), "v2\n");
}

TEST(TaskProgressEncoding, RoundTripsAndRejectsGarbage) {
  TaskProgress record = {"gia_loc", "nd_01", "2025-Q3",    TaskState::kDone,
                         "xong",    "token", 1758772800000};
  record.note = "Đã triển khai\nxong đợt 1";
  auto decoded = DecodeTaskProgress(TaskProgressKey(record), EncodeTaskProgress(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, record);
  EXPECT_EQ(TaskProgressKey(record), "gia_loc/nd_01/2025-Q3");
  EXPECT_EQ(DecodeTaskProgress("gia_loc/nd_01/", "v2\ndone\n1\nx\n").status().code(),
            StatusCode::kCorruption);
  EXPECT_FALSE(DecodeTaskProgress("nokey", "v1\ndone\n1\nx\n").ok());
  EXPECT_FALSE(DecodeTaskProgress("a/b/", "v1\ndone\nabc\nx\n").ok());
}

}  // namespace
}  // namespace chiso::rules
