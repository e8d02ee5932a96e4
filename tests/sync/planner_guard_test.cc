// PlannerGuardTest: ambiguous matches, suspected renames, untrusted rosters, max_deactivations,
// rejected rows, and what --force releases.
#include <gtest/gtest.h>

#include "sync/plan_printer.h"
#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::HasNotice;
using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::Types;
using testing_util::World;

// 50 managed people; the first `leavers` are absent from the roster.
World Office(int leavers) {
  World w;
  for (int i = 0; i < 50; ++i) {
    User u = MakeUser("u" + std::to_string(i), "user" + std::to_string(i), "F" + std::to_string(i),
                      "L" + std::to_string(i));
    w.users.push_back(u);
    std::string key = "K" + std::to_string(100 + i);
    w.Link(key, u);
    if (i >= leavers) w.roster.entries.push_back(MakeRow(key, u.username, u.first_name, u.last_name));
  }
  return w;
}

TEST(PlannerGuardTest, HoldsAllDeactivationsAboveMaxPercent) {
  World w = Office(13);
  Plan plan = w.Run();
  ASSERT_EQ(plan.actions.size(), 13u);
  EXPECT_EQ(plan.CountHeld(), 13);
  EXPECT_FALSE(plan.HasChanges());
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "max_deactivations");
  EXPECT_EQ(plan.holds[0].count, 13);
  EXPECT_EQ(plan.holds[0].message,
            "13 deactivations (26% of managed users) exceed policy.max_deactivations=5%");
  EXPECT_EQ(plan.actions[0].held_reason.rfind("max_deactivations: ", 0), 0u);
}

TEST(PlannerGuardTest, AllowsDeactivationsAtTheLimit) {
  World w = Office(2);  // 4% of 50
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 2);
  EXPECT_TRUE(plan.holds.empty());
}

TEST(PlannerGuardTest, CountThresholdHoldsAboveCount) {
  World w = Office(4);
  w.options.policy.max_deactivations = Threshold{false, 3};
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountHeld(), 4);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].message,
            "4 deactivations (8% of managed users) exceed policy.max_deactivations=3");
  w.options.policy.max_deactivations = Threshold{false, 4};
  EXPECT_EQ(w.Run().CountHeld(), 0);
}

TEST(PlannerGuardTest, ForceReleasesMaxDeactivations) {
  World w = Office(13);
  w.options.force = true;
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 13);
  EXPECT_TRUE(plan.holds.empty());
  EXPECT_TRUE(HasNotice(plan, "--force"));
}

TEST(PlannerGuardTest, UntrustedRosterHoldsDeactivationsButCreates) {
  World w = Office(1);
  w.roster.trusted = false;
  w.roster.untrusted_reasons = {"2 rows < roster.min_rows=100"};
  w.roster.entries.push_back(MakeRow("K999", "joiner"));
  Plan plan = w.Run();
  EXPECT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kDeactivate, ActionType::kCreate,
                                                  ActionType::kVerifyEmail}));
  EXPECT_TRUE(plan.actions[0].held);
  EXPECT_FALSE(plan.actions[1].held);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "untrusted_roster");
  EXPECT_NE(plan.holds[0].message.find("2 rows < roster.min_rows=100"), std::string::npos);
}

// Every row rejected (e.g. a renamed key column): the rejected people are protected, so no
// deactivation is planned, but the plan must still say it is held rather than "No changes.".
TEST(PlannerGuardTest, UntrustedRosterWithNothingToDeactivateStillCarriesAHold) {
  World w = Office(0);
  w.roster.trusted = false;
  w.roster.untrusted_reasons = {"50 of 50 rows rejected"};
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountHeld(), 0);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "untrusted_roster");
  EXPECT_EQ(plan.holds[0].count, 0);
  EXPECT_NE(plan.holds[0].message.find("50 of 50 rows rejected"), std::string::npos);
  std::string text = FormatPlanText(plan, false);
  EXPECT_NE(text.find("! held"), std::string::npos) << text;
  EXPECT_NE(text.find("roster not trusted"), std::string::npos) << text;
  EXPECT_EQ(text.find("No changes.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("a guard holds"), std::string::npos) << text;
}

TEST(PlannerGuardTest, ForceTurnsAnUntrustedRosterHoldIntoANotice) {
  World w = Office(0);
  w.roster.trusted = false;
  w.roster.untrusted_reasons = {"50 of 50 rows rejected"};
  w.options.force = true;
  Plan plan = w.Run();
  EXPECT_TRUE(plan.holds.empty());
  EXPECT_TRUE(HasNotice(plan, "--force: changes to existing accounts from an untrusted roster not held"));
}

TEST(PlannerGuardTest, RejectedRowIsNeverDeactivated) {
  World w = Office(1);
  w.roster.rejected_keys = {"K100"};
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "K100: its roster row was rejected; not deactivated"));
}

TEST(PlannerGuardTest, HoldsRowThatMatchesTwoAccountsEvenWithForce) {
  World w;
  User a = MakeUser("u1", "jdoe");
  User b = MakeUser("u2", "jdoe2");
  b.email = "jane@example.com";
  w.users = {a, b};
  RosterEntry row = MakeRow("E1", "jdoe");
  row.email = "jane@example.com";
  w.roster.entries = {row};
  w.options.force = true;
  Plan plan = w.Run();
  ASSERT_FALSE(plan.actions.empty());
  for (const Action& act : plan.actions) EXPECT_TRUE(act.held);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "ambiguous_match");
  EXPECT_EQ(plan.ledger_after.count("E1"), 0u);
  EXPECT_TRUE(HasNotice(plan, "ambiguous match"));
}

TEST(PlannerGuardTest, HoldsTwoRowsThatMatchOneAccount) {
  World w;
  w.users = {MakeUser("u1", "jdoe")};
  RosterEntry r1 = MakeRow("E1", "jdoe");
  RosterEntry r2 = MakeRow("E2", "other");
  r2.email = "JDOE@example.com";
  w.roster.entries = {r1, r2};
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  EXPECT_EQ(plan.ledger_after.count("E1"), 0u);
  EXPECT_EQ(plan.ledger_after.count("E2"), 0u);
  EXPECT_TRUE(HasNotice(plan, "rows E1, E2 all match account jdoe"));
}

TEST(PlannerGuardTest, RowMatchingAnAccountManagedByAnotherPresentKeyIsHeld) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.Link("E1", u);
  RosterEntry r2 = MakeRow("E2", "jdoe2");
  r2.email = u.email;
  w.roster.entries = {MakeRow("E1", "jdoe"), r2};
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  EXPECT_TRUE(HasNotice(plan, "which key E1 already manages"));
}

TEST(PlannerGuardTest, SuspectedRenameBySameEmailHoldsBoth) {
  World w = Office(0);
  User u = MakeUser("u99", "jdoe", "Jane", "Doe");
  w.users.push_back(u);
  w.Link("E0042", u);  // leaves...
  RosterEntry row = MakeRow("E1234", "jane.doe");  // ...while a new key with her email appears
  row.email = u.email;
  w.roster.entries.push_back(row);
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  std::vector<ActionType> types;
  for (const Action& a : plan.actions) {
    EXPECT_TRUE(a.held);
    types.push_back(a.type);
  }
  EXPECT_EQ(types, (std::vector<ActionType>{ActionType::kDeactivate, ActionType::kCreate,
                                            ActionType::kVerifyEmail}));
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "suspected_rename");
  EXPECT_NE(plan.holds[0].message.find("E0042 -> E1234 (same account)"), std::string::npos);
}

TEST(PlannerGuardTest, SuspectedRenameByFullNameHoldsBothAndForceReleases) {
  World w = Office(0);
  User u = MakeUser("u99", "jdoe", "Jane", "Doe");
  w.users.push_back(u);
  w.Link("E0042", u);
  w.roster.entries.push_back(MakeRow("E1234", "jane.smith", "Jane", "Doe"));
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  EXPECT_EQ(plan.CountHeld(), 3);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_NE(plan.holds[0].message.find("same full name"), std::string::npos);
  w.options.force = true;
  EXPECT_EQ(w.Run().CountActive(), 3);
}

TEST(PlannerGuardTest, ForKeyGuardsStillApply) {
  World w = Office(13);
  w.roster.trusted = false;
  Plan plan = MakePlanForKey(w.Input(), w.options, "K100");
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_TRUE(plan.actions[0].held);
  EXPECT_EQ(plan.holds[0].guard, "untrusted_roster");
}

}  // namespace
}  // namespace rostersync
