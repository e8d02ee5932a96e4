// What the executor writes to the audit trail: a hold once per reason, revoked tokens by id.
#include <gtest/gtest.h>

#include <algorithm>

#include "state/audit_json.h"
#include "sync/executor.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CapturingSink;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;
using ::rostersync::testing::UserAction;

class ExecutorAuditTest : public ::testing::Test {
 protected:
  ExecutionReport Apply(const Plan& plan) {
    ExecutorOptions options;
    options.concurrency = 2;
    options.revoke_tokens_on_deactivate = true;  // so the token audit records can be checked
    options.run_id = "run-" + std::to_string(++runs_);
    options.only_key = only_key_;
    Executor executor(api_, store_, &sink_, clock_, options);
    return executor.Apply(plan);
  }
  User Seed(const std::string& username) {
    User u;
    u.username = username;
    u.email = username + "@example.com";
    u.roles = "system_user";
    return api_.AddUser(u);
  }
  Plan HeldDeactivation(const User& u, const std::string& reason) {
    Plan plan;
    Action a = UserAction(ActionType::kDeactivate, "E42", u.id, u.username);
    a.held = true;
    a.held_reason = reason;
    plan.actions.push_back(a);
    return plan;
  }
  size_t HeldRecords() const {
    auto audit = store_.Audit();
    return std::count_if(audit.begin(), audit.end(),
                         [](const AuditRecord& r) { return r.result == AuditResult::kHeld; });
  }

  FakeUsersApi api_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{1'790'000'000'000};
  int runs_ = 0;
  std::string only_key_;
};

TEST_F(ExecutorAuditTest, AuditsAHoldOnceWhileItsReasonStaysTheSame) {
  User u = Seed("bwayne");
  const std::string reason = "13 deactivations exceed policy.max_deactivations=5%";
  for (int cycle = 0; cycle < 5; ++cycle) {
    auto report = Apply(HeldDeactivation(u, reason));
    EXPECT_EQ(report.held, 1);  // still reported held every cycle
    clock_.Advance(60'000);
  }
  EXPECT_EQ(HeldRecords(), 1u);
  EXPECT_EQ(sink_.records().size(), 1u);
}

TEST_F(ExecutorAuditTest, AuditsAHoldAgainWhenItsReasonChanges) {
  User u = Seed("bwayne");
  Apply(HeldDeactivation(u, "13 deactivations exceed policy.max_deactivations=5%"));
  Apply(HeldDeactivation(u, "13 deactivations exceed policy.max_deactivations=5%"));
  Apply(HeldDeactivation(u, "the roster is untrusted: 3 rejected rows"));
  Apply(HeldDeactivation(u, "the roster is untrusted: 3 rejected rows"));
  ASSERT_EQ(HeldRecords(), 2u);
  EXPECT_EQ(store_.Audit().back().error, "the roster is untrusted: 3 rejected rows");
}

TEST_F(ExecutorAuditTest, AuditsAHoldAgainWhenItReturnsAfterTheActionWasApplied) {
  User u = Seed("bwayne");
  const std::string reason = "13 deactivations exceed policy.max_deactivations=5%";
  Apply(HeldDeactivation(u, reason));
  Plan released;
  released.actions.push_back(UserAction(ActionType::kDeactivate, "E42", u.id, u.username));
  ASSERT_EQ(Apply(released).ok, 1);
  Plan back;
  back.actions.push_back(UserAction(ActionType::kReactivate, "E42", u.id, u.username));
  ASSERT_EQ(Apply(back).ok, 1);
  Apply(HeldDeactivation(u, reason));
  EXPECT_EQ(HeldRecords(), 2u);
}

TEST_F(ExecutorAuditTest, AuditsAHoldAgainWhenItLapsedAndCameBack) {
  User u = Seed("bwayne");
  LedgerEntry entry;
  entry.key = "E42";
  entry.user_id = u.id;
  ASSERT_TRUE(store_.PutLedgerEntry(entry).ok());
  const std::string reason = "13 deactivations exceed policy.max_deactivations=5%";
  Apply(HeldDeactivation(u, reason));
  Apply(HeldDeactivation(u, reason));
  EXPECT_EQ(store_.LoadLedger()->at("E42").reported.count("held:deactivate"), 1u);
  Apply(Plan{});  // the roster wants the person again: nothing planned, the hold lapsed
  EXPECT_EQ(store_.LoadLedger()->at("E42").reported.count("held:deactivate"), 0u);
  Apply(HeldDeactivation(u, reason));
  Apply(HeldDeactivation(u, reason));
  EXPECT_EQ(HeldRecords(), 2u);
}

TEST_F(ExecutorAuditTest, AOnePersonPlanLeavesOtherPeoplesHoldsRemembered) {
  User u = Seed("bwayne");
  LedgerEntry entry;
  entry.key = "E42";
  entry.user_id = u.id;
  ASSERT_TRUE(store_.PutLedgerEntry(entry).ok());
  const std::string reason = "13 deactivations exceed policy.max_deactivations=5%";
  Apply(HeldDeactivation(u, reason));
  only_key_ = "E7";  // a per-key sync of someone else
  Apply(Plan{});
  only_key_.clear();
  Apply(HeldDeactivation(u, reason));
  EXPECT_EQ(HeldRecords(), 1u);
}

TEST_F(ExecutorAuditTest, AuditsEachPersonsHoldSeparately) {
  User a = Seed("alpha");
  User b = Seed("bravo");
  const std::string reason = "held by policy.max_deactivations";
  for (int cycle = 0; cycle < 3; ++cycle) {
    Plan plan = HeldDeactivation(a, reason);
    Action other = UserAction(ActionType::kDeactivate, "E43", b.id, b.username);
    other.held = true;
    other.held_reason = reason;
    plan.actions.push_back(other);
    Apply(plan);
  }
  EXPECT_EQ(HeldRecords(), 2u);
}

TEST_F(ExecutorAuditTest, RecordsWhichAccessTokensWereRevokedWithoutTheirValues) {
  User u = Seed("leaver");
  UserAccessToken ci = api_.AddToken(u.id, "ci pipeline");
  UserAccessToken laptop = api_.AddToken(u.id, "laptop");
  Plan plan;
  plan.actions.push_back(UserAction(ActionType::kDeactivate, "E9", u.id, "leaver"));
  ASSERT_EQ(Apply(plan).ok, 1);
  auto audit = store_.Audit();
  ASSERT_EQ(audit.size(), 1u);
  std::vector<std::string> revoked;
  for (const auto& c : audit[0].changes) {
    if (c.field == "access_token") revoked.push_back(c.from + " -> " + c.to);
    EXPECT_EQ(c.from.find(ci.token), std::string::npos);
    EXPECT_EQ(c.from.find(laptop.token), std::string::npos);
  }
  std::sort(revoked.begin(), revoked.end());
  std::vector<std::string> want = {ci.id + " (ci pipeline) -> revoked",
                                   laptop.id + " (laptop) -> revoked"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(revoked, want);
  // The JSON audit (audit.jsonl, `audit --json`) keeps both tokens: access_token#2.
  const std::string json = AuditRecordToJson(audit[0]);
  EXPECT_NE(json.find("\"access_token\":"), std::string::npos) << json;
  EXPECT_NE(json.find("\"access_token#2\":"), std::string::npos) << json;
  auto back = AuditRecordFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->changes, audit[0].changes);
}

}  // namespace
}  // namespace rostersync
