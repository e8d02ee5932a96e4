// Several cycles against a FakeUsersApi that behaves like a real server under its settings:
// plan (told the ServerCapabilities), apply, plan again. Each setting must converge: the
// second and third cycles send no write and change no ledger entry.
#include <gtest/gtest.h>

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
  return r;
}

class ServerCyclesTest : public ::testing::Test {
 protected:
  ServerCyclesTest() {
    caps_.known = true;
    caps_.licensed = caps_.license_guest_accounts = caps_.guest_accounts_enabled = true;
    options_.policy.max_deactivations = Threshold{true, 100};
    api_.set_now_ms(kNow);
  }
  // One cycle: plan from the server and the stored ledger, apply. Returns the plan.
  Plan Cycle(ExecutionReport* report = nullptr) {
    api_.set_capabilities(caps_);
    auto users = api_.ListAllUsers();
    auto ledger = store_.LoadLedger();
    EXPECT_TRUE(users.ok() && ledger.ok());
    PlannerInput in;
    in.roster = &roster_;
    in.users = &*users;
    in.ledger = &*ledger;
    in.self_user_id = "me";
    in.now_ms = kNow;
    in.capabilities = &caps_;
    Plan plan = MakePlan(in, options_);
    ExecutorOptions eo;
    eo.run_id = "run-" + std::to_string(++runs_);
    eo.capabilities = caps_;
    Executor executor(api_, store_, &sink_, clock_, eo);
    ExecutionReport r = executor.Apply(plan);
    if (report != nullptr) *report = r;
    return plan;
  }
  // Two more cycles write nothing and leave the ledger alone.
  void ExpectSettled() {
    for (int i = 0; i < 2; ++i) {
      api_.ResetCounters();
      Ledger before = *store_.LoadLedger();
      Plan plan = Cycle();
      EXPECT_EQ(api_.Writes(), 0) << "cycle " << i + 2 << ": " << plan.actions.size()
                                  << " actions, first "
                                  << (plan.actions.empty() ? "" : ActionName(plan.actions[0].type));
      EXPECT_TRUE(plan.ledger_after.empty()) << "cycle " << i + 2;
      EXPECT_EQ(*store_.LoadLedger(), before);
    }
  }
  User Seed(const std::string& username, const std::string& auth_service = "") {
    User u;
    u.username = username;
    u.email = username + "@example.com";
    u.first_name = "First";
    u.last_name = username;
    u.auth_service = auth_service;
    u.email_verified = true;
    return api_.AddUser(u);
  }
  void Link(const std::string& key, const User& u) {
    LedgerEntry e;
    e.key = key;
    e.user_id = u.id;
    e.set_values = {{"email_verified", "true"}, {"active", "true"}};
    ASSERT_TRUE(store_.PutLedgerEntry(e).ok());
  }

  ServerCapabilities caps_;
  FakeUsersApi api_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{kNow};
  PlannerOptions options_;
  Roster roster_;
  int runs_ = 0;
};

TEST_F(ServerCyclesTest, AnEmailChangePendingVerificationIsSentOnceAndClearsWhenVerified) {
  caps_.require_email_verification = true;
  User u = Seed("mover");
  Link("E1", u);
  RosterEntry row = Row("E1", "mover");
  row.email = "mover.new@example.com";
  roster_.entries = {row};
  ExecutionReport report;
  Plan first = Cycle(&report);
  ASSERT_EQ(first.actions.size(), 1u) << "no verify_email: it would verify the old address";
  EXPECT_EQ(first.actions[0].detail, "new email pending verification by the person");
  EXPECT_EQ(report.ok, 1);
  EXPECT_EQ(api_.PendingEmail(u.id), "mover.new@example.com");
  ExpectSettled();
  bool said = false;
  for (const auto& n : Cycle().notices)
    said |= n.find("pending verification by the person") != std::string::npos;
  EXPECT_TRUE(said);

  api_.ConfirmPendingEmail(u.id);  // the person follows the link
  Plan after = Cycle();
  EXPECT_TRUE(after.actions.empty());
  auto entry = store_.LoadLedger()->at("E1");
  EXPECT_EQ(entry.set_values.count("email_pending"), 0u);
  EXPECT_EQ(entry.set_values.at("email"), "mover.new@example.com");
  ExpectSettled();
}

TEST_F(ServerCyclesTest, ANameTheServerCleansAndAnUnsupportedLocaleAreSentOnce) {
  RosterEntry row = Row("E1", "ann");
  row.first_name = "Ann\u202E";
  row.locale = "xx";
  roster_.entries = {row, Row("E2", "bob")};
  User bob = Seed("bob");
  Link("E2", bob);
  roster_.entries[1].last_name = "Bob\u2028";
  ExecutionReport report;
  Cycle(&report);
  EXPECT_EQ(report.failed, 0);
  EXPECT_EQ(report.drift.size(), 3u);  // ann's first_name and locale, bob's last_name
  ExpectSettled();
}

TEST_F(ServerCyclesTest, AGuestIsNeverCreatedAsAMemberWhereTheServerHasNoGuests) {
  caps_.guest_accounts_enabled = false;
  RosterEntry row = Row("E123", "gina");
  row.role = Role::kGuest;
  roster_.entries = {row};
  ExecutionReport report;
  Plan first = Cycle(&report);
  EXPECT_EQ(report.held, 1);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_FALSE(api_.FindByUsername("gina").has_value());
  ExpectSettled();
}

TEST_F(ServerCyclesTest, ProviderOwnedFieldsAreNeverPatchedAndNoticedOncePerField) {
  caps_.saml_owned = {"first_name", "username"};
  for (const char* name : {"s1", "s2", "s3"}) {
    User u = Seed(name, "saml");
    std::string key = std::string("K") + name;
    Link(key, u);
    RosterEntry row = Row(key, name);
    row.first_name = "Roster";  // differs; the provider owns it
    roster_.entries.push_back(row);
  }
  roster_.entries[0].role = Role::kAdmin;  // an unrelated change still happens
  options_.scope.manage_system_admins = true;
  ExecutionReport report;
  Plan first = Cycle(&report);
  EXPECT_EQ(api_.Calls("PatchUser"), 0);
  EXPECT_EQ(report.ok, 1);
  int notices = 0;
  for (const auto& n : first.notices)
    notices += n.find("first_name is set by the identity provider") != std::string::npos;
  EXPECT_EQ(notices, 1);
  ExpectSettled();
}

}  // namespace
}  // namespace rostersync
