// CycleRunner against FakeUsersApi + MemoryStateStore: what the server allows is read every
// cycle (and a failure to read it applies nothing), and an id the ledger knows but the
// listing lacks is confirmed with POST /users/ids before the planner sees it as gone, a
// planned create's absence is confirmed (POST /users/usernames, then by email) before it is
// applied, and a roster file still being written is waited for (roster.csv.settle).
#include "daemon/cycle.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "config/config_loader.h"
#include "tests/daemon/runner_config.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"
#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
namespace {

using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;
using ::rostersync::testing::TempDir;

constexpr int64_t kNow = 1'795'953'600'000;  // 2026-11-29T12:00:00Z

class CycleTest : public ::testing::Test {
 protected:
  Config MakeConfig(const std::string& roster_csv, const std::string& settle = "0s") {
    return ::rostersync::testing::RunnerConfig(dir_, roster_csv, ", settle: " + settle,
                                               "  max_deactivations: 100%\n");
  }
  CycleResult Run(const std::string& roster_csv, bool apply = true) {
    CycleRunner runner(MakeConfig(roster_csv), &api_, &store_, nullptr, env_);
    CycleRequest request;
    request.apply = apply;
    return runner.Run(request);
  }

  TempDir dir_;
  FakeUsersApi api_;
  MemoryStateStore store_;
  FakeEnv env_{kNow};
};

constexpr char kHeader[] = "employee_id,username,email,role\n";

TEST_F(CycleTest, FailsAtServerAndAppliesNothingWhenTheCapabilitiesCannotBeRead) {
  api_.FailNext("GetServerCapabilities", Status::Transient("HTTP 503 after retries"));
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n");
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.stage, "server");
  EXPECT_NE(r.status.ToString().find("allows"), std::string::npos) << r.status.ToString();
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_EQ(api_.Calls("ListAllUsers"), 0);
}

TEST_F(CycleTest, PutsTheCapabilitiesInTheResultAndPlansWithinThem) {
  ServerCapabilities caps;
  caps.known = true;
  caps.version = "10.2.0";
  caps.require_email_verification = true;
  api_.set_capabilities(caps);  // unlicensed, guests off
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n"
                                              "E2,gina,gina@example.com,guest\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.capabilities, caps);
  EXPECT_TRUE(api_.FindByUsername("alice").has_value());
  EXPECT_FALSE(api_.FindByUsername("gina").has_value()) << "a guest row became a member";
  EXPECT_EQ(r.report.held, 1);
  EXPECT_EQ(r.exit_code, 4);
}

TEST_F(CycleTest, ConfirmsALedgerIdTheListingMissedInsteadOfDroppingIt) {
  User leaver;
  leaver.username = "leo";
  leaver.email = "leo@example.com";
  leaver = api_.AddUser(leaver);
  LedgerEntry entry;
  entry.key = "E9";
  entry.user_id = leaver.id;
  entry.set_values = {{"active", "true"}};
  ASSERT_TRUE(store_.PutLedgerEntry(entry).ok());
  api_.HideFromListing(leaver.id);  // a rename between page reads moved it across a page
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(api_.Calls("GetUsersByIds"), 1);
  ASSERT_EQ(store_.LoadLedger()->count("E9"), 1u) << "an unconfirmed absence dropped the entry";
  EXPECT_FALSE(api_.FindUser(leaver.id)->active()) << "the leaver was not deactivated";
}

TEST_F(CycleTest, DropsALedgerEntryOnlyWhenTheServerConfirmsTheAccountIsGone) {
  LedgerEntry entry;
  entry.key = "E9";
  entry.user_id = "deleted-id";
  ASSERT_TRUE(store_.PutLedgerEntry(entry).ok());
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(api_.Calls("GetUsersByIds"), 1);
  EXPECT_EQ(store_.LoadLedger()->count("E9"), 0u);
}

TEST_F(CycleTest, AppliesNothingWhenConfirmingAbsencesFails) {
  LedgerEntry entry;
  entry.key = "E9";
  entry.user_id = "missing-id";
  ASSERT_TRUE(store_.PutLedgerEntry(entry).ok());
  api_.FailNext("GetUsersByIds", Status::Transient("HTTP 503 after retries"));
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n");
  EXPECT_EQ(r.stage, "server");
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_EQ(store_.LoadLedger()->count("E9"), 1u);
}

// A scheduled cycle must not read an export that is still being written (truncated, then
// written slowly): it waits until the file is roster.csv.settle old. Real time, settle 1 s.
TEST_F(CycleTest, WaitsForARosterStillBeingWrittenInsteadOfReadingHalfOfIt) {
  std::string head = kHeader, tail;
  for (int i = 0; i < 40; ++i) {
    const std::string n = "p" + std::to_string(i);
    (i < 10 ? head : tail) += "E" + std::to_string(i) + "," + n + "," + n + "@example.com,member\n";
  }
  ASSERT_TRUE(Run(head + tail).status.ok());
  ASSERT_EQ(api_.Calls("CreateUser"), 40);
  // The exporter truncates the file and writes its first rows; the rest comes 300 ms later.
  // Real time: the settle wait compares the file's modification time with the Env's clock.
  CycleRunner runner(MakeConfig(head, "1s"), &api_, &store_, nullptr, Env::Default());
  const std::string path = dir_.File("roster.csv");
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::ofstream(path, std::ios::app) << tail;
  });
  CycleRequest request;
  request.apply = true;
  const auto start = std::chrono::steady_clock::now();
  CycleResult r = runner.Run(request);
  writer.join();
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(api_.Calls("DeactivateUser"), 0) << "the half-written roster was read";
  EXPECT_EQ(r.plan.roster_rows, 40);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1'000));
}

// The runner's Env is the cycle's clock and the settle wait's sleeper: a file modified "in
// the future" of a FakeEnv is waited for on fake sleeps (none real), then read whole.
TEST_F(CycleTest, SleepsTheSettleWaitOnTheRunnersEnv) {
  const std::string csv = std::string(kHeader) + "E1,alice,alice@example.com,member\n";
  CycleRunner runner(MakeConfig(csv, "1s"), &api_, &store_, nullptr, env_);
  CycleRequest request;
  request.apply = true;
  const auto start = std::chrono::steady_clock::now();
  CycleResult r = runner.Run(request);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 1);
  int64_t slept = 0;
  for (int64_t ms : env_.sleeps()) slept += ms;
  EXPECT_GE(slept, 1'000) << "the settle wait slept on the runner's Env";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  EXPECT_EQ(r.started_ms, kNow);
}

// The listing skew of a busy server (a rename moving rows across a page boundary) can hide
// an account the roster already has: creating it would fail "email exists" (exit 3).
TEST_F(CycleTest, AdoptsAnAccountTheListingMissedInsteadOfCreatingIt) {
  User alice;
  alice.username = "alice";
  alice.email = "alice@example.com";
  alice = api_.AddUser(alice);
  api_.HideFromListing(alice.id);
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 0) << "a create acted on an unconfirmed absence";
  EXPECT_EQ(api_.Calls("GetUsersByUsernames"), 1);
  EXPECT_EQ(r.report.failed, 0);
  EXPECT_NE(r.exit_code, 3);
  Result<Ledger> ledger = store_.LoadLedger();
  ASSERT_TRUE(ledger.ok());
  ASSERT_EQ(ledger->count("E1"), 1u);
  EXPECT_EQ(ledger->at("E1").user_id, alice.id);
}

TEST_F(CycleTest, FindsAMissedAccountByEmailWhenItsUsernameDiffers) {
  User old;
  old.username = "alice.old";
  old.email = "alice@example.com";
  old = api_.AddUser(old);
  api_.HideFromListing(old.id);
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(api_.Calls("GetUserByEmail"), 1);
  EXPECT_EQ(api_.Calls("CreateUser"), 0) << "a create acted on an unconfirmed absence";
  EXPECT_EQ(r.report.failed, 0);
  EXPECT_FALSE(api_.FindByUsername("alice").has_value() &&
               api_.FindByUsername("alice")->id != old.id);
}

TEST_F(CycleTest, CreatesAfterConfirmingAbsenceInBatchesAndBoundsEmailLookups) {
  std::string roster = kHeader;
  for (int i = 0; i < 120; ++i) {
    const std::string n = "p" + std::to_string(i);
    roster += "E" + std::to_string(i) + "," + n + "," + n + "@example.com,member\n";
  }
  CycleResult r = Run(roster);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(api_.Calls("GetUsersByUsernames"), 2) << "120 usernames in chunks of 100";
  EXPECT_EQ(api_.Calls("GetUserByEmail"), 50) << "at most 50 email lookups a cycle";
  EXPECT_EQ(api_.Calls("CreateUser"), 120);
  EXPECT_EQ(r.report.failed, 0);
}

TEST_F(CycleTest, AppliesNothingWhenConfirmingACreateFails) {
  api_.FailNext("GetUsersByUsernames", Status::Transient("HTTP 503 after retries"));
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n");
  EXPECT_EQ(r.stage, "server");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(api_.Writes(), 0);
}

}  // namespace
}  // namespace rostersync::daemon

namespace rostersync::daemon {
namespace {

// A server where guests are unavailable holds the guest row's create on every cycle: the
// roster still becomes the accepted baseline, so the "roster shrank" check arms.
TEST_F(CycleTest, APermanentGuestsHoldStillAcceptsTheRosterAsBaseline) {
  ServerCapabilities caps;
  caps.known = true;
  caps.version = "10.2.0";
  api_.set_capabilities(caps);  // unlicensed, guests off
  CycleResult r = Run(std::string(kHeader) + "E1,alice,alice@example.com,member\n"
                                              "E2,gina,gina@example.com,guest\n");
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_FALSE(r.plan.holds.empty());
  EXPECT_EQ(r.plan.holds[0].guard, "guests_unavailable");
  Result<std::optional<RosterFingerprint>> last = store_.LastAcceptedRoster();
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->rows, 2);
}

}  // namespace
}  // namespace rostersync::daemon

namespace rostersync::daemon {
namespace {

// The runner keeps the snapshot between its cycles (a new runner, as after a reload or in
// a new process, starts with a full cycle), and RequestFullCycle (sync --full, POST
// /v1/sync?full=true) makes the next whole-roster cycle full.
TEST_F(CycleTest, TheRunnersSecondCycleIsIncrementalAndAFullOneCanBeRequested) {
  CycleRunner runner(MakeConfig(std::string(kHeader) + "E1,alice,alice@example.com,member\n"),
                     &api_, &store_, nullptr, env_);
  CycleRequest request;
  request.apply = true;
  auto run = [&] {
    env_.Advance(60'000);
    api_.set_now_ms(env_.NowMs());
    return runner.Run(request);
  };
  EXPECT_EQ(run().cycle_kind, "full");
  EXPECT_EQ(run().cycle_kind, "incremental");
  runner.RequestFullCycle();
  EXPECT_EQ(run().cycle_kind, "full");
  EXPECT_EQ(run().cycle_kind, "incremental");
  CycleRunner reloaded(runner.config(), &api_, &store_, nullptr, env_);
  env_.Advance(60'000);
  EXPECT_EQ(reloaded.Run(request).cycle_kind, "full");
}

}  // namespace
}  // namespace rostersync::daemon
