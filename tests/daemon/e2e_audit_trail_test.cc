// End to end: the audit trail an admin reads. A held deactivation is recorded once, not every
// cycle; `audit --user` finds a renamed person by any username or email they had.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

class E2eAuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = SeededEmulator(dir_);
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start: " << EmulatorBinary();
    dir_.Write("roster.csv", RosterCsv(kE2eRoster));
    E2eConfig c;
    c.url = emu_->url();
    config_ = WriteConfig(dir_, c);  // policy.max_deactivations: 1
    ASSERT_EQ(Sync().exit_code, 0);
  }
  CliRun Sync() { return RunRostersync(dir_, {"--config", config_, "sync"}); }
  CliRun Audit(const std::string& user) {
    return RunRostersync(dir_, {"--config", config_, "audit", "--json", "--user", user});
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::string config_;
};

TEST_F(E2eAuditTrailTest, HeldDeactivationsAreAuditedOnceNotEveryCycle) {
  auto rows = kE2eRoster;
  rows[0][5] = "terminated";  // two deactivations > max_deactivations=1: held
  rows[1][5] = "terminated";
  dir_.Write("roster.csv", RosterCsv(rows));
  for (int cycle = 0; cycle < 4; ++cycle) {
    CliRun sync = Sync();
    EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  }
  CliRun all = RunRostersync(dir_, {"--config", config_, "audit", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(CountOf(all.out, "\"result\":\"held\""), 2) << all.out;
}

TEST_F(E2eAuditTrailTest, AuditUserFindsARenamedPersonByEveryNameTheyHad) {
  auto rows = kE2eRoster;
  rows[0][1] = "alice.archer";  // E1: alice -> alice.archer
  dir_.Write("roster.csv", RosterCsv(rows));
  CliRun sync = Sync();
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  for (const std::string name : {"alice", "ALICE", "alice.archer", "Alice@Example.com"}) {
    CliRun audit = Audit(name);
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    EXPECT_EQ(CountOf(audit.out, "\"action\":\"create\""), 1) << name << "\n" << audit.out;
    EXPECT_GE(CountOf(audit.out, "\"username\":\"alice.archer\""), 1) << name << "\n" << audit.out;
    EXPECT_EQ(CountOf(audit.out, "\"key\":\"E2\""), 0) << name << "\n" << audit.out;
  }
}

TEST_F(E2eAuditTrailTest, AuditEndpointFindsARenamedPersonByAnOldEmail) {
  auto rows = kE2eRoster;
  rows[0][1] = "alice.archer";
  dir_.Write("roster.csv", RosterCsv(rows));
  ASSERT_EQ(Sync().exit_code, 0);
  E2eConfig c;
  c.url = emu_->url();
  c.admin_port = FreePort();
  std::string config = WriteConfig(dir_, c);
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, dir_.File("run.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(dir_.File("run.log"));
  auto [status, body] = HttpGet(c.admin_port, "/v1/audit?user=ALICE%40example.com");
  EXPECT_EQ(status, 200) << body;
  EXPECT_EQ(CountOf(body, "\"action\":\"create\""), 1) << body;
  EXPECT_GE(CountOf(body, "\"username\":\"alice.archer\""), 1) << body;
  EXPECT_EQ(CountOf(body, "\"key\":\"E2\""), 0) << body;
  run.Signal(SIGTERM, true);
}

}  // namespace
}  // namespace rostersync::testing
