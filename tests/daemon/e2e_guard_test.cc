// End to end: the guards hold against per-key syncs. The deactivation budget is shared by
// every cycle within schedule.interval, and POST /v1/users/{key}/sync does not count toward
// the cycle-count grace policy.deactivate_after.
#include <gtest/gtest.h>

#include <optional>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

class E2eGuardTest : public ::testing::Test {
 protected:
  // Starts `run` with five people (policy lines replaced by `policy`) and waits for them.
  void StartWith(const std::string& policy) {
    emu_ = SeededEmulator(dir_);
    ASSERT_TRUE(emu_->ok());
    roster_ = kE2eRoster;
    roster_.push_back({"E4", "dave", "dave@example.com", "Dave", "Dunn", "active"});
    roster_.push_back({"E5", "erin", "erin@example.com", "Erin", "Evans", "active"});
    dir_.Write("roster.csv", RosterCsv(roster_));
    E2eConfig c;
    c.url = emu_->url();
    port_ = c.admin_port = FreePort();
    c.extra = "logging:\n  level: info\n";
    std::string config = WriteConfig(dir_, c);
    dir_.Write("config.yaml",
               Replace(TempDir::Read(config), "  max_deactivations: 1\n", policy));
    run_ = StartService(config, Log(), port_);
    ASSERT_NE(run_, nullptr) << TempDir::Read(Log());
    ASSERT_TRUE(Eventually([&] { return CountOf(TempDir::Read(Log()), "sync ok") >= 1; }))
        << TempDir::Read(Log());
  }
  void TearDown() override {
    if (run_) run_->Signal(SIGTERM, true);
  }
  std::string Log() const { return dir_.File("run.log"); }
  // Bob, carol and dave leave: dropped from the roster, or (terminate) kept with status
  // terminated (a trusted roster: same size). Atomic rewrite; waits for that cycle.
  void DropThree(bool terminate) {
    int cycles = CountOf(TempDir::Read(Log()), "cycle 2");
    auto rows = roster_;
    if (terminate) {
      for (int i = 1; i <= 3; ++i) rows[i][5] = "terminated";
    } else {
      rows.erase(rows.begin() + 1, rows.begin() + 4);
    }
    dir_.Write("roster.csv.tmp", RosterCsv(rows));
    ASSERT_EQ(std::rename(dir_.File("roster.csv.tmp").c_str(), dir_.File("roster.csv").c_str()),
              0);
    ASSERT_TRUE(Eventually([&] { return CountOf(TempDir::Read(Log()), "cycle 2") > cycles; }))
        << TempDir::Read(Log());
  }
  int Deactivated() {
    int n = 0;
    for (const EmuUser& u : ParseEmuUsers(emu_->Get("/__emu/state"))) n += u.delete_at > 0;
    return n;
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<ChildProcess> run_;
  std::vector<std::vector<std::string>> roster_;
  int port_ = 0;
};

TEST_F(E2eGuardTest, PerKeySyncsShareTheDeactivationBudgetOfTheWindow) {
  StartWith("  max_deactivations: 1\n");
  DropThree(/*terminate=*/true);  // 3 deactivations > 1: the full cycle holds them
  EXPECT_EQ(Deactivated(), 0) << TempDir::Read(Log());
  for (const std::string key : {"E2", "E3", "E4"}) {
    EXPECT_EQ(HttpPost(port_, "/v1/users/" + key + "/sync"), 200);
  }
  EXPECT_LE(Deactivated(), 1) << "one key at a time bypassed max_deactivations\n"
                              << TempDir::Read(Log());
}

// /v1/status and /v1/runs show the same run: both are RunRecordFor(result) (before, the
// service rebuilt it by hand and said "run" for a per-key sync the store kept as "sync-user").
TEST_F(E2eGuardTest, StatusAndRunsAgreeThatAPerKeySyncWasOne) {
  StartWith("  max_deactivations: 10\n");
  ASSERT_EQ(HttpPost(port_, "/v1/users/E2/sync"), 200);
  const std::string status = HttpGet(port_, "/v1/status").second;
  const std::string runs = HttpGet(port_, "/v1/runs").second;
  const auto last_run = status.find("\"last_run\":");
  ASSERT_NE(last_run, std::string::npos) << status;
  EXPECT_NE(status.find("\"command\":\"sync-user\"", last_run), std::string::npos) << status;
  EXPECT_EQ(status.find("\"command\":\"run\"", last_run), std::string::npos) << status;
  // Newest first: the per-key sync heads the list.
  const auto first = runs.find("\"command\":");
  ASSERT_NE(first, std::string::npos) << runs;
  const std::string sync_user = "\"command\":\"sync-user\"";
  EXPECT_EQ(runs.compare(first, sync_user.size(), sync_user), 0) << runs;
}

TEST_F(E2eGuardTest, PerKeySyncsDoNotBurnTheCycleCountGrace) {
  StartWith("  max_deactivations: 10\n  deactivate_after: 2\n");
  DropThree(/*terminate=*/false);  // scheduled sighting 1 of the 3 needed
  for (int i = 0; i < 4; ++i) EXPECT_EQ(HttpPost(port_, "/v1/users/E2/sync"), 200);
  std::optional<EmuUser> bob = FindEmuUser(emu_->Get("/__emu/state"), "bob");
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->delete_at, 0) << "on-demand syncs counted as grace cycles\n"
                               << TempDir::Read(Log());
}

}  // namespace
}  // namespace rostersync::testing
