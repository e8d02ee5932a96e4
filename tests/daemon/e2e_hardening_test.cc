// End to end, issue 14 point 14 items of the service: --pidfile never follows a symlink,
// run --daemon keeps its log (--logfile), and a password in mattermost.url is never printed.
#include <gtest/gtest.h>

#include <iostream>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// Runs the binary with a short timeout (a service that wrongly keeps running is killed).
int RunBriefly(const TempDir& dir, const std::string& args, int seconds) {
  std::string cmd = "timeout -k 2 " + std::to_string(seconds) + " " + RostersyncBinary() + " " +
                    args + " </dev/null >" + dir.File("brief.out") + " 2>" + dir.File("brief.err");
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(E2eHardeningTest, PidfileRefusesToFollowASymlink) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  E2eConfig& c = bed.c;
  std::string config = WriteConfig(dir, c);
  std::string precious = dir.Write("precious", "do not overwrite\n");
  ASSERT_EQ(::symlink(precious.c_str(), dir.File("run.pid").c_str()), 0);
  int code = RunBriefly(dir, "--config " + config + " run --pidfile " + dir.File("run.pid"), 10);
  EXPECT_EQ(code, 1) << TempDir::Read(dir.File("brief.err"));
  EXPECT_EQ(TempDir::Read(precious), "do not overwrite\n");
  EXPECT_NE(TempDir::Read(dir.File("brief.err")).find("symlink"), std::string::npos)
      << TempDir::Read(dir.File("brief.err"));
}

TEST(E2eHardeningTest, DaemonModeLogsToTheLogfileAndTheSymlinkFreePidfile) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  E2eConfig& c = bed.c;
  c.extra = "logging:\n  level: info\n";
  std::string config = WriteConfig(dir, c);
  const std::string pidfile = dir.File("run.pid"), logfile = dir.File("run.log");
  int code = RunBriefly(dir,
                        "--config " + config + " run --daemon --pidfile " + pidfile +
                            " --logfile " + logfile,
                        20);
  EXPECT_EQ(code, 0) << TempDir::Read(dir.File("brief.err"));
  ASSERT_TRUE(Eventually([&] {
    return TempDir::Read(logfile).find("sync ok") != std::string::npos;
  })) << TempDir::Read(logfile) << TempDir::Read(dir.File("brief.err"));
  int pid = std::atoi(TempDir::Read(pidfile).c_str());
  ASSERT_GT(pid, 1);
  EXPECT_EQ(::kill(pid, SIGTERM), 0);
  EXPECT_TRUE(Eventually([&] { return ::kill(pid, 0) != 0; }, 15'000));
  EXPECT_NE(TempDir::Read(logfile).find("stopped"), std::string::npos) << TempDir::Read(logfile);
}

TEST(E2eHardeningTest, APasswordInTheServerUrlIsNeverPrinted) {
  TempDir dir;
  dir.Write("roster.csv", RosterCsv(kE2eRoster));
  const std::string kSecret = "Url-Passw0rd-4242";
  E2eConfig c;
  c.url = "http://admin:" + kSecret + "@127.0.0.1:" + std::to_string(FreePort());  // nobody
  c.admin_port = FreePort();
  std::string config = WriteConfig(dir, c);
  CliRun sync = RunRostersync(dir, {"--config", config, "sync"});
  EXPECT_EQ(sync.exit_code, 1) << sync.out << sync.err;
  EXPECT_NE(sync.err.find("127.0.0.1"), std::string::npos) << sync.err;
  EXPECT_EQ((sync.out + sync.err).find(kSecret), std::string::npos) << sync.out << sync.err;
  CliRun plan = RunRostersync(dir, {"--config", config, "plan"});
  EXPECT_EQ((plan.out + plan.err).find(kSecret), std::string::npos) << plan.err;
  CliRun check = RunRostersync(dir, {"--config", config, "check-config"});
  EXPECT_EQ((check.out + check.err).find(kSecret), std::string::npos) << check.out;

  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, dir.File("run.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(dir.File("run.log"));
  ASSERT_TRUE(Eventually([&] {
    return TempDir::Read(dir.File("run.log")).find("stopped at server") != std::string::npos;
  })) << TempDir::Read(dir.File("run.log"));
  std::string readyz = HttpGet(c.admin_port, "/readyz").second;
  std::string status = HttpGet(c.admin_port, "/v1/status").second;
  run.Signal(SIGTERM, true);
  std::string log = TempDir::Read(dir.File("run.log"));
  EXPECT_EQ(log.find(kSecret), std::string::npos) << log;
  EXPECT_EQ((readyz + status).find(kSecret), std::string::npos) << readyz << status;
}

TEST(E2eHardeningTest, SigtermDuringASlowCycleExitsPromptlyAndTheNextRunIsClean) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  Emulator& emu = bed.emu;
  E2eConfig& c = bed.c;
  c.extra = "logging:\n  level: info\n";
  std::string config = WriteConfig(dir, c);
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, dir.File("run.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000));
  ASSERT_TRUE(Eventually([&] {
    return TempDir::Read(dir.File("run.log")).find("sync ok") != std::string::npos;
  })) << TempDir::Read(dir.File("run.log"));
  emu.Send("PUT", "/__emu/faults", "{\"latency_ms\": 5000}");  // every request: 5 s
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync"), 202);
  ASSERT_TRUE(Eventually([&] {
    return TempDir::Read(dir.File("run.log")).find("cycle starting (requested)") !=
           std::string::npos;
  })) << TempDir::Read(dir.File("run.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t0 = std::chrono::steady_clock::now();
  int status = run.Signal(SIGTERM, true);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::cout << "SIGTERM to exit, request in flight (5 s latency): " << ms << " ms\n";
  EXPECT_LT(ms, 2500) << TempDir::Read(dir.File("run.log"));
  emu.Send("PUT", "/__emu/faults", "{\"latency_ms\": 0}");
  CliRun sync = RunRostersync(dir, {"--config", config, "sync"});
  EXPECT_EQ(sync.exit_code, 0) << sync.out << sync.err;
}

// The cycle waits out 429s (Retry-After) when SIGTERM arrives: the stop token wakes the
// pacing sleep, nothing more is sent, and the cycle ends by itself (no 1.5 s grace, no
// "exiting now"); the next sync is clean.
TEST(E2eHardeningTest, SigtermWakesARateLimitedCycleWhichEndsByItself) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  Emulator& emu = bed.emu;
  E2eConfig& c = bed.c;
  c.extra = "logging:\n  level: info\n";
  std::string config = WriteConfig(dir, c);
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, dir.File("run.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000));
  ASSERT_TRUE(Eventually([&] {
    return TempDir::Read(dir.File("run.log")).find("sync ok") != std::string::npos;
  })) << TempDir::Read(dir.File("run.log"));
  emu.Send("PUT", "/__emu/rate_limit", "{\"per_second\": 0.1, \"burst\": 1}");
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync"), 202);
  ASSERT_TRUE(Eventually([&] {
    return TempDir::Read(dir.File("run.log")).find("cycle starting (requested)") !=
           std::string::npos;
  })) << TempDir::Read(dir.File("run.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // into the Retry-After wait
  auto t0 = std::chrono::steady_clock::now();
  int status = run.Signal(SIGTERM, true);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  const std::string log = TempDir::Read(dir.File("run.log"));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::cout << "SIGTERM to exit, cycle waiting on a 429: " << ms << " ms\n";
  EXPECT_LT(ms, 1400) << log;
  EXPECT_NE(log.find("rostersync run: stopped"), std::string::npos) << log;
  EXPECT_EQ(log.find("exiting now"), std::string::npos) << log;
  emu.Send("PUT", "/__emu/rate_limit", "{\"per_second\": 0, \"burst\": 100}");
  CliRun sync = RunRostersync(dir, {"--config", config, "sync"});
  EXPECT_EQ(sync.exit_code, 0) << sync.out << sync.err;
}

}  // namespace
}  // namespace rostersync::testing
