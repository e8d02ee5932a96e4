#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace rostersync {
namespace {

TEST(DurationTest, ParsesEachUnitToMilliseconds) {
  EXPECT_EQ(*ParseDuration("200ms"), 200);
  EXPECT_EQ(*ParseDuration("90s"), 90'000);
  EXPECT_EQ(*ParseDuration("15m"), 15 * 60'000);
  EXPECT_EQ(*ParseDuration("2h"), 2 * 3'600'000);
  EXPECT_EQ(*ParseDuration("3d"), 3 * 86'400'000LL);
  EXPECT_EQ(*ParseDuration("0"), 0);
}

TEST(DurationTest, ParsesCompoundDurations) {
  EXPECT_EQ(*ParseDuration("1h30m"), 90 * 60'000);
  EXPECT_EQ(*ParseDuration("1m500ms"), 60'500);
}

TEST(DurationTest, RejectsUnknownUnitAndSaysWhatIsAccepted) {
  Result<int64_t> r = ParseDuration("15x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid);
  EXPECT_NE(r.status().message().find("'15x'"), std::string::npos);
  EXPECT_NE(r.status().message().find("ms, s, m, h or d"), std::string::npos);
}

TEST(DurationTest, RejectsNumbersWithoutUnitsNegativesAndJunk) {
  for (const char* bad : {"", "15", "-5s", "s", "1.5h", " 5s", "5s ", "5 s", "m5", "0s0", "ms"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseDuration("0s").ok());
}

TEST(DurationTest, RejectsOverflowInsteadOfWrapping) {
  EXPECT_FALSE(ParseDuration("9999999999999999999d").ok());
  EXPECT_FALSE(ParseDuration("106751991168d").ok());  // > int64 ms
  EXPECT_FALSE(ParseDuration("9223372036854775807ms1ms").ok());
  EXPECT_TRUE(ParseDuration("106751991167d").ok());  // the largest whole number of days
}

TEST(DurationTest, FormatsWithTheLargestExactUnitAndRoundTrips) {
  EXPECT_EQ(FormatDuration(0), "0");
  EXPECT_EQ(FormatDuration(90'000), "90s");
  EXPECT_EQ(FormatDuration(15 * 60'000), "15m");
  EXPECT_EQ(FormatDuration(200), "200ms");
  for (int64_t ms : {1LL, 999LL, 60'000LL, 86'400'000LL, 90'061'001LL}) {
    EXPECT_EQ(*ParseDuration(FormatDuration(ms)), ms);
  }
}

}  // namespace
}  // namespace rostersync
