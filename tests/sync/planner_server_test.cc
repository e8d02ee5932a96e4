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
  EXPECT_EQ(plan.holds[0].message.rfind("E123 guest account, but ", 0), 0u) << plan.holds[0].message;
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

}  // namespace
}  // namespace rostersync
