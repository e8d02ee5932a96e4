// daemon/internal_options.h: the environment overrides and their fallbacks.
#include "daemon/internal_options.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace rostersync::daemon {
namespace {

constexpr char kQuiet[] = "ROSTERSYNC_INTERNAL_ROSTER_QUIET_MS";

class InternalOptionsTest : public ::testing::Test {
 protected:
  void TearDown() override { unsetenv(kQuiet); }
};

TEST_F(InternalOptionsTest, RosterQuietTimeIsOneSecondUnlessSet) {
  unsetenv(kQuiet);
  EXPECT_EQ(RosterQuietMs(), 1000);
  setenv(kQuiet, "250", 1);
  EXPECT_EQ(RosterQuietMs(), 250);
}

TEST_F(InternalOptionsTest, ABadRosterQuietTimeFallsBackToTheDefault) {
  for (const char* bad : {"", "0", "-5", "25ms", "abc", "60001"}) {
    setenv(kQuiet, bad, 1);
    EXPECT_EQ(RosterQuietMs(), 1000) << "'" << bad << "'";
  }
}

}  // namespace
}  // namespace rostersync::daemon
