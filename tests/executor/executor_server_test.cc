// Executor against a FakeUsersApi that behaves like a real server under its settings
// (ServerCapabilities): independent actions, provider-owned fields, email verification,
// values stored in the server's own form, "exists" on create, guests, passwords.
#include <gtest/gtest.h>

#include "sync/executor.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CapturingSink;
using ::rostersync::testing::CountAudit;
using ::rostersync::testing::CreateAction;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;
using ::rostersync::testing::UpdateAction;
using ::rostersync::testing::UserAction;

ServerCapabilities Licensed() {
  ServerCapabilities c;
  c.known = true;
  c.licensed = c.license_guest_accounts = c.guest_accounts_enabled = true;
  return c;
}

class ExecutorServerTest : public ::testing::Test {
 protected:
  ExecutionReport Apply(const Plan& plan, const ServerCapabilities& caps) {
    api_.set_capabilities(caps);
    ExecutorOptions options;
    options.concurrency = 2;
    options.run_id = "run-1";
    options.capabilities = caps;
    Executor executor(api_, store_, &sink_, clock_, options);
    return executor.Apply(plan);
  }
  User Seed(const std::string& username, const std::string& auth_service = "") {
    User u;
    u.username = username;
    u.email = username + "@example.com";
    u.first_name = "Old";
    u.last_name = "Old";
    u.auth_service = auth_service;
    return api_.AddUser(u);
  }
  std::string AllText(const ExecutionReport& report) const {
    std::string out;
    for (const auto& d : report.drift) out += d + "\n";
    for (const auto& o : report.outcomes) out += o.status.ToString() + "\n";
    for (const auto& r : store_.Audit()) {
      out += r.error + " " + r.username + " " + r.key + "\n";
      for (const auto& c : r.changes) out += c.field + " " + c.from + " " + c.to + "\n";
    }
    for (const auto& j : store_.Journal()) out += j.payload + "\n";
    return out;
  }

  FakeUsersApi api_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{1'790'000'000'000};
};

TEST_F(ExecutorServerTest, AFailedNamePatchBlocksNeitherARoleChangeNorADeactivation) {
  User u = Seed("ckent");
  Plan plan;
  plan.actions.push_back(UpdateAction("E7", u.id, "ckent", "Kent"));
  Action role = UserAction(ActionType::kRole, "E7", u.id, "ckent");
  role.roles = "system_user system_user_access_token";
  plan.actions.push_back(role);
  plan.actions.push_back(UserAction(ActionType::kDeactivate, "E7", u.id, "ckent"));
  api_.FailNext("PatchUser", Status::Invalid("bad name").WithHttp(400, "r1", "model.user"));
  auto report = Apply(plan, Licensed());
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.ok, 2);
  EXPECT_EQ(api_.FindUser(u.id)->roles, "system_user system_user_access_token");
  EXPECT_FALSE(api_.FindUser(u.id)->active());
}

TEST_F(ExecutorServerTest, NothingRunsAfterAFailedCreate) {
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "newbie"));
  plan.actions.push_back(UserAction(ActionType::kVerifyEmail, "E1", "", "newbie"));
  api_.FailNext("CreateUser", Status::Invalid("nope").WithHttp(400, "r", "model.user"));
  auto report = Apply(plan, Licensed());
  EXPECT_EQ(report.failed, 2);
  EXPECT_EQ(api_.Calls("VerifyUserEmail"), 0);
}

TEST_F(ExecutorServerTest, ReportsAFailedDemoteAfterACreateAsAFullMember) {
  Plan plan;
  plan.actions.push_back(CreateAction("E3", "visitor"));
  Action guest = UserAction(ActionType::kGuest, "E3", "", "visitor");
  guest.roles = "system_guest";
  plan.actions.push_back(guest);
  ServerCapabilities off = Licensed();
  off.guest_accounts_enabled = false;  // what the planner did not know
  auto report = Apply(plan, off);
  EXPECT_EQ(report.ok, 1);
  EXPECT_EQ(report.failed, 1);
  ASSERT_EQ(report.drift.size(), 1u);
  EXPECT_NE(report.drift[0].find("more access than the roster gives"), std::string::npos)
      << report.drift[0];
  EXPECT_EQ(store_.LoadLedger()->at("E3").set_values.at("roles"), "system_user");
}

TEST_F(ExecutorServerTest, DropsProviderOwnedFieldsAfterA409AndRetriesOnce) {
  User u = Seed("samler", "saml");
  ServerCapabilities caps = Licensed();
  caps.saml_owned = {"first_name", "username"};
  api_.set_capabilities(caps);
  Plan plan;
  Action a = UserAction(ActionType::kUpdate, "E2", u.id, "samler");
  a.patch.first_name = "New";
  a.patch.last_name = "Newer";
  a.changes = {{"first_name", "Old", "New"}, {"last_name", "Old", "Newer"}};
  plan.actions.push_back(a);
  auto report = Apply(plan, caps);  // the planner would not have sent it; the 409 comes anyway
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  EXPECT_EQ(api_.Calls("PatchUser"), 2);
  EXPECT_EQ(api_.FindUser(u.id)->last_name, "Newer");
  EXPECT_EQ(api_.FindUser(u.id)->first_name, "Old");
  ASSERT_FALSE(report.drift.empty());
  EXPECT_NE(report.drift[0].find("first_name"), std::string::npos) << report.drift[0];
  auto entry = store_.LoadLedger()->at("E2");
  EXPECT_EQ(entry.set_values.count("first_name"), 0u);
  EXPECT_EQ(entry.set_values.at("last_name"), "Newer");
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].changes.size(), 1u);
}

TEST_F(ExecutorServerTest, DropsTheNamesAndUsernameAfterA409WhenItCannotTellWhichField) {
  User u = Seed("samler", "saml");
  ServerCapabilities caps = Licensed();
  caps.saml_owned = {"last_name"};
  api_.set_capabilities(caps);
  Plan plan;
  Action a = UserAction(ActionType::kUpdate, "E2", u.id, "samler");
  a.patch.last_name = "Newer";
  a.patch.nickname = "nick";
  plan.actions.push_back(a);
  ExecutorOptions options;  // not told what the server allows
  options.run_id = "run-1";
  Executor executor(api_, store_, &sink_, clock_, options);
  auto report = executor.Apply(plan);
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  EXPECT_EQ(api_.FindUser(u.id)->nickname, "nick");
  EXPECT_EQ(api_.FindUser(u.id)->last_name, "Old");
  EXPECT_EQ(api_.Calls("PatchUser"), 2);
}

TEST_F(ExecutorServerTest, RecordsAnEmailTheServerKeepsPendingAndSendsNoVerification) {
  User u = Seed("mover");
  LedgerEntry before;
  before.key = "E9";
  before.user_id = u.id;
  before.set_values = {{"email", "mover@example.com"}, {"email_verified", "true"}};
  ASSERT_TRUE(store_.PutLedgerEntry(before).ok());
  Plan plan;
  Action a = UserAction(ActionType::kUpdate, "E9", u.id, "mover");
  a.patch.email = "mover.new@example.com";
  a.changes = {{"email", "mover@example.com", "mover.new@example.com"}};
  plan.actions.push_back(a);
  plan.actions.push_back(UserAction(ActionType::kVerifyEmail, "E9", u.id, "mover"));
  ServerCapabilities caps = Licensed();
  caps.require_email_verification = true;
  auto report = Apply(plan, caps);
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(api_.Calls("VerifyUserEmail"), 0) << "verify/member would verify the old address";
  EXPECT_EQ(api_.PendingEmail(u.id), "mover.new@example.com");
  auto entry = store_.LoadLedger()->at("E9");
  EXPECT_EQ(entry.set_values.at("email_pending"), "mover.new@example.com");
  EXPECT_EQ(entry.set_values.at("email"), "mover@example.com");
  EXPECT_EQ(entry.set_values.at("email_verified"), "true");
  EXPECT_TRUE(report.drift.empty()) << report.drift[0];
  ASSERT_GE(store_.Audit().size(), 1u);
  EXPECT_NE(store_.Audit()[0].error.find("pending verification by the person"), std::string::npos);
}

TEST_F(ExecutorServerTest, RecordsWhatTheServerStoredAndReportsTheDifference) {
  Plan plan;
  Action create = CreateAction("E1", "Ann.Lee");
  create.new_user.first_name = "Ann\u202E";  // the server strips U+202E
  create.new_user.locale = "xx";            // and replaces an unsupported locale
  plan.actions.push_back(create);
  auto report = Apply(plan, Licensed());
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  auto entry = store_.LoadLedger()->at("E1");
  EXPECT_EQ(entry.set_values.at("username"), "ann.lee");
  EXPECT_EQ(entry.set_values.at("first_name"), "Ann");
  EXPECT_EQ(entry.set_values.at("requested:first_name"), "Ann\u202E");
  EXPECT_EQ(entry.set_values.at("locale"), "en");
  EXPECT_EQ(entry.set_values.at("requested:locale"), "xx");
  ASSERT_EQ(report.drift.size(), 2u);
  EXPECT_NE(report.drift[0].find("first_name"), std::string::npos) << report.drift[0];
  EXPECT_NE(report.drift[1].find("locale"), std::string::npos) << report.drift[1];
}

TEST_F(ExecutorServerTest, TrustsTheAnswerToAPatchInsteadOfAStaleReadBack) {
  User u = Seed("reader");
  Plan plan;
  plan.actions.push_back(UpdateAction("E1", u.id, "reader", "New"));
  // A replica read right after the write still shows the old name.
  api_.FailWhere([&](const std::string& method, const std::string&) -> std::optional<Status> {
    if (method == "GetUser") return Status::Internal("stale replica read");
    return std::nullopt;
  });
  auto report = Apply(plan, Licensed());
  EXPECT_EQ(report.ok, 1);
  EXPECT_EQ(api_.Calls("GetUser"), 0);
  EXPECT_TRUE(report.drift.empty()) << report.drift[0];
}

TEST_F(ExecutorServerTest, ACreateAnsweredExistsNeverDropsTheLedgerEntry) {
  User mine = Seed("jdoe");
  LedgerEntry known;
  known.key = "E1";
  known.user_id = mine.id;
  known.set_values = {{"auth_data", "jdoe@corp"}, {"active", "true"}, {"nickname", "JD"},
                      {"password_reset_sent", "true"}};
  known.reported = {"sso_email"};
  ASSERT_TRUE(store_.PutLedgerEntry(known).ok());
  Plan plan;  // planned from a listing that missed jdoe
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  LedgerEntry fresh;
  fresh.key = "E1";
  plan.ledger_after["E1"] = fresh;
  auto report = Apply(plan, Licensed());
  EXPECT_EQ(report.failed, 1);
  EXPECT_NE(report.outcomes[0].status.ToString().find("already links"), std::string::npos)
      << report.outcomes[0].status.ToString();
  auto ledger = store_.LoadLedger();
  ASSERT_EQ(ledger->count("E1"), 1u);
  EXPECT_EQ(ledger->at("E1"), known);
}

TEST_F(ExecutorServerTest, SaysWhoseAccountAnExistsCreateHit) {
  User other = Seed("jdoe");
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan, Licensed());
  EXPECT_EQ(report.failed, 1);
  EXPECT_NE(report.outcomes[0].status.ToString().find("not linked to E1"), std::string::npos)
      << report.outcomes[0].status.ToString();
  EXPECT_NE(report.outcomes[0].status.ToString().find(other.id), std::string::npos);
}

TEST(GeneratePasswordTest, HoldsEveryClassAtTheLengthThePolicyNeeds) {
  const std::string symbols = " !\"#$%&'()*+,-./:;<=>?@[]^_`|~";
  for (int min : {0, 8, 32, 40, 72, 100}) {
    PasswordPolicy policy;
    policy.min_length = min;
    for (int i = 0; i < 200; ++i) {
      std::string p = GeneratePassword(policy);
      size_t want = static_cast<size_t>(std::min(72, std::max(32, min)));
      ASSERT_EQ(p.size(), want) << min;
      bool lower = false, upper = false, digit = false, symbol = false;
      for (char c : p) {
        lower |= c >= 'a' && c <= 'z';
        upper |= c >= 'A' && c <= 'Z';
        digit |= c >= '0' && c <= '9';
        symbol |= symbols.find(c) != std::string::npos;
      }
      ASSERT_TRUE(lower && upper && digit && symbol) << p;
    }
  }
}

TEST_F(ExecutorServerTest, CreatesUnderAStrictPasswordPolicyAndNeverShowsThePassword) {
  ServerCapabilities caps = Licensed();
  caps.password = PasswordPolicy{40, true, true, true, true};
  Plan plan;
  for (int i = 0; i < 20; ++i) {
    plan.actions.push_back(CreateAction("E" + std::to_string(i), "p" + std::to_string(i)));
  }
  auto report = Apply(plan, caps);
  EXPECT_EQ(report.ok, 20) << report.outcomes[0].status.ToString();
  std::string text = AllText(report);
  for (int i = 0; i < 20; ++i) {
    std::string password = api_.Password(api_.FindByUsername("p" + std::to_string(i))->id);
    ASSERT_EQ(password.size(), 40u);
    EXPECT_EQ(text.find(password), std::string::npos);
  }
}

}  // namespace
}  // namespace rostersync
