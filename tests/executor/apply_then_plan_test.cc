// The executor's ledger is what the planner reads next: apply a plan with every action type
// through FakeUsersApi + MemoryStateStore, plan again from the server and the stored ledger,
// and expect nothing left to do (no action, no ledger change).
#include <gtest/gtest.h>

#include <set>

#include "sync/executor.h"
#include "sync/planner.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CapturingSink;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;

constexpr int64_t kNow = 1'795'953'600'000;  // 2026-11-29T12:00:00Z

RosterEntry Row(const std::string& key, const std::string& username) {
  RosterEntry r;
  r.key = key;
  r.username = username;
  r.email = username + "@example.com";
  r.first_name = "First";
  r.last_name = username;
  r.where = "roster.csv:" + key;
  return r;
}

std::string Describe(const Plan& plan) {
  std::string out;
  for (const Action& a : plan.actions) {
    out += std::string(ActionName(a.type)) + " " + a.key + (a.held ? " (held)" : "") + "\n";
  }
  for (const auto& [key, entry] : plan.ledger_after) out += "ledger change " + key + "\n";
  for (const auto& key : plan.ledger_removed) out += "ledger removal " + key + "\n";
  return out;
}

class ApplyThenPlanTest : public ::testing::Test {
 protected:
  ApplyThenPlanTest() {
    options_.policy.max_deactivations = Threshold{true, 100};
    options_.policy.send_password_reset = true;
    options_.scope.manage_system_admins = true;
    api_.set_now_ms(kNow);
  }

  User Seed(const std::string& username, const std::string& roles = "system_user",
            bool active = true) {
    User u;
    u.username = username;
    u.email = username + "@example.com";
    u.first_name = "First";
    u.last_name = username;
    u.roles = roles;
    u.email_verified = true;
    u = api_.AddUser(u);
    if (!active) api_.SetUserActive(u.id, false);
    return u;
  }
  // A ledger entry as an earlier cycle left it (email verified, active as recorded).
  void Link(const std::string& key, const User& u, const std::string& active = "true") {
    LedgerEntry e;
    e.key = key;
    e.user_id = u.id;
    e.set_values = {{"email_verified", "true"}, {"active", active}};
    ASSERT_TRUE(store_.PutLedgerEntry(e).ok());
  }

  Plan PlanNow() {
    auto users = api_.ListAllUsers();
    auto ledger = store_.LoadLedger();
    EXPECT_TRUE(users.ok() && ledger.ok());
    users_ = *users;
    ledger_ = *ledger;
    PlannerInput in;
    in.roster = &roster_;
    in.users = &users_;
    in.ledger = &ledger_;
    in.self_user_id = "me";
    in.now_ms = kNow;
    return MakePlan(in, options_);
  }

  ExecutionReport Apply(const Plan& plan) {
    ExecutorOptions options;
    options.run_id = "run-" + std::to_string(++runs_);
    options.concurrency = 3;
    Executor executor(api_, store_, &sink_, clock_, options);
    return executor.Apply(plan);
  }

  FakeUsersApi api_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{kNow};
  PlannerOptions options_;
  Roster roster_;
  std::vector<User> users_;
  Ledger ledger_;
  int runs_ = 0;
};

TEST_F(ApplyThenPlanTest, PlansNothingAfterApplyingEveryActionType) {
  roster_.entries.push_back(Row("E01", "mailer"));  // create, verify_email, password_reset
  RosterEntry saml = Row("E02", "samler");          // create with auth
  saml.auth_service = "saml";
  saml.auth_data = "samler@corp";
  roster_.entries.push_back(saml);
  RosterEntry guest_joiner = Row("E03", "visitor");  // create + guest
  guest_joiner.role = Role::kGuest;
  roster_.entries.push_back(guest_joiner);
  RosterEntry admin = Row("E04", "boss");  // role
  admin.role = Role::kAdmin;
  roster_.entries.push_back(admin);
  Link("E04", Seed("boss"));
  roster_.entries.push_back(Row("E05", "promoted"));  // promote
  Link("E05", Seed("promoted", "system_guest"));
  RosterEntry migrate = Row("E06", "migrant");  // auth migration
  migrate.auth_service = "ldap";
  migrate.auth_data = "cn=migrant";
  roster_.entries.push_back(migrate);
  Link("E06", Seed("migrant"));
  Link("E07", Seed("leaver"));                        // deactivate: absent from the roster
  roster_.entries.push_back(Row("E08", "returner"));  // reactivate
  Link("E08", Seed("returner", "system_user", false), "false");
  RosterEntry renamed = Row("E09", "mover");  // update, then verify_email for the new email
  renamed.email = "mover.new@example.com";
  renamed.last_name = "Moved";
  roster_.entries.push_back(renamed);
  Link("E09", Seed("mover"));
  roster_.entries.push_back(Row("E10", "unverified"));  // verify_email
  LedgerEntry unverified;
  unverified.key = "E10";
  unverified.user_id = Seed("unverified").id;
  ASSERT_TRUE(store_.PutLedgerEntry(unverified).ok());
  RosterEntry demoted = Row("E11", "demoted");  // guest
  demoted.role = Role::kGuest;
  roster_.entries.push_back(demoted);
  Link("E11", Seed("demoted"));
  roster_.entries.push_back(Row("E12", "adoptee"));  // adopted: no ledger entry yet
  Seed("adoptee");

  Plan first = PlanNow();
  std::set<ActionType> planned;
  for (const Action& a : first.actions) {
    EXPECT_FALSE(a.held) << ActionName(a.type) << " " << a.key << ": " << a.held_reason;
    planned.insert(a.type);
  }
  for (int t = 0; t <= static_cast<int>(ActionType::kDeactivate); ++t) {
    EXPECT_EQ(planned.count(static_cast<ActionType>(t)), 1u)
        << ActionName(static_cast<ActionType>(t)) << " not planned:\n"
        << Describe(first);
  }
  ExecutionReport report = Apply(first);
  ASSERT_EQ(report.failed, 0);
  ASSERT_TRUE(report.ledger_status.ok()) << report.ledger_status.ToString();

  Plan second = PlanNow();
  EXPECT_TRUE(second.actions.empty()) << Describe(second);
  EXPECT_TRUE(second.ledger_after.empty()) << Describe(second);
  EXPECT_TRUE(second.ledger_removed.empty()) << Describe(second);
  Apply(second);
  Plan third = PlanNow();
  EXPECT_TRUE(third.actions.empty() && third.ledger_after.empty()) << Describe(third);
}

TEST_F(ApplyThenPlanTest, VerifiesANewEmailAgainWhenItsVerificationFailed) {
  RosterEntry row = Row("E1", "mover");
  row.email = "mover.new@example.com";
  roster_.entries.push_back(row);
  Link("E1", Seed("mover"));
  api_.FailNext("VerifyUserEmail", Status::Transient("HTTP 503 after retries"));
  Plan first = PlanNow();
  ASSERT_EQ(first.actions.size(), 2u) << Describe(first);
  ExecutionReport report = Apply(first);
  EXPECT_EQ(report.ok, 1);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(store_.LoadLedger()->at("E1").set_values.at("email_verified"), "false");

  Plan second = PlanNow();
  ASSERT_EQ(second.actions.size(), 1u) << Describe(second);
  EXPECT_EQ(second.actions[0].type, ActionType::kVerifyEmail);
  ASSERT_EQ(Apply(second).ok, 1);
  EXPECT_TRUE(PlanNow().actions.empty());
}

// A leaver whose deactivation failed is an attention item while it is retried, and quiet
// again once it went through; a person the roster wants back forgets the failure.
TEST_F(ApplyThenPlanTest, ALeaverWhoseDeactivationFailedIsAnAttentionItemUntilItWorks) {
  roster_.entries.push_back(Row("E1", "stays"));
  Link("E1", Seed("stays"));
  Link("E2", Seed("leaver"));  // absent from the roster
  api_.FailNext("DeactivateUser", Status::Forbidden("missing permission").WithHttp(403, "r", "x"));
  Plan first = PlanNow();
  EXPECT_TRUE(first.attention.empty());
  EXPECT_EQ(Apply(first).failed, 1);

  Plan second = PlanNow();
  ASSERT_EQ(second.attention.size(), 1u) << Describe(second);
  EXPECT_EQ(second.attention[0].key, "E2");
  EXPECT_NE(second.attention[0].message.find("E2 leaver is a leaver but could not be "
                                             "deactivated (missing permission"),
            std::string::npos)
      << second.attention[0].message;
  ASSERT_EQ(Apply(second).failed, 0);  // retried, and it works this time
  Plan third = PlanNow();
  EXPECT_TRUE(third.attention.empty());
  EXPECT_EQ(store_.LoadLedger()->at("E2").set_values.count(kDeactivateFailed), 0u);

  roster_.entries.push_back(Row("E3", "wobbly"));  // fails, then the roster wants them back
  Link("E3", Seed("wobbly"));
  roster_.entries.back().active = false;
  api_.FailNext("DeactivateUser", Status::Transient("HTTP 503 after retries"));
  Apply(PlanNow());
  EXPECT_EQ(store_.LoadLedger()->at("E3").set_values.count(kDeactivateFailed), 1u);
  roster_.entries.back().active = true;
  Apply(PlanNow());
  EXPECT_EQ(store_.LoadLedger()->at("E3").set_values.count(kDeactivateFailed), 0u);
  EXPECT_TRUE(PlanNow().attention.empty());
}

TEST_F(ApplyThenPlanTest, DeletesLedgerEntriesThePlanDrops) {
  LedgerEntry gone;  // its account was deleted on the server and its key left the roster
  gone.key = "E9";
  gone.user_id = "no-such-user";
  ASSERT_TRUE(store_.PutLedgerEntry(gone).ok());
  Plan first = PlanNow();
  EXPECT_EQ(first.ledger_removed, std::vector<std::string>{"E9"});
  Apply(first);
  EXPECT_EQ(store_.LoadLedger()->count("E9"), 0u);
  Plan second = PlanNow();
  EXPECT_TRUE(second.ledger_removed.empty());
  EXPECT_TRUE(second.notices.empty());
}

}  // namespace
}  // namespace rostersync

namespace rostersync {
namespace {

// The ledger the executor leaves for an adopted account tells a hand deactivation (attention,
// held) from rostersync's own (a returner, reactivated).
TEST_F(ApplyThenPlanTest, AnAdoptedAccountDeactivatedByHandIsHeldAReturnerIsNot) {
  roster_.entries.push_back(Row("E1", "adoptee"));
  roster_.entries.push_back(Row("E2", "returner"));
  User adoptee = Seed("adoptee");
  Seed("returner");
  ASSERT_EQ(Apply(PlanNow()).failed, 0);  // adopts both
  roster_.entries[1].active = false;
  ASSERT_EQ(Apply(PlanNow()).failed, 0);  // rostersync deactivates the returner
  api_.SetUserActive(adoptee.id, false);  // an admin deactivates the adoptee by hand
  roster_.entries[1].active = true;

  Plan plan = PlanNow();
  std::string described = Describe(plan);
  ASSERT_EQ(plan.attention.size(), 1u) << described;
  EXPECT_EQ(plan.attention[0].key, "E1");
  int reactivations = 0;
  for (const Action& a : plan.actions) {
    if (a.type != ActionType::kReactivate) continue;
    ++reactivations;
    EXPECT_EQ(a.held, a.key == "E1") << described;
  }
  EXPECT_EQ(reactivations, 2) << described;
  ASSERT_EQ(Apply(plan).failed, 0);
  EXPECT_FALSE(api_.FindByUsername("adoptee")->active());
  EXPECT_TRUE(api_.FindByUsername("returner")->active());
}

}  // namespace
}  // namespace rostersync
