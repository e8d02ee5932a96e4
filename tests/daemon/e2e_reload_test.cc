// End to end: SIGHUP / `systemctl reload` against the real `rostersync run` and mm-emulator.
// Each reload (config unchanged, changed, broken) is followed by a roster change that must
// still be applied: a reload never takes a lock the process already holds.
#include <gtest/gtest.h>

#include <optional>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// Rewrites the roster atomically (temp file + rename), as an export job would.
void WriteRoster(const TempDir& dir, const std::vector<std::vector<std::string>>& rows) {
  dir.Write("roster.csv.tmp", RosterCsv(rows));
  ASSERT_EQ(std::rename(dir.File("roster.csv.tmp").c_str(), dir.File("roster.csv").c_str()), 0);
}

TEST(E2eReloadTest, ThreeReloadsUnchangedChangedBrokenAndEachRosterChangeIsApplied) {
  TempDir dir;
  Emulator emu({"--seed", dir.Write("seed.json", kE2eSeed)});
  ASSERT_TRUE(emu.ok());
  auto roster = kE2eRoster;
  dir.Write("roster.csv", RosterCsv(roster));
  E2eConfig c;
  c.url = emu.url();
  c.admin_port = FreePort();
  c.extra = "logging:\n  level: info\n";
  std::string config = WriteConfig(dir, c);
  std::string log = dir.File("run.log");
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, log);
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(log);
  auto has_user = [&](const std::string& name) {
    return FindEmuUser(emu.Get("/__emu/state"), name) != std::nullopt;
  };
  ASSERT_TRUE(Eventually([&] { return has_user("alice"); })) << TempDir::Read(log);

  // One SIGHUP to the process alone (ChildProcess::Signal also signals its group, which
  // could make two reloads), then wait until its outcome is logged: the reload is done then.
  auto hup = [&](const std::string& outcome) {
    int before = CountOf(TempDir::Read(log), outcome);
    kill(run.pid(), SIGHUP);
    return Eventually([&] { return CountOf(TempDir::Read(log), outcome) > before; });
  };
  // 1. SIGHUP with the config unchanged, then a roster change.
  ASSERT_TRUE(hup("SIGHUP: reloaded")) << TempDir::Read(log);
  roster.push_back({"E5", "rel1", "rel1@example.com", "Rel", "One", "active"});
  WriteRoster(dir, roster);
  EXPECT_TRUE(Eventually([&] { return has_user("rel1"); })) << TempDir::Read(log);
  EXPECT_EQ(HttpGet(c.admin_port, "/readyz").first, 200) << TempDir::Read(log);

  // 2. SIGHUP with a changed config (a new timeout and an admin token: admin.* applies too).
  dir.Write("admin-token", "reloaded-admin-token\n");
  c.extra = "  token_file: " + dir.File("admin-token") + "\nlogging:\n  level: info\n";
  WriteConfig(dir, c);
  ASSERT_TRUE(hup("SIGHUP: reloaded")) << TempDir::Read(log);
  ASSERT_TRUE(WaitForPort(c.admin_port, 10'000));
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync"), 401) << TempDir::Read(log);
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync", "reloaded-admin-token"), 202);
  roster.push_back({"E6", "rel2", "rel2@example.com", "Rel", "Two", "active"});
  WriteRoster(dir, roster);
  EXPECT_TRUE(Eventually([&] { return has_user("rel2"); })) << TempDir::Read(log);

  // 3. SIGHUP with a broken config: kept the old one, logged why, still syncing.
  std::string good = TempDir::Read(config);
  dir.Write("config.yaml", good + "bogus_section: 1\n");
  ASSERT_TRUE(hup("keeping the running config")) << TempDir::Read(log);
  roster.push_back({"E7", "rel3", "rel3@example.com", "Rel", "Three", "active"});
  WriteRoster(dir, roster);
  EXPECT_TRUE(Eventually([&] { return has_user("rel3"); })) << TempDir::Read(log);

  std::string text = TempDir::Read(log);
  EXPECT_EQ(text.find("is in use by another rostersync process"), std::string::npos) << text;
  EXPECT_EQ(HttpGet(c.admin_port, "/readyz").first, 200) << text;
  int status = run.Signal(SIGTERM, true);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// Only whole files: an export that recreates the roster and writes it for longer than the
// debounce gets no cycle on the partial file (which would deactivate carol and bob).
TEST(E2eWatchTest, ASlowExportGetsNoCycleOnThePartialFile) {
  E2eBed bed({}, /*seeded=*/true);
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  Emulator& emu = bed.emu;
  E2eConfig& c = bed.c;
  c.extra = "logging:\n  level: info\n";
  std::string config = WriteConfig(dir, c);
  std::string yaml = TempDir::Read(config);
  yaml.replace(yaml.find("max_deactivations: 1"), 20, "max_deactivations: 5");
  dir.Write("config.yaml", yaml);
  std::string log = dir.File("run.log");
  // The watch's quiet time (1 s in the product) and the writer's pauses below, scaled down
  // together: a pause stays well under the quiet time, the whole export lasts longer than
  // the quiet time and the debounce together.
  constexpr int kQuietMs = 600, kPauseMs = 200;
  QuietTime quiet(kQuietMs);
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, log);
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(log);
  ASSERT_TRUE(Eventually([&] {
    return FindEmuUser(emu.Get("/__emu/state"), "carol") != std::nullopt &&
           CountOf(TempDir::Read(log), "sync ok") >= 1;
  })) << TempDir::Read(log);

  std::string path = dir.File("roster.csv");
  ASSERT_EQ(std::remove(path.c_str()), 0);
  FILE* f = std::fopen(path.c_str(), "w");  // recreated, written over 7 pauses
  ASSERT_NE(f, nullptr);
  auto roster = kE2eRoster;
  roster.push_back({"E4", "erin", "erin@example.com", "Erin", "Evans", "active"});
  std::string text = RosterCsv(roster);
  size_t first_row_end = text.find('\n', text.find('\n') + 1) + 1;  // header + alice
  std::fputs(text.substr(0, first_row_end).c_str(), f);
  std::fflush(f);
  for (int i = 0; i < 7; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kPauseMs));
    std::fputs(" ", f);  // still writing: an unfinished field
    std::fflush(f);
  }
  std::fputs(("\n" + text.substr(first_row_end)).c_str(), f);
  std::fclose(f);
  ASSERT_TRUE(Eventually([&] {
    return FindEmuUser(emu.Get("/__emu/state"), "erin") != std::nullopt;
  })) << TempDir::Read(log);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (const char* name : {"bob", "carol"}) {
    std::optional<EmuUser> u = FindEmuUser(emu.Get("/__emu/state"), name);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->delete_at, 0) << name;
  }
  auto audit = HttpGet(c.admin_port, "/v1/audit?since=1h");
  EXPECT_EQ(audit.second.find("deactivate"), std::string::npos) << audit.second;
}

}  // namespace
}  // namespace rostersync::testing
