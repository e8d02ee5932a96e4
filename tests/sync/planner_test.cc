// PlannerTest: values in, plans out. Every action, identity case, policy switch and ordering.
#include "sync/planner.h"

#include <gtest/gtest.h>

#include <random>

#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::ApplyPlan;
using testing_util::HasNotice;
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
    w.ledger = plan.ledger_after;
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
  w.ledger = first.ledger_after;
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

TEST(PlannerTest, AdoptsByUsernameAndUpdatesTheEmail) {
  World w;
  User u = MakeUser("u1", "jdoe");
  u.email = "old@example.com";
  w.users = {u};
  w.roster.entries = {MakeRow("E1", "jdoe")};
  w.options.policy.verify_email = false;
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kUpdate}));
  EXPECT_EQ(plan.actions[0].patch.email, std::optional<std::string>("jdoe@example.com"));
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

TEST(PlannerTest, SystemAdminsAreManagedOnlyWhenAllowed) {
  World w;
  User u = MakeUser("u1", "dprince");
  u.roles = "system_user system_admin";
  w.users = {u};
  w.Link("E1", u);
  w.roster.entries = {MakeRow("E1", "dprince")};  // roster role: system_user
  EXPECT_TRUE(w.Run().actions.empty());
  w.options.scope.manage_system_admins = true;
  w.options.policy.roles = false;
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "holds system_admin that the roster does not give"));
  w.options.policy.roles = true;
  plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kRole}));
  EXPECT_EQ(plan.actions[0].roles, "system_user");
}

TEST(PlannerTest, GrantsSystemAdminKeepingOtherRoles) {
  World w;
  User u = MakeUser("u1", "dprince");
  u.roles = "system_user system_user_access_token";
  w.users = {u};
  w.Link("E1", u);
  RosterEntry row = MakeRow("E1", "dprince");
  row.role = Role::kAdmin;
  w.roster.entries = {row};
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "not granted"));
  w.options.scope.manage_system_admins = true;
  plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kRole}));
  EXPECT_EQ(plan.actions[0].roles, "system_user system_admin system_user_access_token");
  EXPECT_EQ(plan.actions[0].detail,
            "system_user system_user_access_token -> system_user system_admin "
            "system_user_access_token");
}

TEST(PlannerTest, DemotesToGuestAndPromotesGuest) {
  World w;
  User member = MakeUser("u1", "eparker");
  User guest = MakeUser("u2", "fguest");
  guest.roles = "system_guest";
  w.users = {member, guest};
  w.Link("E1", member);
  w.Link("E2", guest);
  RosterEntry r1 = MakeRow("E1", "eparker");
  r1.role = Role::kGuest;
  w.roster.entries = {r1, MakeRow("E2", "fguest")};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kGuest, ActionType::kPromote}));
  EXPECT_EQ(plan.actions[0].detail, "member -> guest");
  EXPECT_EQ(plan.actions[1].detail, "guest -> member");
  w.options.policy.guests = false;
  EXPECT_TRUE(w.Run().actions.empty());
}

TEST(PlannerTest, CreatesGuestThenDemotes) {
  World w;
  RosterEntry row = MakeRow("E1", "g");
  row.role = Role::kGuest;
  w.roster.entries = {row};
  EXPECT_EQ(Types(w.Run()), (std::vector<ActionType>{ActionType::kCreate, ActionType::kGuest,
                                                      ActionType::kVerifyEmail}));
}

TEST(PlannerTest, MigratesAuthMethodAndComparesAuthDataWithLedger) {
  World w;
  User u = MakeUser("u1", "fgordon");
  w.users = {u};
  w.Link("E1", u);
  RosterEntry row = MakeRow("E1", "fgordon");
  row.auth_service = "saml";
  row.auth_data = "fgordon@corp";
  w.roster.entries = {row};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kAuth}));
  EXPECT_EQ(plan.actions[0].detail, "email -> saml (auth_data=fgordon@corp)");
  // Once applied: the server shows saml, the ledger holds the auth_data -> nothing to do.
  w.users[0].auth_service = "saml";
  w.ledger["E1"].set_values["auth_data"] = "fgordon@corp";
  EXPECT_TRUE(w.Run().actions.empty());
  // The roster's auth_data changes: only the ledger can tell.
  w.roster.entries[0].auth_data = "frank.gordon@corp";
  plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kAuth}));
  EXPECT_EQ(plan.actions[0].auth_data, "frank.gordon@corp");
  w.options.policy.auth_migration = false;
  EXPECT_TRUE(w.Run().actions.empty());
}

TEST(PlannerTest, VerifiesEmailOnlyWhenLedgerHasNoRecord) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.Link("E1", u);
  w.roster.entries = {MakeRow("E1", "jdoe")};
  EXPECT_TRUE(w.Run().actions.empty());
  w.ledger["E1"].set_values.erase("email_verified");
  EXPECT_EQ(Types(w.Run()), (std::vector<ActionType>{ActionType::kVerifyEmail}));
  w.options.policy.verify_email = false;
  EXPECT_TRUE(w.Run().actions.empty());
}

TEST(PlannerTest, SsoUsernameChangeIsReportedOnceNotPatched) {
  World w;
  User u = MakeUser("u1", "jdoe");
  u.auth_service = "saml";
  w.users = {u};
  w.Link("E1", u);
  w.ledger["E1"].set_values["auth_data"] = "jdoe@corp";
  RosterEntry row = MakeRow("E1", "jane.doe");
  row.email = u.email;
  row.auth_service = "saml";
  row.auth_data = "jdoe@corp";
  w.roster.entries = {row};
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "follows the identity provider"));
  EXPECT_EQ(plan.ledger_after.at("E1").reported.count("sso_username"), 1u);
  w.ledger = plan.ledger_after;
  Plan again = w.Run();
  EXPECT_TRUE(again.actions.empty());
  EXPECT_FALSE(HasNotice(again, "follows the identity provider"));
}

TEST(PlannerTest, PolicySwitchesTurnActionsOff) {
  World w;
  User u = MakeUser("u1", "asmith", "Anna", "Smith");
  User gone = MakeUser("u2", "bwayne");
  User off = MakeUser("u3", "ckent");
  off.delete_at = 1;
  w.users = {u, gone, off};
  w.Link("E1", u);
  w.Link("E2", gone);
  w.Link("E3", off);
  w.ledger["E3"].set_values["active"] = "false";
  w.roster.entries = {MakeRow("E1", "asmith", "Anna", "Jones"), MakeRow("E3", "ckent"),
                      MakeRow("E4", "new")};
  w.options.policy.max_deactivations.value = 100;
  EXPECT_EQ(w.Run().CountActive(), 5);  // update, deactivate, reactivate, create, verify
  w.options.policy.create = false;
  w.options.policy.update = false;
  w.options.policy.reactivate = false;
  w.options.policy.deactivate = DeactivateMode::kReport;
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "would deactivate bwayne (key=E2)"));
  EXPECT_TRUE(HasNotice(plan, "policy.create=false"));
  w.options.policy.deactivate = DeactivateMode::kOff;
  plan = w.Run();
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_FALSE(HasNotice(plan, "would deactivate"));
}

TEST(PlannerTest, OrdersActionsByKeyThenType) {
  World w;
  User g = MakeUser("u1", "zed");
  g.roles = "system_guest";
  g.delete_at = 5;
  w.users = {g};
  w.Link("B", g);
  w.ledger["B"].set_values["active"] = "false";
  w.ledger["B"].set_values.erase("email_verified");
  RosterEntry rb = MakeRow("B", "zed2", "Z", "Z");
  rb.role = Role::kAdmin;
  w.roster.entries = {rb, MakeRow("A", "anna")};
  w.options.scope.manage_system_admins = true;
  Plan plan = w.Run();
  std::vector<std::pair<std::string, ActionType>> got;
  for (const Action& a : plan.actions) got.emplace_back(a.key, a.type);
  std::vector<std::pair<std::string, ActionType>> want = {
      {"A", ActionType::kCreate},     {"A", ActionType::kVerifyEmail},
      {"B", ActionType::kReactivate}, {"B", ActionType::kPromote},
      {"B", ActionType::kUpdate},     {"B", ActionType::kRole},
      {"B", ActionType::kVerifyEmail}};
  EXPECT_EQ(got, want);
}

TEST(PlannerTest, PlanDoesNotDependOnInputOrder) {
  World w;
  for (int i = 0; i < 40; ++i) {
    User u = MakeUser("u" + std::to_string(i), "user" + std::to_string(i), "F", std::to_string(i));
    w.users.push_back(u);
    if (i % 3 == 0) w.Link("K" + std::to_string(i), u);
    if (i % 5 != 0) {
      w.roster.entries.push_back(MakeRow("K" + std::to_string(i), u.username, "F", "x"));
    }
  }
  for (int i = 40; i < 50; ++i) w.roster.entries.push_back(MakeRow("K" + std::to_string(i), "n"));
  w.options.policy.max_deactivations.value = 100;
  Plan first = w.Run();
  std::mt19937 rng(7);
  std::shuffle(w.users.begin(), w.users.end(), rng);
  std::shuffle(w.roster.entries.begin(), w.roster.entries.end(), rng);
  EXPECT_EQ(w.Run(), first);
}

TEST(PlannerTest, AppliedPlanReplansEmpty) {
  World w;
  User a = MakeUser("u1", "asmith", "Anna", "Smith");
  User b = MakeUser("u2", "bwayne");
  User c = MakeUser("u3", "ckent");
  c.email = "CKent@Example.com";
  w.users = {a, b, c};
  w.Link("E1", a);
  w.Link("E2", b);
  RosterEntry r1 = MakeRow("E1", "anna.smith", "Anna", "Smith-Jones");
  r1.role = Role::kGuest;
  RosterEntry r3 = MakeRow("E3", "ckent");
  r3.auth_service = "saml";
  r3.auth_data = "ck@corp";
  RosterEntry r4 = MakeRow("E4", "dnew");
  r4.role = Role::kAdmin;
  w.roster.entries = {r1, r3, r4};
  w.options.scope.manage_system_admins = true;
  w.options.policy.max_deactivations.value = 100;
  Plan plan = w.Run();
  EXPECT_GE(plan.CountActive(), 6);
  int next_id = 1;
  w.ledger = ApplyPlan(plan, &w.users, w.now, &next_id);
  Plan again = w.Run();
  EXPECT_EQ(again.CountActive(), 0) << again.actions[0].key << " "
                                    << ActionName(again.actions[0].type);
}

TEST(PlannerTest, MakePlanForKeyKeepsOnlyThatPerson) {
  World w;
  User a = MakeUser("u1", "asmith", "Anna", "Smith");
  User b = MakeUser("u2", "bwayne");
  w.users = {a, b};
  w.Link("E1", a);
  w.Link("E2", b);
  w.roster.entries = {MakeRow("E1", "asmith", "Anna", "Jones"), MakeRow("E3", "new")};
  w.options.policy.max_deactivations.value = 100;
  Plan plan = MakePlanForKey(w.Input(), w.options, "E3");
  for (const Action& act : plan.actions) EXPECT_EQ(act.key, "E3");
  EXPECT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kCreate, ActionType::kVerifyEmail}));
  EXPECT_EQ(plan.ledger_after.at("E2"), w.ledger.at("E2"));  // others' absence untouched
  Plan none = MakePlanForKey(w.Input(), w.options, "nobody");
  EXPECT_TRUE(none.actions.empty());
  EXPECT_TRUE(HasNotice(none, "neither in the roster nor in the ledger"));
}

TEST(PlannerTest, RecordAppliedActionRecordsWhatWasSet) {
  Action create;
  create.type = ActionType::kCreate;
  create.key = "E1";
  create.new_user.username = "jdoe";
  create.new_user.auth_service = "saml";
  create.new_user.auth_data = "jdoe@corp";
  LedgerEntry e;
  RecordAppliedAction(create, "id1", &e);
  EXPECT_EQ(e.user_id, "id1");
  EXPECT_EQ(e.key, "E1");
  EXPECT_EQ(e.set_values.at("auth_data"), "jdoe@corp");
  Action update;
  update.type = ActionType::kUpdate;
  update.patch.email = "x@example.com";
  e.set_values["email_verified"] = "true";
  RecordAppliedAction(update, "", &e);
  EXPECT_EQ(e.user_id, "id1");
  EXPECT_EQ(e.set_values.count("email_verified"), 0u);
}

}  // namespace
}  // namespace rostersync
