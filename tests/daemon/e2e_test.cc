// End to end: the real rostersync binary against mm-emulator (issue 2's walking skeleton).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

class E2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = dir_.Write("seed.json", kE2eSeed);
    emu_ = std::make_unique<Emulator>(std::vector<std::string>{"--seed", seed_});
    ASSERT_TRUE(emu_->ok()) << "mm-emulator did not start: " << EmulatorBinary();
    dir_.Write("roster.csv", RosterCsv(kE2eRoster));
  }
  std::vector<EmuUser> Users() { return ParseEmuUsers(emu_->Get("/__emu/state")); }

  TempDir dir_;
  std::string seed_;
  std::unique_ptr<Emulator> emu_;
};

TEST_F(E2eTest, SyncMakesTheServerHoldExactlyTheRosterThenPlanAndSyncAreNoOps) {
  E2eConfig c;
  c.url = emu_->url();
  std::string config = WriteConfig(dir_, c);
  std::vector<EmuUser> before = Users();
  const EmuUser* bot_before = FindUser(before, "build-bot");
  const EmuUser* admin_before = FindUser(before, "admin");
  ASSERT_NE(bot_before, nullptr);
  ASSERT_NE(admin_before, nullptr);

  CliRun plan = RunRostersync(dir_, {"--config", config, "plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("alice"), std::string::npos) << plan.out;
  EXPECT_EQ(ChangingRequests(*emu_), 0) << "plan must not write";

  CliRun sync = RunRostersync(dir_, {"--config", config, "sync"});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;

  std::vector<EmuUser> after = Users();
  std::set<std::string> active_humans;
  for (const EmuUser& u : after) {
    if (!u.is_bot && u.delete_at == 0 && u.username != "admin") active_humans.insert(u.username);
  }
  EXPECT_EQ(active_humans, (std::set<std::string>{"alice", "bob", "carol"}));
  const EmuUser* carol = FindUser(after, "carol");
  ASSERT_NE(carol, nullptr);
  EXPECT_EQ(carol->last_name, "Cooper");  // adopted and updated, not duplicated
  const EmuUser* bot = FindUser(after, "build-bot");
  const EmuUser* admin = FindUser(after, "admin");
  ASSERT_NE(bot, nullptr);
  ASSERT_NE(admin, nullptr);
  EXPECT_EQ(bot->update_at, bot_before->update_at);
  EXPECT_EQ(bot->delete_at, 0);
  EXPECT_EQ(admin->update_at, admin_before->update_at);
  EXPECT_EQ(admin->roles, admin_before->roles);

  CliRun again = RunRostersync(dir_, {"--config", config, "plan", "--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("No changes."), std::string::npos) << again.out;

  long writes = ChangingRequests(*emu_);
  ASSERT_GE(writes, 0);
  CliRun second = RunRostersync(dir_, {"--config", config, "sync"});
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(ChangingRequests(*emu_), writes) << "an idempotent second sync must send no write";

  CliRun status = RunRostersync(dir_, {"--config", config, "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("sync"), std::string::npos) << status.out;
  CliRun audit = RunRostersync(dir_, {"--config", config, "audit", "--user", "alice", "--json"});
  EXPECT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("\"action\":\"create\""), std::string::npos) << audit.out;
  // Applied actions carry the server's X-Request-Id too, not only failures.
  EXPECT_EQ(audit.out.find("\"request_id\":\"\""), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find(c.token), std::string::npos);
  EXPECT_EQ(TempDir::Read(dir_.File("audit.jsonl")).find(c.token), std::string::npos);
}

TEST_F(E2eTest, SyncJsonPrintsOneDocumentWithThePlanAndTheReport) {
  E2eConfig c;
  c.url = emu_->url();
  std::string config = WriteConfig(dir_, c);
  CliRun sync = RunRostersync(dir_, {"--config", config, "sync", "--json"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_EQ(sync.out.front(), '{');
  EXPECT_NE(sync.out.find("\"plan\":"), std::string::npos);
  EXPECT_NE(sync.out.find("\"report\":"), std::string::npos);
  EXPECT_EQ(sync.out.find("applying"), std::string::npos);  // no progress with --json
}

TEST_F(E2eTest, SyncUserAppliesOnlyThatPerson) {
  E2eConfig c;
  c.url = emu_->url();
  std::string config = WriteConfig(dir_, c);
  CliRun one = RunRostersync(dir_, {"--config", config, "sync-user", "E2"});
  ASSERT_EQ(one.exit_code, 0) << one.out << one.err;
  std::vector<EmuUser> users = Users();
  EXPECT_NE(FindUser(users, "bob"), nullptr);
  EXPECT_EQ(FindUser(users, "alice"), nullptr);
}

TEST_F(E2eTest, MalformedConfigExitsOneWithLineNumbers) {
  std::string config =
      dir_.Write("config.yaml", "mattermost:\n  url: " + emu_->url() +
                                    "\n  timout: 30s\nroster:\n  min_rows: many\n");
  CliRun run = RunRostersync(dir_, {"--config", config, "sync"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("config.yaml:3"), std::string::npos) << run.err;
  EXPECT_EQ(ChangingRequests(*emu_), 0);
  CliRun check = RunRostersync(dir_, {"--config", config, "check-config"});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.out.find("config.yaml:3"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("config.yaml:5"), std::string::npos) << check.out;
}

TEST_F(E2eTest, MissingConfigExitsOneSayingWhatToDo) {
  CliRun run = RunRostersync(dir_, {"--config", dir_.File("nope.yaml"), "plan"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("nope.yaml"), std::string::npos) << run.err;
}

TEST_F(E2eTest, CheckConfigAcceptsAGoodConfig) {
  E2eConfig c;
  c.url = emu_->url();
  CliRun run = RunRostersync(dir_, {"--config", WriteConfig(dir_, c), "check-config"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
}

TEST_F(E2eTest, ServerDownExitsOneWithAClearMessage) {
  E2eConfig c;
  c.url = "http://127.0.0.1:" + std::to_string(FreePort());
  CliRun run = RunRostersync(dir_, {"--config", WriteConfig(dir_, c), "sync"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("cannot reach Mattermost"), std::string::npos) << run.err;
}

TEST_F(E2eTest, RefusedTokenExitsOneWritesNothingAndNeverPrintsTheToken) {
  E2eConfig c;
  c.url = emu_->url();
  c.token = "wrong-token-zz9plural";
  CliRun run = RunRostersync(dir_, {"--config", WriteConfig(dir_, c), "sync"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("token"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("zz9plural"), std::string::npos) << run.err;
  EXPECT_EQ(run.out.find("zz9plural"), std::string::npos);
  EXPECT_EQ(ChangingRequests(*emu_), 0);
}

TEST_F(E2eTest, UnreadableRosterExitsOneAndAppliesNothing) {
  E2eConfig c;
  c.url = emu_->url();
  c.roster_path = dir_.File("missing.csv");
  CliRun run = RunRostersync(dir_, {"--config", WriteConfig(dir_, c), "sync", "--force"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("missing.csv"), std::string::npos) << run.err;
  EXPECT_EQ(ChangingRequests(*emu_), 0);
}

TEST(E2eCliTest, HelpAndVersionExitZero) {
  TempDir dir;
  CliRun help = RunRostersync(dir, {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("sync-user"), std::string::npos);
  CliRun sub = RunRostersync(dir, {"audit", "--help"});
  EXPECT_EQ(sub.exit_code, 0);
  EXPECT_NE(sub.out.find("--since"), std::string::npos);
  EXPECT_EQ(RunRostersync(dir, {"version"}).exit_code, 0);
  EXPECT_EQ(RunRostersync(dir, {"bogus"}).exit_code, 1);
}

TEST(E2eCliTest, DemoShowsPlanSyncPlanAndLeavesNothingBehind) {
  TempDir dir;
  std::string tmp = dir.File("tmp");
  std::filesystem::create_directory(tmp);
  CliRun demo =
      RunRostersync(dir, {"demo"}, {{"TMPDIR", tmp}, {"ROSTERSYNC_EMULATOR", EmulatorBinary()}});
  EXPECT_EQ(demo.exit_code, 0) << demo.out << demo.err;
  auto last_plan = demo.out.rfind("rostersync plan");
  ASSERT_NE(last_plan, std::string::npos) << demo.out;
  EXPECT_NE(demo.out.find("No changes.", last_plan), std::string::npos) << demo.out;
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "demo left files in " << tmp;
}

}  // namespace
}  // namespace rostersync::testing
