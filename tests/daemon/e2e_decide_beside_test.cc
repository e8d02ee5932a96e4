// End to end: `rostersync approve|reject` beside a running `rostersync run` (the real binary,
// mm-emulator). The decision is handed to the service over its admin endpoint; the CLI prints
// one human line (what was decided, how many held actions applied) and, with --json, the
// service's JSON answer; the audit record names the admin token as who decided (user_id).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

class E2eDecideBesideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    emu_ = SeededEmulator(dir_);
    ASSERT_TRUE(emu_->ok());
    WriteRoster(45);
    dir_.Write("admin-token", "decide-beside-admin-token\n");
    E2eConfig c;
    c.url = emu_->url();
    c.admin_port = FreePort();
    c.extra = "  token_file: " + dir_.File("admin-token") + "\n";
    config_ = WriteConfig(dir_, c);
    run_ = StartService(config_, Log(), c.admin_port);
    ASSERT_NE(run_, nullptr) << TempDir::Read(Log());
    ASSERT_TRUE(Eventually([&] {
      CliRun s = Cli({"status"});
      return s.exit_code == 0 && s.out.find("run ") != std::string::npos;
    })) << TempDir::Read(Log());
  }
  void TearDown() override {
    if (run_) run_->Signal(SIGTERM, true);
  }
  std::string Log() const { return dir_.File("run.log"); }
  CliRun Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_});
    return RunRostersync(dir_, args);
  }
  void WriteRoster(int rows) {
    dir_.Write("roster.csv.tmp", RosterCsv(NumberedPeople(rows)));
    ASSERT_EQ(std::rename(dir_.File("roster.csv.tmp").c_str(), dir_.File("roster.csv").c_str()),
              0);
  }
  // Truncates the roster to `rows` and syncs through the service: the deactivations are held.
  std::string Hold(int rows) {
    WriteRoster(rows);
    CliRun held = Cli({"sync"});
    EXPECT_EQ(held.exit_code, 4) << held.out << held.err;
    std::string id;
    EXPECT_TRUE(Eventually([&] { return (id = HeldId(Cli({"held", "--json"}).out)).size() == 16; }))
        << Cli({"held", "--json"}).out;
    return id;
  }

  TempDir dir_;
  std::unique_ptr<Emulator> emu_;
  std::unique_ptr<ChildProcess> run_;
  std::string config_;
};

TEST_F(E2eDecideBesideTest, ApprovePrintsAHumanLineAndTheAuditNamesTheAdminToken) {
  const std::string id = Hold(5);
  ASSERT_EQ(id.size(), 16u);
  CliRun approve = Cli({"approve", id});
  EXPECT_EQ(approve.exit_code, 0) << approve.out << approve.err;
  EXPECT_NE(approve.out.find("rostersync approve: approved held set " + id), std::string::npos)
      << approve.out;
  EXPECT_NE(approve.out.find("40 of 40 held action(s) applied"), std::string::npos)
      << approve.out;
  EXPECT_EQ(approve.out.find('{'), std::string::npos) << approve.out;  // not the raw JSON
  CliRun again = Cli({"approve", id});  // refused: a human line on stderr, exit 5
  EXPECT_EQ(again.exit_code, 5) << again.out << again.err;
  EXPECT_NE(again.err.find("rostersync approve: approval refused"), std::string::npos)
      << again.err;
  EXPECT_NE(again.err.find("already approved by admin-token"), std::string::npos) << again.err;
  EXPECT_EQ(again.err.find('{'), std::string::npos) << again.err;
  CliRun audit = Cli({"audit", "--json"});
  EXPECT_NE(audit.out.find("\"action\":\"approve\""), std::string::npos) << audit.out;
  EXPECT_NE(audit.out.find("\"user_id\":\"admin-token\""), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find("\"user_id\":\"\""), std::string::npos) << audit.out;
}

TEST_F(E2eDecideBesideTest, RejectWithJsonPrintsTheServicesAnswer) {
  const std::string id = Hold(5);
  ASSERT_EQ(id.size(), 16u);
  CliRun reject = Cli({"reject", id, "--json"});
  EXPECT_EQ(reject.exit_code, 0) << reject.out << reject.err;
  EXPECT_EQ(reject.out.rfind("{\"held_id\":\"" + id + "\",\"decision\":\"rejected\"", 0), 0u)
      << reject.out;
  CliRun human = Cli({"reject", id});
  EXPECT_EQ(human.exit_code, 5) << human.out << human.err;
  EXPECT_NE(human.err.find("already rejected"), std::string::npos) << human.err;
}

}  // namespace
}  // namespace rostersync::testing
