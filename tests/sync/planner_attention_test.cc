// PlannerAttentionTest: loud leavers, accounts deactivated outside rostersync, and
// policy.unmatched_accounts (leave | report | deactivate).
#include <gtest/gtest.h>

#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::World;

const Action* Find(const Plan& plan, const std::string& key, ActionType type) {
  for (const Action& a : plan.actions) {
    if (a.key == key && a.type == type) return &a;
  }
  return nullptr;
}

World WithAdminLeaver() {
  World w;
  User admin = MakeUser("u1", "morgan.reyes");
  admin.roles = "system_user system_admin";
  User staff = MakeUser("u2", "sam");
  w.users = {admin, staff};
  w.Link("E042", admin);
  w.Link("E043", staff);
  w.roster.entries = {MakeRow("E043", "sam")};
  return w;
}

TEST(PlannerAttentionTest, AbsentSystemAdminIsALoudLeaver) {
  World w = WithAdminLeaver();
  Plan plan = w.Run();
  EXPECT_EQ(Find(plan, "E042", ActionType::kDeactivate), nullptr);
  ASSERT_EQ(plan.attention.size(), 1u);
  EXPECT_EQ(plan.attention[0].key, "E042");
  EXPECT_EQ(plan.attention[0].username, "morgan.reyes");
  EXPECT_EQ(plan.attention[0].message,
            "E042 morgan.reyes is a leaver but holds system_admin: deactivate by hand");
  // It repeats: the next cycle, with the same input, says it again.
  EXPECT_EQ(w.Run().attention.size(), 1u);
  // Allowed to manage admins: an ordinary deactivation, no attention.
  w.options.scope.manage_system_admins = true;
  w.options.policy.max_deactivations = Threshold{false, 10};
  Plan managed = w.Run();
  EXPECT_TRUE(managed.attention.empty());
  EXPECT_NE(Find(managed, "E042", ActionType::kDeactivate), nullptr);
}

TEST(PlannerAttentionTest, InactiveRowOfAProtectedOrOutOfScopeUserIsALoudLeaver) {
  World w;
  User admin = MakeUser("u1", "admin");
  User ldap = MakeUser("u2", "lee");
  ldap.auth_service = "ldap";
  w.users = {admin, ldap};
  w.Link("E1", admin);
  w.Link("E2", ldap);
  RosterEntry a = MakeRow("E1", "admin");
  a.active = false;
  RosterEntry b = MakeRow("E2", "lee");
  b.active = false;
  w.roster.entries = {a, b};
  w.options.scope.auth_services = {""};
  Plan plan = w.Run();
  ASSERT_EQ(plan.attention.size(), 2u);
  EXPECT_EQ(plan.attention[0].message,
            "E1 admin is a leaver but is a protected user (scope.protected_users): deactivate by "
            "hand");
  EXPECT_EQ(plan.attention[1].message,
            "E2 lee is a leaver but signs in with ldap, outside scope.auth_services: deactivate "
            "by hand");
}

TEST(PlannerAttentionTest, AnAdminNamedInARejectedRowIsNotCalledALeaver) {
  World w = WithAdminLeaver();
  w.roster.rejected = {RowError{"roster.csv:3", "", "employee_id", "empty key"}};
  w.roster.rejected_emails = {"morgan.reyes@example.com"};
  EXPECT_TRUE(w.Run().attention.empty());
}

TEST(PlannerAttentionTest, AnAlreadyInactiveLeaverNeedsNoAttention) {
  World w = WithAdminLeaver();
  w.users[0].delete_at = 1;
  EXPECT_TRUE(w.Run().attention.empty());
  w = WithAdminLeaver();
  w.options.policy.deactivate = DeactivateMode::kOff;
  EXPECT_TRUE(w.Run().attention.empty());
}

// Incident response: someone deactivated the account by hand. The ledger says rostersync last
// set active=true and the roster still says active: not reactivated without --force.
TEST(PlannerAttentionTest, DeactivatedOutsideRostersyncIsNotReactivatedSilently) {
  World w;
  User u = MakeUser("u1", "jdoe");
  u.delete_at = testing_util::kNow - 1000;
  w.users = {u};
  w.Link("E1", u);  // set_values active=true
  RosterEntry row = MakeRow("E1", "jdoe");
  row.position = "Engineer";
  w.roster.entries = {row};
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  const Action* re = Find(plan, "E1", ActionType::kReactivate);
  ASSERT_NE(re, nullptr);
  EXPECT_TRUE(re->held);
  ASSERT_EQ(plan.attention.size(), 1u);
  EXPECT_EQ(plan.attention[0].message,
            "E1 jdoe was deactivated outside rostersync; reactivate with sync --force");
  w.options.force = true;
  Plan forced = w.Run();
  EXPECT_TRUE(forced.attention.empty());
  ASSERT_NE(Find(forced, "E1", ActionType::kReactivate), nullptr);
  EXPECT_FALSE(Find(forced, "E1", ActionType::kReactivate)->held);
}

// An adopted account (matched by email on the first sync: its ledger entry records no
// "active") that an admin deactivated by hand is not reactivated silently either.
TEST(PlannerAttentionTest, AdoptedAccountDeactivatedByHandIsNotReactivatedSilently) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.roster.entries = {MakeRow("E1", "jdoe")};
  Plan first = w.Run();  // adopts
  ASSERT_EQ(first.ledger_after.count("E1"), 1u);
  w.ledger = testing_util::LedgerAfter(w.ledger, first);
  ASSERT_EQ(w.ledger["E1"].set_values.count("active"), 0u);
  w.users[0].delete_at = testing_util::kNow - 1000;  // DELETE /users/u1 by an admin
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  const Action* re = Find(plan, "E1", ActionType::kReactivate);
  ASSERT_NE(re, nullptr);
  EXPECT_TRUE(re->held);
  ASSERT_EQ(plan.attention.size(), 1u);
  EXPECT_EQ(plan.attention[0].message,
            "E1 jdoe was deactivated outside rostersync; reactivate with sync --force");
  w.options.force = true;
  Plan forced = w.Run();
  EXPECT_TRUE(forced.attention.empty());
  ASSERT_NE(Find(forced, "E1", ActionType::kReactivate), nullptr);
  EXPECT_FALSE(Find(forced, "E1", ActionType::kReactivate)->held);
}

// A returner: the roster made the person inactive, rostersync deactivated them, the roster
// makes them active again: reactivated without attention.
TEST(PlannerAttentionTest, AdoptedReturnerIsReactivated) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  RosterEntry row = MakeRow("E1", "jdoe");
  row.active = false;
  w.roster.entries = {row};
  w.options.policy.max_deactivations = Threshold{false, 10};
  int next_id = 1;
  for (int cycle = 0; cycle < 2; ++cycle) {  // adopt, then deactivate
    Plan plan = w.Run();
    w.ledger = testing_util::ApplyPlan(w.ledger, plan, &w.users, w.now, &next_id);
  }
  ASSERT_FALSE(w.users[0].active());
  w.roster.entries[0].active = true;
  Plan plan = w.Run();
  EXPECT_TRUE(plan.attention.empty());
  ASSERT_NE(Find(plan, "E1", ActionType::kReactivate), nullptr);
  EXPECT_FALSE(Find(plan, "E1", ActionType::kReactivate)->held);
}

TEST(PlannerAttentionTest, RostersyncsOwnDeactivationIsReactivated) {
  World w;
  User u = MakeUser("u1", "jdoe");
  u.delete_at = 1;
  w.users = {u};
  w.Link("E1", u);
  w.ledger["E1"].set_values["active"] = "false";
  w.roster.entries = {MakeRow("E1", "jdoe")};
  Plan plan = w.Run();
  EXPECT_TRUE(plan.attention.empty());
  ASSERT_NE(Find(plan, "E1", ActionType::kReactivate), nullptr);
  EXPECT_FALSE(Find(plan, "E1", ActionType::kReactivate)->held);
}

// 20 managed people plus accounts from before rostersync.
World FirstRollout() {
  World w;
  for (int i = 0; i < 20; ++i) {
    User u = MakeUser("m" + std::to_string(i), "member" + std::to_string(i));
    w.users.push_back(u);
    w.roster.entries.push_back(MakeRow("K" + std::to_string(i), u.username));
  }
  w.users.push_back(MakeUser("x1", "ex.employee"));
  w.users.push_back(MakeUser("x2", "another.ex"));
  User bot = MakeUser("b1", "ci-bot");
  bot.is_bot = true;
  User admin = MakeUser("a1", "it.admin");
  admin.roles = "system_user system_admin";
  User ldap = MakeUser("l1", "ldap.only");
  ldap.auth_service = "ldap";
  User self = MakeUser("self", "rostersync");
  User gone = MakeUser("g1", "gone");
  gone.delete_at = 5;
  for (const User& u : {bot, admin, ldap, self, gone, MakeUser("p1", "admin")}) w.users.push_back(u);
  w.options.scope.auth_services = {""};
  return w;
}

TEST(PlannerAttentionTest, UnmatchedAccountsAreReportedByDefault) {
  World w = FirstRollout();
  Plan plan = w.Run();
  ASSERT_EQ(plan.unmatched.size(), 2u);
  EXPECT_EQ(plan.unmatched[0].username, "another.ex");
  EXPECT_EQ(plan.unmatched[1].username, "ex.employee");
  for (const Action& a : plan.actions) EXPECT_NE(a.type, ActionType::kDeactivate);
  w.options.policy.unmatched_accounts = UnmatchedMode::kLeave;
  EXPECT_TRUE(w.Run().unmatched.empty());
}

TEST(PlannerAttentionTest, UnmatchedAccountsAreDeactivatedWithinMaxDeactivations) {
  World w = FirstRollout();
  w.options.policy.unmatched_accounts = UnmatchedMode::kDeactivate;
  w.options.policy.max_deactivations = Threshold{false, 2};
  Plan plan = w.Run();
  int deactivations = 0;
  for (const Action& a : plan.actions) {
    if (a.type != ActionType::kDeactivate) continue;
    ++deactivations;
    EXPECT_TRUE(a.user_id == "x1" || a.user_id == "x2") << a.user_id;
    EXPECT_FALSE(a.held);
  }
  EXPECT_EQ(deactivations, 2);
  w.options.policy.max_deactivations = Threshold{false, 1};
  Plan held = w.Run();
  EXPECT_EQ(held.CountHeld(), 2);
  EXPECT_EQ(held.holds.back().guard, "max_deactivations");
  // Single-person plans never look at unmatched accounts.
  EXPECT_TRUE(MakePlanForKey(w.Input(), w.options, "K1").unmatched.empty());
}

// jane.doe@old-domain is not in the roster, but "Jane Doe" is (under a new email): deactivating
// the old account while creating a new one would be a rename done as create + deactivate.
TEST(PlannerAttentionTest, UnmatchedAccountNamedLikeARosterRowIsHeldAsARename) {
  World w = FirstRollout();
  w.options.policy.unmatched_accounts = UnmatchedMode::kDeactivate;
  w.options.policy.max_deactivations = Threshold{false, 10};
  w.users.push_back(MakeUser("j1", "jdoe", "Jane", "Doe"));
  w.roster.entries.push_back(MakeRow("K99", "jane.doe", "Jane", "Doe"));
  Plan plan = w.Run();
  const Action* old_account = Find(plan, "unmatched:j1", ActionType::kDeactivate);
  ASSERT_NE(old_account, nullptr);
  EXPECT_TRUE(old_account->held);
  EXPECT_EQ(old_account->held_reason.rfind("suspected_rename: ", 0), 0u);
  EXPECT_FALSE(Find(plan, "unmatched:x1", ActionType::kDeactivate)->held);
}

}  // namespace
}  // namespace rostersync
