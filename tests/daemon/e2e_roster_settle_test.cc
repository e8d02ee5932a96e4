// End to end: a roster exported in place (truncated, then written slowly) is never read
// half-written, neither by `sync` nor by the interval cycles of `rostersync run`: a cycle
// waits until the file is roster.csv.settle unmodified (here 600 ms), at most twice that.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// A roster exported in place (truncated, then written slowly) is waited for by `sync`
// (roster.csv.settle 600ms), never read half-written.
TEST(E2eRosterSettleTest, SyncWaitsForARosterStillBeingWritten) {
  TempDir dir;
  Emulator emu;
  ASSERT_TRUE(emu.ok()) << "mm-emulator did not start: " << EmulatorBinary();
  std::vector<std::vector<std::string>> head, tail;
  for (int i = 0; i < 6; ++i) {
    const std::string n = std::to_string(i);
    (i < 3 ? head : tail).push_back({"E" + n, "slow" + n, "slow" + n + "@example.com", "P", "N",
                                     "active"});
  }
  dir.Write("roster.csv", RosterCsv(head));
  std::string rest = RosterCsv(tail);
  rest = rest.substr(rest.find('\n') + 1);  // no second header
  E2eConfig c;
  c.url = emu.url();
  c.settle = "600ms";
  const std::string config = WriteConfig(dir, c);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::ofstream(dir.File("roster.csv"), std::ios::app) << rest;
  });
  CliRun sync = RunRostersync(dir, {"--config", config, "sync"});
  writer.join();
  EXPECT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  std::vector<EmuUser> users = ParseEmuUsers(emu.Get("/__emu/state"));
  for (int i = 0; i < 6; ++i) {
    EXPECT_NE(FindUser(users, "slow" + std::to_string(i)), nullptr)
        << "slow" << i << " was not created: the half-written roster was read\n" << sync.err;
  }
}

// The red-team repro: `run` with a short interval while the exporter rewrites the file in
// place, a row every 300 ms (half of settle). An interval cycle that read it part-way
// would deactivate the missing people, within the budget (10 here).
TEST(E2eRosterSettleTest, AnIntervalCycleNeverReadsARosterStillBeingWritten) {
  TempDir dir;
  Emulator emu;
  ASSERT_TRUE(emu.ok()) << "mm-emulator did not start: " << EmulatorBinary();
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 40; ++i) {
    const std::string n = std::to_string(i);
    rows.push_back({"E" + n, "w" + n, "w" + n + "@example.com", "P", "N", "active"});
  }
  dir.Write("roster.csv", RosterCsv(rows));
  E2eConfig c;
  c.url = emu.url();
  c.settle = "600ms";
  c.admin_port = FreePort();
  std::string yaml = TempDir::Read(WriteConfig(dir, c));
  yaml.replace(yaml.find("interval: 1h"), 12, "interval: 1s");
  yaml.replace(yaml.find("max_deactivations: 1\n"), 21, "max_deactivations: 10\n");
  const std::string config = dir.Write("config.yaml", yaml);
  const std::string log = dir.File("run.log");
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, log);
  ASSERT_TRUE(run.running());
  auto created = [&] {
    std::vector<EmuUser> users = ParseEmuUsers(emu.Get("/__emu/state"));
    for (int i = 0; i < 40; ++i) {
      if (FindUser(users, "w" + std::to_string(i)) == nullptr) return false;
    }
    return true;
  };
  ASSERT_TRUE(Eventually(created)) << TempDir::Read(log);

  // Truncate, write 36 rows, then one more row every 300 ms.
  std::string full = RosterCsv(rows);
  std::size_t cut = 0;
  for (int line = 0; line <= 36; ++line) cut = full.find('\n', cut) + 1;
  std::ofstream(dir.File("roster.csv"), std::ios::trunc) << full.substr(0, cut);
  for (int i = 36; i < 40; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::size_t next = full.find('\n', cut) + 1;
    std::ofstream(dir.File("roster.csv"), std::ios::app) << full.substr(cut, next - cut);
    cut = next;
  }
  // Two more cycles after the last write: the second started after it and read it whole.
  const int before = CyclesTotal(c.admin_port);
  ASSERT_GE(before, 0) << TempDir::Read(log);
  EXPECT_TRUE(Eventually([&] { return CyclesTotal(c.admin_port) >= before + 2; }))
      << TempDir::Read(log);
  run.Stop();
  const std::string text = TempDir::Read(log);
  // A later cycle would reactivate whom a half-written read deactivated: count the requests.
  EXPECT_EQ(emu.Get("/__emu/stats").find("DELETE /api/v4/users/{id}"), std::string::npos)
      << "a half-written roster deactivated people\n" << text;
  for (const EmuUser& u : ParseEmuUsers(emu.Get("/__emu/state"))) {
    EXPECT_EQ(u.delete_at, 0) << u.username << "\n" << text;
  }
}

}  // namespace
}  // namespace rostersync::testing
