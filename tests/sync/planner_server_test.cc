// The planner within what the server allows (ServerCapabilities): guests, provider-owned
// fields, email changes pending verification, values the server stores in its own form.
#include <gtest/gtest.h>

#include "sync/plan_printer.h"
#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::Types;
using testing_util::World;

ServerCapabilities GuestsOff() {
  ServerCapabilities c;
  c.known = true;  // unlicensed, EnableGuestAccounts off: the server defaults
  return c;
}

ServerCapabilities GuestsOn() {
  ServerCapabilities c = GuestsOff();
  c.licensed = c.license_guest_accounts = c.guest_accounts_enabled = true;
  return c;
}

TEST(PlannerServerTest, HoldsTheCreateOfAGuestWhenTheServerHasNoGuests) {
  World w;
  w.capabilities = GuestsOff();
  RosterEntry row = MakeRow("E123", "gina");
  row.role = Role::kGuest;
  w.roster.entries = {row, MakeRow("E2", "mona")};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kCreate, ActionType::kCreate,
                                                  ActionType::kVerifyEmail}))
      << "nothing but the held create for the guest";
  EXPECT_EQ(plan.actions[0].key, "E123");
  EXPECT_TRUE(plan.actions[0].held);
  EXPECT_EQ(plan.actions[0].held_reason,
            "guests_unavailable: guest account, but guest accounts need a licensed server (this "
            "one is unlicensed)");
  EXPECT_FALSE(plan.actions[1].held);
  EXPECT_EQ(plan.CountHeld(), 1);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "guests_unavailable");
  EXPECT_EQ(plan.holds[0].message.rfind("E123 guest account, but ", 0), 0u)
      << plan.holds[0].message;
  EXPECT_EQ(plan.ledger_after.count("E123"), 0u);

  ServerCapabilities disabled = GuestsOn();
  disabled.guest_accounts_enabled = false;
  w.capabilities = disabled;
  w.options.force = true;  // the server cannot do it: --force does not release it
  EXPECT_NE(w.Run().actions[0].held_reason.find("guest accounts are disabled on the server"),
            std::string::npos);
  EXPECT_TRUE(w.Run().actions[0].held);
}

TEST(PlannerServerTest, HoldsTheDemoteOfAnExistingMemberWhenTheServerHasNoGuests) {
  World w;
  w.capabilities = GuestsOff();
  User member = MakeUser("u1", "eparker");
  w.users = {member};
  w.Link("E1", member);
  RosterEntry row = MakeRow("E1", "eparker");
  row.role = Role::kGuest;
  w.roster.entries = {row};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kGuest}));
  EXPECT_TRUE(plan.actions[0].held);
  EXPECT_EQ(plan.CountActive(), 0);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].count, 1);
}

TEST(PlannerServerTest, HoldsTheReactivationOfAGuestWhenTheServerHasNoGuests) {
  World w;
  w.capabilities = GuestsOff();
  User guest = MakeUser("u1", "gone.guest");
  guest.roles = "system_guest";
  guest.delete_at = 5;
  w.users = {guest};
  w.Link("E1", guest);
  w.ledger["E1"].set_values["active"] = "false";
  RosterEntry row = MakeRow("E1", "gone.guest", "New", "Name");
  row.role = Role::kGuest;
  w.roster.entries = {row};
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kReactivate}));
  EXPECT_TRUE(plan.actions[0].held);
}

TEST(PlannerServerTest, CreatesThenDemotesWhereTheServerHasGuests) {
  World w;
  w.capabilities = GuestsOn();
  RosterEntry row = MakeRow("E1", "g");
  row.role = Role::kGuest;
  w.roster.entries = {row};
  Plan plan = w.Run();
  EXPECT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kCreate, ActionType::kGuest,
                                                  ActionType::kVerifyEmail}));
  EXPECT_EQ(plan.CountHeld(), 0);
}

TEST(PlannerServerTest, NeitherRepatchesNorVerifiesAnEmailPendingVerification) {
  World w;
  w.capabilities = GuestsOn();
  w.capabilities->require_email_verification = true;
  User u = MakeUser("u1", "mover");
  w.users = {u};
  w.Link("E1", u);
  RosterEntry row = MakeRow("E1", "mover");
  row.email = "mover.new@example.com";
  w.roster.entries = {row};
  Plan first = w.Run();
  ASSERT_EQ(Types(first), (std::vector<ActionType>{ActionType::kUpdate}));
  EXPECT_EQ(first.actions[0].detail, "new email pending verification by the person");
  w.ledger["E1"].set_values["email_pending"] = "mover.new@example.com";  // as applied
  Plan second = w.Run();
  EXPECT_TRUE(second.actions.empty());
  ASSERT_EQ(second.notices.size(), 1u);
  EXPECT_NE(second.notices[0].find("pending verification by the person"), std::string::npos);
  EXPECT_TRUE(second.ledger_after.empty());
  w.users[0].email = "mover.new@example.com";  // the person followed the link
  Plan third = w.Run();
  EXPECT_TRUE(third.actions.empty());
  ASSERT_EQ(third.ledger_after.count("E1"), 1u);
  EXPECT_EQ(third.ledger_after.at("E1").set_values.count("email_pending"), 0u);
  EXPECT_EQ(third.ledger_after.at("E1").set_values.at("email"), "mover.new@example.com");
}

TEST(PlannerServerTest, DoesNotResendAValueTheServerStoresInItsOwnForm) {
  World w;
  User u = MakeUser("u1", "ann", "Ann", "Lee");
  u.locale = "en";
  w.users = {u};
  w.Link("E1", u);
  w.ledger["E1"].set_values["first_name"] = "Ann";
  w.ledger["E1"].set_values["requested:first_name"] = "Ann\u202E";
  w.ledger["E1"].set_values["locale"] = "en";
  w.ledger["E1"].set_values["requested:locale"] = "xx";
  RosterEntry row = MakeRow("E1", "ann", "Ann\u202E", "Lee");
  row.locale = "xx";
  w.roster.entries = {row};
  EXPECT_TRUE(w.Run().actions.empty());
  w.roster.entries[0].first_name = "Anne";  // a real change is still sent
  EXPECT_EQ(Types(w.Run()), (std::vector<ActionType>{ActionType::kUpdate}));
}

TEST(PlannerServerTest, NeverPatchesProviderOwnedFieldsAndSaysSoOncePerField) {
  World w;
  w.capabilities = GuestsOn();
  w.capabilities->saml_owned = {"first_name", "last_name", "username"};
  for (const char* id : {"u1", "u2"}) {
    User u = MakeUser(id, std::string("s") + id, "Old", "Old");
    u.auth_service = "saml";
    w.users.push_back(u);
    w.Link(std::string("K") + id, u);
    w.roster.entries.push_back(MakeRow(std::string("K") + id, u.username, "New", "Old"));
    w.roster.entries.back().auth_service = "saml";
  }
  w.roster.entries[1].nickname = "nick";  // not owned: patched
  Plan plan = w.Run();
  ASSERT_EQ(Types(plan), (std::vector<ActionType>{ActionType::kUpdate}));
  EXPECT_FALSE(plan.actions[0].patch.first_name.has_value());
  EXPECT_EQ(plan.actions[0].patch.nickname, "nick");
  ASSERT_EQ(plan.notices.size(), 1u);
  EXPECT_EQ(plan.notices[0],
            "saml accounts: first_name is set by the identity provider and is not patched (2 "
            "accounts differ from the roster)");
}

}  // namespace
}  // namespace rostersync
