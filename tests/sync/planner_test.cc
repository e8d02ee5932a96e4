// PlannerTest: values in, plans out. Every action, identity case, policy switch and ordering.
#include "sync/planner.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::ApplyPlan;
using testing_util::HasNotice;
using testing_util::LedgerAfter;
using testing_util::kDay;
using testing_util::kNow;
using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::Types;
using testing_util::World;

TEST(PlannerTest, EmptyInputGivesEmptyPlan) {
  Plan plan = MakePlan(PlannerInput{}, PlannerOptions{});
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_FALSE(plan.HasChanges());
}

TEST(PlannerTest, CreatesUserMissingFromServerWithVerifyEmail) {
  World w;
  RosterEntry row = MakeRow("E1234", "jdoe", "Jane", "Doe");
  w.roster.entries = {row};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kCreate, ActionType::kVerifyEmail}));
  const Action& create = plan.actions[0];
  EXPECT_EQ(create.key, "E1234");
  EXPECT_EQ(create.new_user.username, "jdoe");
  EXPECT_EQ(create.new_user.email, "jdoe@example.com");
  EXPECT_EQ(create.new_user.last_name, "Doe");
  EXPECT_TRUE(create.new_user.password.empty());
  EXPECT_EQ(create.detail, "role=system_user");
  ASSERT_EQ(plan.ledger_after.count("E1234"), 1u);
  EXPECT_EQ(plan.ledger_after.at("E1234").user_id, "");
}

TEST(PlannerTest, CreatesSsoUserWithAuthDataAndNoOnboarding) {
  World w;
  RosterEntry row = MakeRow("E1", "jdoe");
  row.auth_service = "saml";
  row.auth_data = "jdoe@corp";
  w.roster.entries = {row};
  w.options.policy.send_password_reset = true;
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kCreate}));
  EXPECT_EQ(plan.actions[0].new_user.auth_service, "saml");
  EXPECT_EQ(plan.actions[0].new_user.auth_data, "jdoe@corp");
}

TEST(PlannerTest, SendsPasswordResetAfterCreateWhenAsked) {
  World w;
  w.roster.entries = {MakeRow("E1", "jdoe")};
  w.options.policy.send_password_reset = true;
  w.options.policy.verify_email = false;
  EXPECT_EQ(Types(w.Run()),
            (std::vector<ActionType>{ActionType::kCreate, ActionType::kPasswordReset}));
}

TEST(PlannerTest, UpdatesChangedFieldsOnly) {
  World w;
  User u = MakeUser("u1", "asmith", "Anna", "Smith");
  w.users = {u};
  w.Link("E2", u);
  w.roster.entries = {MakeRow("E2", "asmith", "Anna", "Smith-Jones")};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kUpdate}));
  const Action& a = plan.actions[0];
  EXPECT_EQ(a.user_id, "u1");
  UserPatch want;
  want.last_name = "Smith-Jones";
  EXPECT_EQ(a.patch, want);
  EXPECT_EQ(a.changes, (std::vector<FieldChange>{{"last_name", "Smith", "Smith-Jones"}}));
}

TEST(PlannerTest, EmailCaseDifferenceIsNotAChange) {
  World w;
  User u = MakeUser("u1", "asmith");
  w.users = {u};
  w.Link("E2", u);
  RosterEntry row = MakeRow("E2", "ASmith");
  row.email = "ASmith@Example.COM";
  w.roster.entries = {row};
  EXPECT_FALSE(w.Run().HasChanges());
}

TEST(PlannerTest, EmptyRosterCellLeavesFieldAlone) {
  World w;
  User u = MakeUser("u1", "asmith", "Anna", "Smith");
  u.nickname = "annie";
  w.users = {u};
  w.Link("E2", u);
  w.roster.entries = {MakeRow("E2", "asmith", "Anna", "Smith")};  // nickname empty
  EXPECT_FALSE(w.Run().HasChanges());
}

TEST(PlannerTest, FieldsOutsideUpdateListOrUnmappedAreNotUpdated) {
  World w;
  User u = MakeUser("u1", "asmith", "Anna", "Smith");
  w.users = {u};
  w.Link("E2", u);
  w.roster.entries = {MakeRow("E2", "asmith", "Annabel", "Smythe")};
  w.options.update_fields = {"first_name"};
  Plan plan = w.Run();
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_FALSE(plan.actions[0].patch.last_name.has_value());
  w.options.update_fields = {"first_name", "last_name"};
  w.options.mapped_fields = {"username", "email", "last_name"};
  plan = w.Run();
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_FALSE(plan.actions[0].patch.first_name.has_value());
  EXPECT_EQ(plan.actions[0].patch.last_name, std::optional<std::string>("Smythe"));
}

TEST(PlannerTest, ChangedEmailAndUsernameOfKnownKeyIsAnUpdate) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.Link("E1", u);
  w.roster.entries = {MakeRow("E1", "jsmith")};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kUpdate, ActionType::kVerifyEmail}));
  EXPECT_EQ(plan.actions[0].patch.username, std::optional<std::string>("jsmith"));
  EXPECT_EQ(plan.actions[0].patch.email, std::optional<std::string>("jsmith@example.com"));
  EXPECT_EQ(plan.actions[0].username, "jsmith");
}

TEST(PlannerTest, DoesNotTakeAnEmailAnotherAccountUses) {
  World w;
  User a = MakeUser("u1", "jdoe");
  User b = MakeUser("u2", "jsmith");
  w.users = {a, b};
  w.Link("E1", a);
  w.roster.entries = {MakeRow("E1", "jsmith")};
  Plan plan = w.Run();
  EXPECT_FALSE(plan.HasChanges());
  EXPECT_TRUE(HasNotice(plan, "already uses it"));
}

TEST(PlannerTest, DeactivatesUserMissingFromRoster) {
  World w;
  for (int i = 0; i < 30; ++i) {
    User u = MakeUser("u" + std::to_string(i), "user" + std::to_string(i));
    w.users.push_back(u);
    w.Link("K" + std::to_string(100 + i), u);
    if (i != 7) w.roster.entries.push_back(MakeRow("K" + std::to_string(100 + i), u.username));
  }
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kDeactivate}));
  EXPECT_EQ(plan.actions[0].key, "K107");
  EXPECT_EQ(plan.actions[0].user_id, "u7");
  EXPECT_EQ(plan.actions[0].detail, "absent from roster since 2026-11-29");
  EXPECT_FALSE(plan.actions[0].held);
  EXPECT_EQ(plan.ledger_after.at("K107").absent_cycles, 1);
  EXPECT_EQ(plan.ledger_after.at("K107").absent_since_ms, kNow);
  EXPECT_EQ(plan.managed_users, 30);
}

TEST(PlannerTest, DeactivatesInactiveRowAndEndedContract) {
  World w;
  User a = MakeUser("u1", "a");
  User b = MakeUser("u2", "b");
  w.users = {a, b};
  w.Link("E1", a);
  w.Link("E2", b);
  w.options.policy.max_deactivations.value = 100;
  RosterEntry ra = MakeRow("E1", "a");
  ra.active = false;
  RosterEntry rb = MakeRow("E2", "b");
  rb.end_date = "2026-11-29";
  w.roster.entries = {ra, rb};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan),
            (std::vector<ActionType>{ActionType::kDeactivate, ActionType::kDeactivate}));
  EXPECT_EQ(plan.actions[0].detail, "inactive in roster");
  EXPECT_EQ(plan.actions[1].detail, "end_date 2026-11-29 reached");
  rb.end_date = "2026-11-30";
  w.roster.entries = {ra, rb};
  EXPECT_EQ(w.Run().actions.size(), 1u);
}

TEST(PlannerTest, DoesNotCreateBeforeStartDate) {
  World w;
  RosterEntry row = MakeRow("E1", "jdoe");
  row.start_date = "2026-12-01";
  w.roster.entries = {row};
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "starts 2026-12-01"));
  w.now = kNow + 2 * kDay;
  EXPECT_EQ(w.Run().actions.size(), 2u);
}

TEST(PlannerTest, GraceDelaysDeactivationByCycles) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.Link("E1", u);
  w.options.policy.deactivate_after_cycles = 2;
  w.options.policy.max_deactivations.value = 100;
  for (int cycle = 1; cycle <= 2; ++cycle) {
    Plan plan = w.Run();
    EXPECT_TRUE(plan.actions.empty()) << "cycle " << cycle;
    EXPECT_EQ(plan.ledger_after.at("E1").absent_cycles, cycle);
    w.ledger = LedgerAfter(w.ledger, plan);
    w.now += kDay;
  }
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kDeactivate}));
  EXPECT_EQ(plan.actions[0].detail, "absent from roster since 2026-11-29");
}

TEST(PlannerTest, GraceByDurationCountsFromFirstAbsence) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.Link("E1", u);
  w.options.policy.deactivate_after_ms = 3 * kDay;
  w.options.policy.max_deactivations.value = 100;
  Plan first = w.Run();
  EXPECT_TRUE(first.actions.empty());
  w.ledger = LedgerAfter(w.ledger, first);
  w.now += 2 * kDay;
  EXPECT_TRUE(w.Run().actions.empty());
  w.now += kDay;
  EXPECT_EQ(Types(w.Run()), (std::vector<ActionType>{ActionType::kDeactivate}));
}

TEST(PlannerTest, ReturningPersonResetsAbsence) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.Link("E1", u);
  w.ledger["E1"].absent_cycles = 2;
  w.ledger["E1"].absent_since_ms = kNow - kDay;
  w.roster.entries = {MakeRow("E1", "jdoe")};
  Plan plan = w.Run();
  EXPECT_EQ(plan.ledger_after.at("E1").absent_cycles, 0);
  EXPECT_EQ(plan.ledger_after.at("E1").absent_since_ms, 0);
}

TEST(PlannerTest, ReactivatesUserRostersyncDeactivated) {
  World w;
  User u = MakeUser("u1", "ckent");
  u.delete_at = kNow - kDay;
  w.users = {u};
  w.Link("E7", u);
  w.ledger["E7"].set_values["active"] = "false";
  w.roster.entries = {MakeRow("E7", "ckent")};
  w.options.mapped_fields = {"username", "email"};  // "active" not mapped
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kReactivate}));
  EXPECT_EQ(plan.actions[0].user_id, "u1");
}

TEST(PlannerTest, LeavesManuallyDeactivatedUserWhenActiveIsUnmapped) {
  World w;
  User u = MakeUser("u1", "ckent");
  u.delete_at = kNow - kDay;
  w.users = {u};
  w.Link("E7", u);
  w.roster.entries = {MakeRow("E7", "ckent")};
  w.options.mapped_fields = {"username", "email"};
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "deactivated outside rostersync"));
  w.options.mapped_fields = {"username", "email", "active"};  // the roster demands it
  EXPECT_EQ(Types(w.Run()), (std::vector<ActionType>{ActionType::kReactivate}));
}

TEST(PlannerTest, AdoptsExistingAccountByEmail) {
  World w;
  User u = MakeUser("u1", "jdoe");
  u.email = "Jane.Doe@Example.com";
  w.users = {u};
  RosterEntry row = MakeRow("E1", "jdoe");
  row.email = "jane.doe@example.com";
  w.roster.entries = {row};
  w.options.policy.verify_email = false;
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  ASSERT_EQ(plan.ledger_after.count("E1"), 1u);
  EXPECT_EQ(plan.ledger_after.at("E1").user_id, "u1");
  EXPECT_TRUE(HasNotice(plan, "adopts existing account jdoe"));
}

// A username-only match whose email differs may be two people (issue: a new hire adopted a
// consultant's account and rewrote its email): held as ambiguous, nothing is patched.
TEST(PlannerTest, UsernameMatchWithAConflictingEmailIsHeldNotAdopted) {
  World w;
  User u = MakeUser("u1", "jdoe");
  u.email = "old@example.com";
  w.users = {u};
  w.roster.entries = {MakeRow("E1", "jdoe")};
  w.options.policy.verify_email = false;
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  for (const Action& a : plan.actions) EXPECT_NE(a.type, ActionType::kUpdate);
  EXPECT_TRUE(HasNotice(plan, "matches jdoe by username, but its email old@example.com differs"));
  EXPECT_EQ(plan.ledger_after.count("E1"), 0u);
}

TEST(PlannerTest, DoesNotAdoptWhenAdoptExistingIsOff) {
  World w;
  w.users = {MakeUser("u1", "jdoe")};
  w.roster.entries = {MakeRow("E1", "jdoe")};
  w.options.scope.adopt_existing = false;
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_EQ(plan.ledger_after.count("E1"), 0u);
  EXPECT_TRUE(HasNotice(plan, "adopt_existing=false"));
}

TEST(PlannerTest, RematchesWhenLedgerUserNoLongerExists) {
  World w;
  w.ledger["E1"].key = "E1";
  w.ledger["E1"].user_id = "gone";
  w.roster.entries = {MakeRow("E1", "jdoe")};
  Plan plan = w.Run();
  EXPECT_TRUE(HasNotice(plan, "no longer exists"));
  ASSERT_FALSE(plan.actions.empty());
  EXPECT_EQ(plan.actions[0].type, ActionType::kCreate);
  EXPECT_EQ(plan.ledger_after.at("E1").user_id, "");
}

TEST(PlannerTest, NeverTouchesProtectedAccounts) {
  World w;
  User bot = MakeUser("b1", "bot");
  bot.is_bot = true;
  User admin = MakeUser("a1", "admin");
  User self = MakeUser("self", "sync");
  User gitlab = MakeUser("g1", "gl");
  gitlab.auth_service = "gitlab";
  User sysadmin = MakeUser("s1", "root");
  sysadmin.roles = "system_user system_admin";
  w.users = {bot, admin, self, gitlab, sysadmin};
  int n = 0;
  for (const User& u : w.users) {
    std::string key = "E" + std::to_string(n++);
    w.Link(key, u);  // even a ledger that knows them does not make them managed
    RosterEntry row = MakeRow(key, u.username, "New", "Name");
    row.active = false;
    w.roster.entries.push_back(row);
  }
  w.roster.entries.push_back(MakeRow("E9", "admin"));  // an unknown key matching admin
  w.options.policy.max_deactivations.value = 100;
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "E9 matches protected user admin; left alone"));
  EXPECT_TRUE(HasNotice(plan, "bot bot"));
  EXPECT_TRUE(HasNotice(plan, "the token's own user"));
  EXPECT_TRUE(HasNotice(plan, "gitlab user gl"));
  EXPECT_TRUE(HasNotice(plan, "system admin root"));
  w.roster.entries.clear();  // absent: still never deactivated
  EXPECT_TRUE(w.Run().actions.empty());
}

}  // namespace
}  // namespace rostersync
