// End to end: a terminated system admin is a loud leaver (an "! attention" line, exit 4, no
// write), and an account in no roster is listed under "Unmatched accounts" (the default
// policy.unmatched_accounts: report), against mm-emulator with the real binary.
#include <gtest/gtest.h>

#include <string>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

constexpr char kSeed[] = R"({
  "users": [
    {"username": "carol", "email": "carol@example.com", "first_name": "Carol",
     "last_name": "Old", "roles": "system_user", "password": "Seed-passw0rd!"},
    {"username": "morgan.reyes", "email": "morgan@example.com", "first_name": "Morgan",
     "last_name": "Reyes", "roles": "system_user system_admin", "password": "Seed-passw0rd!"},
    {"username": "ex.employee", "email": "ex@example.com", "first_name": "Ex",
     "last_name": "Employee", "roles": "system_user", "password": "Seed-passw0rd!"}
  ]
})";

TEST(E2eGuardsTest, TerminatedSystemAdminIsAnAttentionItemAndExitsFour) {
  TempDir dir;
  Emulator emu({"--seed", dir.Write("seed.json", kSeed)});
  ASSERT_TRUE(emu.ok()) << "mm-emulator did not start: " << EmulatorBinary();
  std::vector<std::vector<std::string>> roster = kE2eRoster;
  roster.push_back({"E42", "morgan.reyes", "morgan@example.com", "Morgan", "Reyes", "active"});
  dir.Write("roster.csv", RosterCsv(roster));
  E2eConfig c;
  c.url = emu.url();
  std::string config = WriteConfig(dir, c);
  CliRun first = RunRostersync(dir, {"--config", config, "sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  roster.back().back() = "terminated";
  dir.Write("roster.csv", RosterCsv(roster));
  long writes = emu.WritesTotal();
  CliRun plan = RunRostersync(dir, {"--config", config, "plan", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 4) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("! attention   E42 morgan.reyes is a leaver but holds system_admin: "
                          "deactivate by hand"),
            std::string::npos)
      << plan.out;
  EXPECT_EQ(plan.out.rfind("No changes applied: attention needed", 0), 0u) << plan.out;
  EXPECT_NE(plan.out.find("Unmatched accounts (1;"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("? unmatched   ex.employee"), std::string::npos) << plan.out;

  CliRun sync = RunRostersync(dir, {"--config", config, "sync", "--json"});
  EXPECT_EQ(sync.exit_code, 4) << sync.out << sync.err;
  EXPECT_NE(sync.out.find("\"attention\":[{\"key\":\"E42\""), std::string::npos) << sync.out;
  EXPECT_NE(sync.out.find("\"unmatched_accounts\":[{"), std::string::npos) << sync.out;
  EXPECT_EQ(emu.WritesTotal(), writes) << "neither the admin nor the unmatched account is touched";
}

}  // namespace
}  // namespace rostersync::testing
