// PlannerMassTest: a roster whose rows slipped. A fill-down error from row 101 on gives each
// key its neighbour's values: the mass_identity_change guard holds every identity change, and
// an email change to an address another managed account keeps is an identity_conflict.
#include <gtest/gtest.h>

#include <string>

#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::HasNotice;
using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::World;

std::string Num(int i) {
  std::string n = std::to_string(i);
  return std::string(3 - n.size(), '0') + n;
}

// 300 managed people K001..K300; row i shows person i. K201 (person 201) is terminated.
World Company() {
  World w;
  for (int i = 1; i <= 300; ++i) {
    User u = MakeUser("u" + Num(i), "person" + Num(i), "First" + Num(i), "Last" + Num(i));
    w.users.push_back(u);
    w.Link("K" + Num(i), u);
    w.roster.entries.push_back(MakeRow("K" + Num(i), u.username, u.first_name, u.last_name));
  }
  w.roster.entries[201 - 1].active = false;  // person 201 has left
  w.users[201 - 1].delete_at = 5;
  w.ledger["K201"].set_values["active"] = "false";
  return w;
}

// From row 101 on, every key takes the next row's key: row i (person i) carries key K(i-1)...
// equivalently key K(i) now shows person i+1's values. The last key keeps its own row.
void ShiftKeysFrom(World* w, int first) {
  std::vector<RosterEntry>& rows = w->roster.entries;
  for (int i = first; i < 300; ++i) {
    std::string key = rows[i - 1].key;
    rows[i - 1] = rows[i];
    rows[i - 1].key = key;
  }
}

int CountHeldBy(const Plan& plan, const std::string& guard) {
  int n = 0;
  for (const Action& a : plan.actions) {
    if (a.held && a.held_reason.compare(0, guard.size() + 1, guard + ":") == 0) ++n;
  }
  return n;
}

TEST(PlannerMassTest, ShiftedKeysHoldEveryIdentityChange) {
  World w = Company();
  ShiftKeysFrom(&w, 101);
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  bool deactivation_planned = false;
  for (const Action& a : plan.actions) {
    EXPECT_TRUE(a.held) << a.key << " " << ActionName(a.type);
    if (a.key == "K200" && a.type == ActionType::kDeactivate) deactivation_planned = true;
  }
  EXPECT_TRUE(deactivation_planned);  // K200 picked up person 201's terminated status
  ASSERT_FALSE(plan.holds.empty());
  bool found = false;
  for (const Hold& h : plan.holds) {
    if (h.guard != "mass_identity_change") continue;
    found = true;
    EXPECT_NE(h.message.find("email/username changes at once ("), std::string::npos);
    EXPECT_NE(h.message.find("% of managed users) exceed policy.max_deactivations=5%: rows "
                             "shifted? check the export"),
              std::string::npos)
        << h.message;
  }
  EXPECT_TRUE(found);
  EXPECT_GT(CountHeldBy(plan, "mass_identity_change"), 190);
  // A key that left in the same export is not deactivated while the guard holds.
  World gone = Company();
  ShiftKeysFrom(&gone, 101);
  gone.roster.entries.erase(gone.roster.entries.begin());  // K001 absent
  gone.options.policy.max_deactivations = Threshold{false, 5};
  Plan with_leaver = gone.Run();
  bool leaver_held = false;
  for (const Action& a : with_leaver.actions) {
    if (a.key == "K001" && a.type == ActionType::kDeactivate) leaver_held = a.held;
  }
  EXPECT_TRUE(leaver_held);

  w.options.force = true;
  Plan forced = w.Run();
  EXPECT_GT(forced.CountActive(), 190);
  EXPECT_TRUE(HasNotice(forced, "--force: "));
  for (const Hold& h : forced.holds) EXPECT_NE(h.guard, "mass_identity_change");
}

TEST(PlannerMassTest, AFewRenamesWithinTheBudgetGoAhead) {
  World w = Company();
  for (int i : {10, 20, 30}) {
    w.roster.entries[i - 1].email = "renamed" + Num(i) + "@example.com";
  }
  Plan plan = w.Run();  // 3 of 300 = 1% < 5%
  EXPECT_EQ(plan.CountHeld(), 0);
  EXPECT_EQ(plan.CountActive(), 6);  // 3 updates + 3 verify_email
  // A count budget is honoured as given.
  w.options.policy.max_deactivations = Threshold{false, 2};
  Plan over = w.Run();
  EXPECT_EQ(over.CountActive(), 0);
  ASSERT_EQ(over.holds.size(), 1u);
  EXPECT_EQ(over.holds[0].message,
            "3 email/username changes at once (1% of managed users) exceed "
            "policy.max_deactivations=2: rows shifted? check the export");
}

TEST(PlannerMassTest, SmallTeamRenameIsNotAMassChange) {
  World w;
  User u = MakeUser("u1", "jdoe");
  w.users = {u, MakeUser("u2", "sam")};
  w.Link("E1", u);
  w.Link("E2", w.users[1]);
  w.roster.entries = {MakeRow("E1", "jdoe"), MakeRow("E2", "sam")};
  w.roster.entries[0].email = "jane.doe@example.com";
  Plan plan = w.Run();  // 1 of 2 managed = 50%, but a single rename
  EXPECT_EQ(plan.CountHeld(), 0);
  EXPECT_TRUE(plan.holds.empty());
}

// K010's row takes the address person011 (K011) holds and keeps: held for K010, never sent.
TEST(PlannerMassTest, EmailOfAnotherManagedAccountIsAConflict) {
  World w = Company();
  w.roster.entries[10 - 1].email = "person011@example.com";
  w.roster.entries[10 - 1].position = "Engineer";
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "identity_conflict");
  EXPECT_NE(plan.holds[0].message.find("email person011@example.com belongs to managed account "
                                       "person011, which keeps it"),
            std::string::npos)
      << plan.holds[0].message;
  for (const Action& a : plan.actions) {
    EXPECT_EQ(a.key, "K010");
    EXPECT_TRUE(a.held);
  }
  w.options.force = true;  // not released
  EXPECT_EQ(w.Run().CountActive(), 0);
  // When K011 moves to a new address in the same roster, K010 may take the old one.
  w.options.force = false;
  w.roster.entries[11 - 1].email = "p11.new@example.com";
  Plan moved = w.Run();
  for (const Hold& h : moved.holds) EXPECT_NE(h.guard, "identity_conflict");
}

}  // namespace
}  // namespace rostersync
