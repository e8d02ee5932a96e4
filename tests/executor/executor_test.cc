// Executor::Apply against FakeUsersApi + MemoryStateStore with faults injected per call.
#include "sync/executor.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/executor/executor_fixture.h"
#include "tests/executor/executor_test_util.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CountAudit;
using ::rostersync::testing::CreateAction;
using ::rostersync::testing::ExecutorTest;
using ::rostersync::testing::UpdateAction;
using ::rostersync::testing::UserAction;

TEST_F(ExecutorTest, CreatesUserAndRecordsWhatItSetInTheLedger) {
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe", "saml", "jdoe@corp"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  auto user = api_.FindByUsername("jdoe");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(report.outcomes[0].user_id, user->id);
  EXPECT_EQ(api_.AuthData(user->id), "jdoe@corp");
  auto ledger = store_.LoadLedger();
  ASSERT_EQ(ledger->count("E1"), 1u);
  EXPECT_EQ(ledger->at("E1").user_id, user->id);
  EXPECT_EQ(ledger->at("E1").set_values.at("auth_data"), "jdoe@corp");
  EXPECT_EQ(ledger->at("E1").set_values.at("auth_service"), "saml");
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kOk);
  EXPECT_EQ(store_.Audit()[0].user_id, user->id);
  EXPECT_EQ(sink_.records(), store_.Audit());
  EXPECT_EQ(store_.Journal()[0].state, JournalState::kDone);
  EXPECT_TRUE(report.drift.empty());
}

// Every applied action's audit record carries the server's request id, not only failures.
TEST_F(ExecutorTest, RecordsTheServersRequestIdWithEveryAppliedAction) {
  User u = Seed("asmith");
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  Action deactivate = UserAction(ActionType::kDeactivate, "E2", u.id, "asmith");
  plan.actions.push_back(deactivate);
  auto report = Apply(plan, 1);
  ASSERT_EQ(report.ok, 2) << report.outcomes[0].status.ToString();
  ASSERT_EQ(store_.Audit().size(), 2u);
  for (const AuditRecord& r : store_.Audit()) {
    EXPECT_EQ(r.result, AuditResult::kOk);
    EXPECT_EQ(r.request_id.rfind("fake-req-", 0), 0u) << ToString(r.action) << ": " << r.request_id;
  }
  EXPECT_NE(store_.Audit()[0].request_id, store_.Audit()[1].request_id);
}

TEST_F(ExecutorTest, GivesEmailUsersAGeneratedPasswordThatIsNeverRecorded) {
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "mail.user"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  std::string password = api_.Password(api_.FindByUsername("mail.user")->id);
  EXPECT_GE(password.size(), 8u);
  for (const auto& j : store_.Journal()) EXPECT_EQ(j.payload.find(password), std::string::npos);
}

TEST_F(ExecutorTest, OneFailingPersonNeverStopsTheOthers) {
  Plan plan;
  std::vector<User> users;
  for (int i = 0; i < 10; ++i) {
    users.push_back(Seed("user" + std::to_string(i)));
    plan.actions.push_back(
        UpdateAction("E" + std::to_string(i), users.back().id, users.back().username, "New"));
  }
  std::string bad = users[3].id;
  api_.FailWhere([bad](const std::string& method, const std::string& arg) -> std::optional<Status> {
    if (method == "PatchUser" && arg == bad) return Status::Transient("HTTP 503 after retries");
    return std::nullopt;
  });
  auto report = Apply(plan);
  EXPECT_EQ(report.ok, 9);
  EXPECT_EQ(report.failed, 1);
  EXPECT_FALSE(report.outcomes[3].status.ok());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(api_.FindUser(users[i].id)->last_name, i == 3 ? "Old" : "New");
  }
  EXPECT_EQ(CountAudit(store_.Audit(), AuditAction::kUpdate, AuditResult::kFailed), 1);
  EXPECT_EQ(CountAudit(store_.Audit(), AuditAction::kUpdate, AuditResult::kOk), 9);
}

TEST_F(ExecutorTest, SkipsAPersonsLaterActionsAfterAFailureAndSaysWhy) {
  User u = Seed("ckent");
  api_.SetUserActive(u.id, false);
  api_.ResetCounters();
  Plan plan;
  plan.actions.push_back(UserAction(ActionType::kReactivate, "E7", u.id, "ckent"));
  plan.actions.push_back(UpdateAction("E7", u.id, "ckent", "Kent"));
  Action role = UserAction(ActionType::kRole, "E7", u.id, "ckent");
  role.roles = "system_user system_admin";
  plan.actions.push_back(role);
  api_.FailNext("SetUserActive", Status::Forbidden("missing permission").WithHttp(403, "r1", "x"));
  auto report = Apply(plan);
  EXPECT_EQ(report.failed, 3);
  EXPECT_EQ(api_.Calls("PatchUser"), 0);
  EXPECT_EQ(api_.Calls("UpdateUserRoles"), 0);
  EXPECT_NE(report.outcomes[1].status.message().find("skipped"), std::string::npos);
  auto audit = store_.Audit();
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].http_status, 403);
  EXPECT_EQ(audit[0].request_id, "r1");
  EXPECT_NE(audit[2].error.find("reactivate"), std::string::npos);
}

TEST_F(ExecutorTest, AppliesEachPersonsActionsInPlanOrder) {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> calls;  // user id -> methods in order
  api_.FailWhere([&](const std::string& method, const std::string& arg) -> std::optional<Status> {
    std::lock_guard<std::mutex> lock(mu);
    calls[arg].push_back(method);
    return std::nullopt;
  });
  Plan plan;
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    User u = Seed("p" + std::to_string(i));
    api_.SetUserActive(u.id, false);
    ids.push_back(u.id);
    std::string key = "K" + std::to_string(i);
    plan.actions.push_back(UserAction(ActionType::kReactivate, key, u.id, u.username));
    plan.actions.push_back(UpdateAction(key, u.id, u.username, "X"));
    Action role = UserAction(ActionType::kRole, key, u.id, u.username);
    role.roles = "system_user system_user_access_token";
    plan.actions.push_back(role);
    plan.actions.push_back(UserAction(ActionType::kDeactivate, key, u.id, u.username));
  }
  calls.clear();
  auto report = Apply(plan, 8);
  EXPECT_EQ(report.ok, 48);
  for (const auto& id : ids) {
    std::vector<std::string> writes;
    for (const auto& m : calls[id]) {
      if (m != "GetUser" && m != "GetUserAccessTokens") writes.push_back(m);
    }
    EXPECT_EQ(writes, (std::vector<std::string>{"SetUserActive", "PatchUser", "UpdateUserRoles",
                                                "DeactivateUser"}))
        << id;
  }
}

TEST_F(ExecutorTest, AuditsHeldActionsAsHeldWithoutSendingThem) {
  User u = Seed("bwayne");
  api_.ResetCounters();
  Plan plan;
  Action a = UserAction(ActionType::kDeactivate, "E42", u.id, "bwayne");
  a.held = true;
  a.held_reason = "13 deactivations exceed policy.max_deactivations=5%";
  plan.actions.push_back(a);
  auto report = Apply(plan);
  EXPECT_EQ(report.held, 1);
  EXPECT_EQ(report.ok + report.failed, 0);
  EXPECT_EQ(api_.Writes(), 0);
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kHeld);
  EXPECT_EQ(store_.Audit()[0].error, a.held_reason);
  EXPECT_TRUE(store_.Journal().empty());
  EXPECT_TRUE(api_.FindUser(u.id)->active());
}

TEST_F(ExecutorTest, RevokesPersonalAccessTokensWhenDeactivatingIfThePolicySaysSo) {
  revoke_tokens_ = true;
  User u = Seed("leaver");
  api_.AddToken(u.id, "ci");
  api_.AddToken(u.id, "laptop");
  Plan plan;
  plan.actions.push_back(UserAction(ActionType::kDeactivate, "E9", u.id, "leaver"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1);
  EXPECT_EQ(api_.Calls("GetUserAccessTokens"), 1);
  EXPECT_EQ(api_.Calls("RevokeUserAccessToken"), 2);
  EXPECT_FALSE(api_.FindUser(u.id)->active());
  EXPECT_TRUE(api_.Tokens(u.id).empty());
  auto audit = store_.Audit();
  ASSERT_EQ(audit.size(), 1u);
  ASSERT_FALSE(audit[0].changes.empty());
  EXPECT_EQ(audit[0].changes.back().field, "access_tokens");
  EXPECT_EQ(audit[0].changes.back().from, "2 active");
  EXPECT_EQ(store_.LoadLedger()->at("E9").set_values.at("active"), "false");
}

// policy.revoke_tokens_on_deactivate off (the default): the deactivation is the only
// request about tokens; they stay, and work again if the person is reactivated.
TEST_F(ExecutorTest, LeavesAccessTokensAloneByDefault) {
  User u = Seed("leaver");
  api_.AddToken(u.id, "ci");
  Plan plan;
  plan.actions.push_back(UserAction(ActionType::kDeactivate, "E9", u.id, "leaver"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1);
  EXPECT_FALSE(api_.FindUser(u.id)->active());
  EXPECT_EQ(api_.Calls("GetUserAccessTokens"), 0);
  EXPECT_EQ(api_.Calls("RevokeUserAccessToken"), 0);
  EXPECT_EQ(api_.Tokens(u.id).size(), 1u);
  auto audit = store_.Audit();
  ASSERT_EQ(audit.size(), 1u);
  for (const auto& c : audit[0].changes) EXPECT_NE(c.field, "access_tokens");
}

// Issue 16: a 2xx to a deactivation, reactivation or role change is proof; reading the user
// back cost one GET per write (and a lagging replica could show the old state).
TEST_F(ExecutorTest, DoesNotReadBackDeactivationsReactivationsOrRoleChanges) {
  User leaver = Seed("leaver");
  User back = Seed("back");
  ASSERT_TRUE(api_.DeactivateUser(back.id).ok());
  User promoted = Seed("promoted");
  api_.ResetCounters();
  Plan plan;
  plan.actions.push_back(UserAction(ActionType::kDeactivate, "E1", leaver.id, "leaver"));
  plan.actions.push_back(UserAction(ActionType::kReactivate, "E2", back.id, "back"));
  Action role = UserAction(ActionType::kRole, "E3", promoted.id, "promoted");
  role.roles = "system_user system_admin";
  plan.actions.push_back(role);
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 3);
  EXPECT_EQ(api_.Calls("GetUser"), 0);
  EXPECT_EQ(api_.Calls("GetUserAccessTokens"), 0);
  EXPECT_EQ(api_.Writes(), 3);  // one request per action
  EXPECT_FALSE(api_.FindUser(leaver.id)->active());
  EXPECT_TRUE(api_.FindUser(back.id)->active());
  EXPECT_EQ(api_.FindUser(promoted.id)->roles, "system_user system_admin");
  EXPECT_TRUE(report.drift.empty());
}

TEST_F(ExecutorTest, TreatsDemotingAnExistingGuestAsDone) {
  User u = Seed("guesty", "system_guest");
  Plan plan;
  plan.actions.push_back(UserAction(ActionType::kGuest, "E5", u.id, "guesty"));
  auto report = Apply(plan);
  EXPECT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
}

TEST_F(ExecutorTest, ReportsDriftWhenTheServerIgnoresAChange) {
  User u;
  u.username = "oauthy";
  u.email = "oauthy@example.com";
  u.auth_service = "gitlab";  // the server silently ignores email changes of OAuth users
  u = api_.AddUser(u);
  Plan plan;
  Action a = UserAction(ActionType::kUpdate, "E3", u.id, "oauthy");
  a.patch.email = "new@example.com";
  plan.actions.push_back(a);
  auto report = Apply(plan);
  EXPECT_EQ(report.ok, 1);
  ASSERT_EQ(report.drift.size(), 1u);
  EXPECT_NE(report.drift[0].find("new@example.com"), std::string::npos) << report.drift[0];
}

TEST_F(ExecutorTest, KeepsProvenanceOfFailedActionsAsItWas) {
  User u = Seed("sso");
  LedgerEntry before;
  before.key = "E8";
  before.user_id = u.id;
  before.set_values = {{"auth_data", "old@corp"}};
  ASSERT_TRUE(store_.PutLedgerEntry(before).ok());
  Plan plan;
  plan.ledger_after["E8"] = before;
  plan.ledger_after["E8"].set_values["auth_data"] = "new@corp";  // the planner's hope
  plan.ledger_after["E8"].absent_cycles = 2;
  Action a = UserAction(ActionType::kAuth, "E8", u.id, "sso");
  a.auth_service = "saml";
  a.auth_data = "new@corp";
  plan.actions.push_back(a);
  api_.FailNext("UpdateUserAuth", Status::Invalid("auth_data taken"));
  auto report = Apply(plan);
  EXPECT_EQ(report.failed, 1);
  auto entry = store_.LoadLedger()->at("E8");
  EXPECT_EQ(entry.set_values.at("auth_data"), "old@corp");
  EXPECT_EQ(entry.absent_cycles, 2);
  EXPECT_TRUE(report.ledger_status.ok());
}

TEST_F(ExecutorTest, ReportsProgressUpToTheTotal) {
  Plan plan;
  for (int i = 0; i < 5; ++i)
    plan.actions.push_back(CreateAction("E" + std::to_string(i), "n" + std::to_string(i)));
  std::mutex mu;
  int last_done = 0;
  int last_total = 0;
  ExecutorOptions options;
  options.concurrency = 3;
  options.on_progress = [&](int done, int total) {
    std::lock_guard<std::mutex> lock(mu);
    last_done = std::max(last_done, done);
    last_total = total;
  };
  Executor executor(api_, store_, &sink_, clock_, options);
  auto report = executor.Apply(plan);
  EXPECT_EQ(report.ok, 5);
  EXPECT_EQ(last_done, 5);
  EXPECT_EQ(last_total, 5);
}

}  // namespace
}  // namespace rostersync
