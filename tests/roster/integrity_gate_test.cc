#include <gtest/gtest.h>

#include "roster/roster_loader.h"
#include "roster_test_util.h"

namespace rostersync {
namespace {

using testing::kHeader;
using testing::MapCsv;

std::string Rows(int from, int to) {
  std::string csv = kHeader;
  for (int i = from; i < to; ++i) {
    const std::string n = std::to_string(i);
    csv += "E" + n + ",First" + n + ",Last" + n + ",p" + n + "@example.com,staff,active\n";
  }
  return csv;
}

TEST(IntegrityGateTest, TrustsAHealthyRosterAndFillsTheFingerprint) {
  Roster r = MapCsv(Rows(0, 100));
  RosterConfig config;
  ApplyIntegrityGate(&r, config, Threshold{}, RosterFingerprint{"x", 100, 1}, 0, 0);
  EXPECT_TRUE(r.trusted);
  EXPECT_EQ(r.fingerprint.size(), 16u);
  EXPECT_EQ(AcceptedFingerprint(r, 42).rows, 100);
}

TEST(IntegrityGateTest, HoldsWhenFewerThanMinRows) {
  Roster r = MapCsv(Rows(0, 3));
  RosterConfig config;
  config.min_rows = 50;
  ApplyIntegrityGate(&r, config, Threshold{}, std::nullopt, 0, 0);
  EXPECT_FALSE(r.trusted);
  ASSERT_EQ(r.untrusted_reasons.size(), 1u);
  EXPECT_EQ(r.untrusted_reasons[0],
            "roster has 3 valid rows, fewer than roster.min_rows=50: deactivations held");
}

TEST(IntegrityGateTest, HoldsAHalfShrunkExportByPercent) {
  Roster r = MapCsv(Rows(0, 50));
  RosterConfig config;
  ApplyIntegrityGate(&r, config, Threshold{true, 5}, RosterFingerprint{"x", 100, 1}, 0, 0);
  EXPECT_FALSE(r.trusted);
  ASSERT_EQ(r.untrusted_reasons.size(), 1u);
  EXPECT_NE(r.untrusted_reasons[0].find("50 fewer (50.0%)"), std::string::npos);
  EXPECT_NE(r.untrusted_reasons[0].find("policy.max_deactivations=5%"), std::string::npos);
}

TEST(IntegrityGateTest, AllowsShrinkWithinACountThreshold) {
  Roster r = MapCsv(Rows(0, 95));
  RosterConfig config;
  ApplyIntegrityGate(&r, config, Threshold{false, 5}, RosterFingerprint{"x", 100, 1}, 0, 0);
  EXPECT_TRUE(r.trusted);
  Roster s = MapCsv(Rows(0, 94));
  ApplyIntegrityGate(&s, config, Threshold{false, 5}, RosterFingerprint{"x", 100, 1}, 0, 0);
  EXPECT_FALSE(s.trusted);
}

TEST(IntegrityGateTest, HoldsAStaleFile) {
  Roster r = MapCsv(Rows(0, 10));
  RosterConfig config;
  config.max_age_ms = 24 * 3600 * 1000LL;
  const int64_t now = 1'700'000'000'000;
  ApplyIntegrityGate(&r, config, Threshold{}, std::nullopt, now - 50 * 3600 * 1000LL, now);
  EXPECT_FALSE(r.trusted);
  ASSERT_EQ(r.untrusted_reasons.size(), 1u);
  EXPECT_NE(r.untrusted_reasons[0].find("2d 2h ago"), std::string::npos);
  Roster fresh = MapCsv(Rows(0, 10));
  ApplyIntegrityGate(&fresh, config, Threshold{}, std::nullopt, now - 3600 * 1000LL, now);
  EXPECT_TRUE(fresh.trusted);
}

TEST(IntegrityGateTest, NeverTrustsARosterThatMappingDistrusted) {
  Roster r = MapCsv("employee_id,email\nE1,a@example.com\n");
  RosterConfig config;
  ApplyIntegrityGate(&r, config, Threshold{}, std::nullopt, 0, 0);
  EXPECT_FALSE(r.trusted);
}

TEST(IntegrityGateTest, FingerprintIgnoresRowOrderButNotContent) {
  Roster a = MapCsv(Rows(0, 3));
  Roster b = MapCsv(std::string(kHeader) + "E2,First2,Last2,p2@example.com,staff,active\n"
                    "E0,First0,Last0,p0@example.com,staff,active\n"
                    "E1,First1,Last1,p1@example.com,staff,active\n");
  Roster c = MapCsv(std::string(kHeader) + "E2,First2,Last2,p2@example.com,staff,terminated\n"
                    "E0,First0,Last0,p0@example.com,staff,active\n"
                    "E1,First1,Last1,p1@example.com,staff,active\n");
  EXPECT_EQ(RosterDigest(a), RosterDigest(b));
  EXPECT_NE(RosterDigest(a), RosterDigest(c));
}

}  // namespace
}  // namespace rostersync
