// PlannerIdentityGuardTest: the guards against identity damage. People named in rejected rows,
// an untrusted roster, ambiguous adoptions, shared-channel (remote) users, loud leavers,
// accounts deactivated by hand, and policy.unmatched_accounts.
#include <gtest/gtest.h>

#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::HasNotice;
using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::Types;
using testing_util::World;

const Action* Find(const Plan& plan, const std::string& key, ActionType type) {
  for (const Action& a : plan.actions) {
    if (a.key == key && a.type == type) return &a;
  }
  return nullptr;
}

// 20 managed people E01..E20 (alice0..), all in the roster.
World Staff() {
  World w;
  for (int i = 1; i <= 20; ++i) {
    std::string n = (i < 10 ? "0" : "") + std::to_string(i);
    User u = MakeUser("u" + n, "person" + n, "First" + n, "Last" + n);
    w.users.push_back(u);
    w.Link("E" + n, u);
    w.roster.entries.push_back(MakeRow("E" + n, u.username, u.first_name, u.last_name));
  }
  return w;
}

void Reject(World* w, const std::string& where, const std::string& key, const std::string& username,
            const std::string& reason) {
  w->roster.rejected.push_back(RowError{where, key, "", reason});
  w->roster.rejected_where[username + "@example.com"] = where;
  w->roster.rejected_where[username] = where;
  w->roster.rejected_keys.insert(key);
  w->roster.rejected_emails.insert(username + "@example.com");
  w->roster.rejected_usernames.insert(username);
}

// The fill-down slip: the rows of E03, E04, E05 carry the next row's key (E04, E05, E06) and
// are rejected as duplicates. The three real people are named (by email) in rejected rows.
TEST(PlannerIdentityGuardTest, FillDownSlipDeactivatesNoOneNamedInARejectedRow) {
  World w = Staff();
  w.roster.entries.erase(w.roster.entries.begin() + 2, w.roster.entries.begin() + 5);
  Reject(&w, "roster.csv:4", "E04", "person03", "duplicate key E04 (also roster.csv:5)");
  Reject(&w, "roster.csv:5", "E05", "person04", "duplicate key E05 (also roster.csv:6)");
  Reject(&w, "roster.csv:6", "E06", "person05", "duplicate key E06 (also roster.csv:7)");
  w.options.policy.max_deactivations = Threshold{false, 100};
  Plan plan = w.Run();
  for (const char* key : {"E03", "E04", "E05"}) {
    const Action* d = Find(plan, key, ActionType::kDeactivate);
    EXPECT_TRUE(d == nullptr || d->held) << key;
  }
  EXPECT_EQ(plan.CountActive(), 0);
  const Action* e03 = Find(plan, "E03", ActionType::kDeactivate);
  ASSERT_NE(e03, nullptr);
  EXPECT_EQ(e03->held_reason.rfind("rejected_row: ", 0), 0u) << e03->held_reason;
  EXPECT_NE(e03->held_reason.find("roster.csv:4"), std::string::npos) << e03->held_reason;
  ASSERT_FALSE(plan.holds.empty());
  EXPECT_EQ(plan.holds[0].guard, "rejected_row");
  EXPECT_EQ(plan.rejected.size(), 3u);
  w.options.force = true;  // --force does not release them
  EXPECT_EQ(w.Run().CountActive(), 0);
}

TEST(PlannerIdentityGuardTest, RenameToAUsernameNamedInARejectedRowIsHeld) {
  World w = Staff();
  w.roster.entries[0].username = "newname";
  Reject(&w, "roster.csv:30", "E99", "newname", "duplicate username newname");
  Plan plan = w.Run();
  const Action* update = Find(plan, "E01", ActionType::kUpdate);
  ASSERT_NE(update, nullptr);
  EXPECT_TRUE(update->held);
  EXPECT_NE(update->held_reason.find("newname"), std::string::npos);
}

// The fill-down slip the other way round: a row with a new key carries the email of a person
// whose own row was rejected. Creating it would re-key that person into a second account.
TEST(PlannerIdentityGuardTest, CreateForAPersonNamedInARejectedRowIsHeld) {
  World w = Staff();
  w.roster.entries.erase(w.roster.entries.begin());  // E01's row is rejected
  Reject(&w, "roster.csv:2", "E01", "person01", "duplicate key E01 (also roster.csv:3)");
  RosterEntry rekeyed = MakeRow("E77", "person01.new");
  rekeyed.email = "person01@example.com";
  rekeyed.role = Role::kGuest;
  w.roster.entries.push_back(rekeyed);
  w.options.force = true;
  Plan plan = w.Run();
  const Action* create = Find(plan, "E77", ActionType::kCreate);
  ASSERT_NE(create, nullptr);
  EXPECT_TRUE(create->held);
  EXPECT_EQ(create->held_reason.rfind("rejected_row: ", 0), 0u) << create->held_reason;
  for (const Action& a : plan.actions) {
    if (a.key == "E77") {
      EXPECT_TRUE(a.held) << ActionName(a.type);
    }
  }
}

TEST(PlannerIdentityGuardTest, UntrustedRosterOnlyCreates) {
  World w = Staff();
  w.roster.trusted = false;
  w.roster.untrusted_reasons = {"155 of 297 rows rejected"};
  w.roster.entries[0].first_name = "Ma?gorzata";                // an update
  w.roster.entries[1].username = "magorzata.miller";             // a rename
  w.roster.entries[2].role = Role::kGuest;                       // a guest change
  w.roster.entries[3].active = false;                            // a deactivation
  w.roster.entries.push_back(MakeRow("E50", "joiner"));          // a create
  Plan plan = w.Run();
  for (const Action& a : plan.actions) {
    EXPECT_EQ(a.held, !a.user_id.empty()) << ActionName(a.type) << " " << a.key;
  }
  EXPECT_NE(Find(plan, "E50", ActionType::kCreate), nullptr);
  EXPECT_FALSE(Find(plan, "E50", ActionType::kCreate)->held);
  EXPECT_TRUE(Find(plan, "E01", ActionType::kUpdate)->held);
  EXPECT_TRUE(Find(plan, "E02", ActionType::kUpdate)->held);
  EXPECT_TRUE(Find(plan, "E03", ActionType::kGuest)->held);
  ASSERT_EQ(plan.holds.size(), 1u);
  EXPECT_EQ(plan.holds[0].guard, "untrusted_roster");
  EXPECT_EQ(plan.holds[0].count, 4);
  EXPECT_NE(plan.holds[0].message.find("only creates go ahead"), std::string::npos);
}

TEST(PlannerIdentityGuardTest, EmailMatchWithAnotherUsernameAdopts) {
  World w;
  User u = MakeUser("u1", "mgarcia");
  u.email = "maria.garcia@company.com";
  w.users = {u};
  RosterEntry row = MakeRow("E1", "maria.garcia");
  row.email = "maria.garcia@company.com";
  w.roster.entries = {row};
  Plan plan = w.Run();
  EXPECT_TRUE(HasNotice(plan, "adopts existing account mgarcia"));
  ASSERT_NE(Find(plan, "E1", ActionType::kUpdate), nullptr);
  EXPECT_FALSE(Find(plan, "E1", ActionType::kUpdate)->held);
}

TEST(PlannerIdentityGuardTest, ConsultantWithTheSameUsernameIsNotMerged) {
  World w;
  User consultant = MakeUser("u1", "maria.garcia");
  consultant.email = "maria.garcia@agency-partner.com";
  w.users = {consultant};
  RosterEntry row = MakeRow("E1", "maria.garcia");
  row.email = "maria.garcia@company.com";
  w.roster.entries = {row};
  Plan plan = w.Run();
  EXPECT_EQ(plan.CountActive(), 0);
  for (const Action& a : plan.actions) {
    EXPECT_TRUE(a.held);
    EXPECT_EQ(a.held_reason.rfind("ambiguous_match: ", 0), 0u);
  }
  EXPECT_EQ(plan.ledger_after.count("E1"), 0u);
}

TEST(PlannerIdentityGuardTest, RemoteUsersAreNeverMatchedManagedOrDeactivated) {
  World w;
  User remote = MakeUser("r1", "jdoe");
  remote.remote_id = "remote-cluster-1";
  User gone = MakeUser("r2", "leaver");
  gone.remote_id = "remote-cluster-1";
  w.users = {remote, gone};
  w.Link("E2", gone);  // a ledger entry from before remote users were excluded
  w.roster.entries = {MakeRow("E1", "jdoe")};
  w.options.policy.unmatched_accounts = UnmatchedMode::kDeactivate;
  Plan plan = w.Run();
  EXPECT_FALSE(HasNotice(plan, "adopts existing account"));
  EXPECT_EQ(Find(plan, "E2", ActionType::kDeactivate), nullptr);
  for (const Action& a : plan.actions) EXPECT_NE(a.user_id, "r1");
  EXPECT_EQ(plan.managed_users, 0);
  EXPECT_TRUE(plan.attention.empty());
  EXPECT_TRUE(plan.unmatched.empty());
}

TEST(PlannerIdentityGuardTest, AJoinerWhoseUsernameOrEmailARemoteUserHoldsIsNotCreated) {
  World w;
  User remote = MakeUser("r1", "jdoe");
  remote.remote_id = "remote-cluster-1";
  remote.email = "someone@elsewhere.example";
  User remote_mail = MakeUser("r2", "mgarcia");
  remote_mail.remote_id = "remote-cluster-1";
  remote_mail.email = "maria.garcia@company.com";
  w.users = {remote, remote_mail};
  RosterEntry by_email = MakeRow("E2", "maria");
  by_email.email = "maria.garcia@company.com";
  w.roster.entries = {MakeRow("E1", "JDoe"), by_email};
  Plan plan = w.Run();
  EXPECT_EQ(Find(plan, "E1", ActionType::kCreate), nullptr);
  EXPECT_EQ(Find(plan, "E2", ActionType::kCreate), nullptr);
  EXPECT_TRUE(plan.actions.empty());
  EXPECT_TRUE(HasNotice(plan, "E1: its username JDoe belongs to shared-channel user jdoe"));
  EXPECT_TRUE(HasNotice(plan, "E2: its email maria.garcia@company.com belongs to shared-channel "
                              "user mgarcia"));
  EXPECT_FALSE(HasNotice(plan, "adopts existing account"));
  EXPECT_EQ(plan.ledger_after.count("E1"), 0u);
}

}  // namespace
}  // namespace rostersync
