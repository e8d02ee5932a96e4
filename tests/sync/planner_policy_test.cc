// PlannerTest (continued): roles, guests, auth, onboarding, policy switches, ordering,
// determinism, idempotence and MakePlanForKey.
#include "sync/planner.h"

#include <gtest/gtest.h>

#include "sync/plan_printer.h"

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

// The first plan shows the role the new account will get: without manage_system_admins an
// admin row is created as a member, and the same plan says the admin role is not granted.
TEST(PlannerTest, CreateShowsTheRoleTheAccountWillGet) {
  World w;
  RosterEntry row = MakeRow("E1", "dprince");
  row.role = Role::kAdmin;
  w.roster.entries = {row};
  Plan plan = w.Run();
  ASSERT_FALSE(plan.actions.empty());
  EXPECT_EQ(plan.actions[0].type, ActionType::kCreate);
  EXPECT_EQ(plan.actions[0].detail, "role=system_user");
  EXPECT_TRUE(HasNotice(plan, "E1: roster role system_admin not granted"));
  std::string text = FormatPlanText(plan, false);
  EXPECT_EQ(text.find("role=system_admin"), std::string::npos) << text;
  w.options.scope.manage_system_admins = true;
  Plan granted = w.Run();
  EXPECT_EQ(granted.actions[0].detail, "role=system_admin");
  EXPECT_FALSE(HasNotice(granted, "not granted"));
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

// With policy.guests=false nothing would demote a new guest: it would stay a full member.
TEST(PlannerTest, GuestRowIsNotCreatedAsAFullMemberWhenPolicyGuestsIsOff) {
  World w;
  RosterEntry row = MakeRow("E1", "g");
  row.role = Role::kGuest;
  w.roster.entries = {row};
  w.options.policy.guests = false;
  Plan plan = w.Run();
  ASSERT_EQ(plan.actions.size(), 1u);
  EXPECT_EQ(plan.actions[0].type, ActionType::kCreate);
  EXPECT_TRUE(plan.actions[0].held);
  EXPECT_NE(plan.actions[0].held_reason.find("policy.guests is false"), std::string::npos)
      << plan.actions[0].held_reason;
  EXPECT_EQ(plan.CountActive(), 0);
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

TEST(PlannerTest, VerifiesEmailOnlyWhereRostersyncLeftItUnverified) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u};
  w.Link("E1", u);
  w.roster.entries = {MakeRow("E1", "jdoe")};
  EXPECT_TRUE(w.Run().actions.empty());
  // No record: an account rostersync did not create; its state is unknown and not ours.
  w.ledger["E1"].set_values.erase("email_verified");
  EXPECT_TRUE(w.Run().actions.empty());
  // Our create or email change left it unverified (e.g. the verify failed last cycle).
  w.ledger["E1"].set_values["email_verified"] = "false";
  EXPECT_EQ(Types(w.Run()), (std::vector<ActionType>{ActionType::kVerifyEmail}));
  w.options.policy.verify_email = false;
  EXPECT_TRUE(w.Run().actions.empty());
}

TEST(PlannerTest, AdoptingAnExistingAccountDoesNotVerifyItsEmail) {
  World w;
  w.users = {MakeUser("u1", "jdoe")};
  w.roster.entries = {MakeRow("E1", "jdoe")};
  Plan plan = w.Run();
  EXPECT_TRUE(plan.actions.empty()) << FormatPlanText(plan, false);
  ASSERT_EQ(plan.ledger_after.count("E1"), 1u);
  EXPECT_EQ(plan.ledger_after.at("E1").user_id, "u1");
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
  w.ledger = LedgerAfter(w.ledger, plan);
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
  w.ledger = ApplyPlan(w.ledger, plan, &w.users, w.now, &next_id);
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
  EXPECT_EQ(plan.ledger_after.count("E2"), 0u);  // others' absence untouched
  EXPECT_TRUE(plan.ledger_removed.empty());
  EXPECT_EQ(plan.ledger_after.count("E3"), 1u);  // the create's entry
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
  EXPECT_EQ(e.set_values.at("email_verified"), "false");  // the server clears it
}

}  // namespace
}  // namespace rostersync
