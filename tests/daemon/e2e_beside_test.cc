// End to end: the CLI beside a running `rostersync run` on the default SQLite store.
// status, audit and plan read beside it; sync and sync-user are handed to the service over
// its admin endpoint (with the admin token) and print what they print when run directly.
#include <gtest/gtest.h>

#include <optional>
#include <signal.h>

#include <chrono>
#include <functional>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

class E2eBesideServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = SeededEmulator(dir_);
    ASSERT_TRUE(emu_->ok());
    dir_.Write("roster.csv", RosterCsv(kE2eRoster));
    dir_.Write("admin-token", "beside-admin-token\n");
    c_.url = emu_->url();
    c_.admin_port = FreePort();
    c_.extra = "  token_file: " + dir_.File("admin-token") + "\n";
    config_ = WriteConfig(dir_, c_);
    run_ = StartService(config_, dir_.File("run.log"), c_.admin_port);
    ASSERT_NE(run_, nullptr) << TempDir::Read(dir_.File("run.log"));
    ASSERT_TRUE(Eventually([&] {
      return FindEmuUser(emu_->Get("/__emu/state"), "alice") != std::nullopt;
    })) << TempDir::Read(dir_.File("run.log"));
    // Wait for the first cycle to be recorded.
    ASSERT_TRUE(Eventually([&] {
      CliRun s = RunRostersync(dir_, {"--config", config_, "status"});
      return s.exit_code == 0 && s.out.find("run ") != std::string::npos;
    }));
  }
  void TearDown() override {
    if (run_) run_->Signal(SIGTERM, true);
  }
  CliRun Cli(const std::vector<std::string>& args) {
    std::vector<std::string> all{"--config", config_};
    all.insert(all.end(), args.begin(), args.end());
    return RunRostersync(dir_, all);
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  E2eConfig c_;
  std::string config_;
  std::unique_ptr<ChildProcess> run_;
};

TEST_F(E2eBesideServiceTest, StatusAuditAndPlanWorkWhileTheServiceRuns) {
  CliRun status = Cli({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("run "), std::string::npos) << status.out;
  EXPECT_EQ(status.err.find("in use"), std::string::npos) << status.err;
  CliRun audit = Cli({"audit", "--user", "alice"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("alice"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find("bob"), std::string::npos) << audit.out;
  CliRun plan = Cli({"plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;  // nothing to change
  EXPECT_EQ(plan.err.find("in use"), std::string::npos) << plan.err;
}

TEST_F(E2eBesideServiceTest, SyncAndSyncUserAreHandedToTheServiceWithTheSameOutput) {
  auto roster = kE2eRoster;
  roster.push_back({"E8", "hank", "hank@example.com", "Hank", "Hill", "active"});
  roster.push_back({"E9", "ivy", "ivy@example.com", "Ivy", "Irons", "active"});
  // Written in place without a rename, and the service's watch may fire: either way the CLI
  // must succeed (exit 0) and never say the database is in use.
  dir_.Write("roster.csv", RosterCsv(roster));
  CliRun one = Cli({"sync-user", "E8"});
  EXPECT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_NE(one.out.find("Applied "), std::string::npos) << one.out << one.err;
  EXPECT_EQ(one.err.find("in use"), std::string::npos) << one.err;
  EXPECT_NE(FindEmuUser(emu_->Get("/__emu/state"), "hank"), std::nullopt);

  CliRun all = Cli({"sync"});
  EXPECT_EQ(all.exit_code, 0) << all.out << all.err;
  EXPECT_NE(all.out.find("Applied "), std::string::npos) << all.out << all.err;
  EXPECT_NE(FindEmuUser(emu_->Get("/__emu/state"), "ivy"), std::nullopt);

  CliRun json = Cli({"sync", "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out.rfind("{\"run_id\"", 0), 0u) << json.out;

  // An unknown key: the same note and exit code as run directly.
  CliRun missing = Cli({"sync-user", "NOPE"});
  EXPECT_EQ(missing.exit_code, 0) << missing.out << missing.err;
  EXPECT_NE(missing.out.find("NOPE is neither in the roster nor in the ledger"), std::string::npos)
      << missing.out;

  CliRun audit = Cli({"audit", "--user", "hank"});
  EXPECT_NE(audit.out.find("hank"), std::string::npos) << audit.out;
}

TEST_F(E2eBesideServiceTest, AHandedOffSyncKeepsTheHeldExitCodeAndPlan) {
  auto roster = kE2eRoster;
  roster[1][5] = "terminated";  // bob and carol leave: 2 > policy.max_deactivations=1
  roster[2][5] = "terminated";
  dir_.Write("roster.csv", RosterCsv(roster));
  CliRun sync = Cli({"sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  EXPECT_NE(sync.out.find("held"), std::string::npos) << sync.out;
  EXPECT_NE(sync.err.find("handing the sync"), std::string::npos) << sync.err;
  for (const char* name : {"bob", "carol"}) {
    std::optional<EmuUser> u = FindEmuUser(emu_->Get("/__emu/state"), name);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->delete_at, 0) << name;
  }
}

}  // namespace
}  // namespace rostersync::testing
