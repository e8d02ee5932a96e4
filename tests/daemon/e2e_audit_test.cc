// End to end: `rostersync audit` past the old 1,000-record cap and with --limit, and an
// untrusted roster that plans no deactivation still exiting 4 with a "! held" line.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "state/open_store.h"
#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

int CountLines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(E2eAuditTest, AuditPrintsEveryRecordByDefaultAndAtMostLimitWithLimit) {
  TempDir dir;
  E2eConfig c;
  c.url = "http://127.0.0.1:9";  // audit never contacts the server
  std::string config = WriteConfig(dir, c);
  constexpr int kRecords = 1005;  // more than the store's old default cap of 1,000
  {
    Result<std::unique_ptr<StateStore>> store = OpenStateStore("sqlite:" + dir.File("state.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < kRecords; ++i) {
      AuditRecord r;
      r.ts_ms = 1700000000000 + i;
      r.run_id = "run-1";
      r.action = AuditAction::kUpdate;
      r.key = "K" + std::to_string(i);
      r.username = "user" + std::to_string(i);
      r.result = AuditResult::kOk;
      ASSERT_TRUE((*store)->AppendAudit(r).ok());
    }
  }
  CliRun all = RunRostersync(dir, {"--config", config, "audit", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(CountLines(all.out), kRecords);
  EXPECT_NE(all.out.find("\"user0\""), std::string::npos);  // the oldest is not cut off

  CliRun some = RunRostersync(dir, {"--config", config, "audit", "--json", "--limit", "7"});
  ASSERT_EQ(some.exit_code, 0) << some.err;
  EXPECT_EQ(CountLines(some.out), 7);
  EXPECT_NE(some.out.find("\"user1004\""), std::string::npos) << "the newest are kept";

  CliRun bad = RunRostersync(dir, {"--config", config, "audit", "--limit", "zero"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--limit"), std::string::npos) << bad.err;

  CliRun help = RunRostersync(dir, {"audit", "--help"});
  EXPECT_NE(help.out.find("--limit N"), std::string::npos) << help.out;
}

// docs/contract.md: bad input holds deactivations back and says so in the plan and the exit code,
// even when (every row rejected, so everyone protected) no deactivation was planned.
TEST(E2eAuditTest, RenamedEmailColumnHoldsAndExitsFourInsteadOfNoChanges) {
  TempDir dir;
  Emulator emu({"--seed", dir.Write("seed.json", kE2eSeed)});
  ASSERT_TRUE(emu.ok()) << "mm-emulator did not start: " << EmulatorBinary();
  dir.Write("roster.csv", RosterCsv(kE2eRoster));
  E2eConfig c;
  c.url = emu.url();
  std::string config = WriteConfig(dir, c);
  ASSERT_EQ(RunRostersync(dir, {"--config", config, "sync"}).exit_code, 0);

  std::string csv = RosterCsv(kE2eRoster);
  csv.replace(csv.find(",email,"), 7, ",mail,");  // every row is rejected: no email column
  dir.Write("roster.csv", csv);
  long writes = emu.WritesTotal();
  CliRun plan = RunRostersync(dir, {"--config", config, "plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("! held"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("roster not trusted"), std::string::npos) << plan.out;
  CliRun sync = RunRostersync(dir, {"--config", config, "sync"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  EXPECT_EQ(emu.WritesTotal(), writes) << "an untrusted roster must change nothing here";
}

}  // namespace
}  // namespace rostersync::testing
