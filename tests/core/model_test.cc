#include <gtest/gtest.h>

#include "sync/clock.h"
#include "sync/plan.h"
#include "sync/roster.h"
#include "sync/user.h"

namespace rostersync {
namespace {

TEST(UserTest, HasRoleMatchesWholeWordsOnly) {
  User u;
  u.roles = "system_user system_admin";
  EXPECT_TRUE(u.HasRole("system_admin"));
  EXPECT_TRUE(u.HasRole("system_user"));
  EXPECT_FALSE(u.HasRole("system"));
  EXPECT_FALSE(u.HasRole("admin"));
}

TEST(UserTest, ActiveMeansDeleteAtZero) {
  User u;
  EXPECT_TRUE(u.active());
  u.delete_at = 1700000000000;
  EXPECT_FALSE(u.active());
}

TEST(UserPatchTest, EmptyOnlyWhenNothingIsSet) {
  UserPatch p;
  EXPECT_TRUE(p.empty());
  p.nickname = "";
  EXPECT_FALSE(p.empty()) << "an explicitly empty field is still a change to send";
}

TEST(PlanTest, CountsHeldAndActiveActions) {
  Plan plan;
  Action a;
  a.type = ActionType::kCreate;
  Action b;
  b.type = ActionType::kDeactivate;
  b.held = true;
  plan.actions = {a, b};
  EXPECT_EQ(plan.CountActive(), 1);
  EXPECT_EQ(plan.CountHeld(), 1);
  EXPECT_TRUE(plan.HasChanges());
}

TEST(PlanTest, ActionNamesAreTheAuditNamesOfTheSpec) {
  EXPECT_STREQ(ActionName(ActionType::kVerifyEmail), "verify_email");
  EXPECT_STREQ(ActionName(ActionType::kPasswordReset), "password_reset");
  EXPECT_STREQ(ActionName(ActionType::kGuest), "guest");
  EXPECT_STREQ(RoleName(Role::kAdmin), "system_admin");
}

TEST(ClockTest, FormatsUtcDates) {
  EXPECT_EQ(UtcDate(0), "1970-01-01");
  EXPECT_EQ(UtcTimestamp(1764421343000), "2025-11-29T13:02:23Z");
  FakeClock clock(1000);
  clock.Advance(500);
  EXPECT_EQ(clock.NowMs(), 1500);
}

}  // namespace
}  // namespace rostersync
