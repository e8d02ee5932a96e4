// End to end: incremental cycles of `rostersync run` against mm-emulator. The first cycle
// lists every account; a roster change is then picked up by an incremental cycle that sends
// far fewer requests (counted by the emulator) and still deactivates the leaver; an account
// created outside rostersync is reported only by the next full cycle (after a reload).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <regex>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

long StatValue(const std::string& stats, const std::string& name) {
  std::smatch m;
  const std::regex re("\"" + name + R"re("\s*:\s*(\d+))re");
  return std::regex_search(stats, m, re) ? std::stol(m[1]) : -1;
}

TEST(E2eIncrementalTest, ARosterChangeIsPickedUpIncrementallyAndOutsideAccountsAtTheNextFull) {
  E2eBed bed({"--generate", "3000"});
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  Emulator& emu = bed.emu;
  E2eConfig& c = bed.c;
  c.extra = "logging:\n  level: info\n";
  const std::string config = WriteConfig(dir, c);
  dir.Write("config.yaml", Replace(TempDir::Read(config), "  jitter: 0\n",
                                   "  jitter: 0\n  full_every: 1h\n"));
  const std::string log = dir.File("run.log");
  auto runs = [&] { return HttpGet(c.admin_port, "/v1/runs").second; };
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, log);
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(log);
  // A finished run's message ends in "; full cycle" or "; incremental cycle".
  ASSERT_TRUE(Eventually([&] { return CountOf(runs(), "; full cycle\"") >= 1; }))
      << TempDir::Read(log) << runs();
  const long full_requests = StatValue(emu.Get("/__emu/stats"), "requests_total");
  ASSERT_GT(full_requests, 15);  // 3,000 accounts: at least 15 pages
  emu.Send("POST", "/__emu/stats/reset", "");

  // Outside rostersync: an account no roster row names.
  emu.Send("POST", "/api/v4/users",
           R"({"username":"outsider","email":"outsider@example.com",)"
           R"("password":"Outsider-pass-1"})");
  emu.Send("POST", "/__emu/stats/reset", "");
  // bob leaves: the roster file changes, the watch starts a cycle.
  auto roster = kE2eRoster;
  roster.erase(roster.begin() + 1);
  dir.Write("roster.csv.tmp", RosterCsv(roster));
  ASSERT_EQ(std::rename(dir.File("roster.csv.tmp").c_str(), dir.File("roster.csv").c_str()), 0);
  ASSERT_TRUE(Eventually([&] {
    std::optional<EmuUser> bob = FindEmuUser(emu.Get("/__emu/state"), "bob");
    return bob && bob->delete_at > 0;
  })) << TempDir::Read(log);
  ASSERT_TRUE(Eventually([&] { return CountOf(runs(), "; incremental cycle\"") >= 1; }))
      << runs();
  const long incremental_requests = StatValue(emu.Get("/__emu/stats"), "requests_total");
  EXPECT_GT(incremental_requests, 0);
  EXPECT_LT(incremental_requests * 3, full_requests)
      << incremental_requests << " requests against " << full_requests;
  std::string plan = HttpGet(c.admin_port, "/v1/plan").second;
  EXPECT_EQ(plan.find("outsider"), std::string::npos) << plan;

  // A reload: the next cycle is full and reports the account created outside.
  run.Signal(SIGHUP, false);
  ASSERT_TRUE(Eventually([&] { return TempDir::Read(log).find("reloaded") != std::string::npos; }));
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync"), 202);
  ASSERT_TRUE(Eventually([&] { return CountOf(runs(), "; full cycle\"") >= 2; })) << runs();
  ASSERT_TRUE(Eventually([&] {
    return HttpGet(c.admin_port, "/v1/plan").second.find("outsider") != std::string::npos;
  })) << HttpGet(c.admin_port, "/v1/plan").second;
}

}  // namespace
}  // namespace rostersync::testing
