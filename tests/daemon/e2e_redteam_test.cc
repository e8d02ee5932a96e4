// End to end, red-team findings: a killed sync leaves no applied change without its audit
// record and no run "running" forever; force needs the admin token; run --daemon refuses a
// symlinked --pidfile before forking; check-config fails on a refused token or a FIFO.
#include <gtest/gtest.h>

#include <optional>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// JSON audit lines (one per line) of an ok update of `key` that set `value`.
int OkUpdates(const std::string& jsonl, const std::string& key, const std::string& value) {
  int n = 0;
  size_t pos = 0;
  while (pos < jsonl.size()) {
    size_t end = jsonl.find('\n', pos);
    if (end == std::string::npos) end = jsonl.size();
    const std::string line = jsonl.substr(pos, end - pos);
    if (line.find("\"key\":\"" + key + "\"") != std::string::npos &&
        line.find("\"action\":\"update\"") != std::string::npos &&
        line.find("\"result\":\"ok\"") != std::string::npos &&
        line.find(value) != std::string::npos) {
      ++n;
    }
    pos = end + 1;
  }
  return n;
}

std::string PositionRoster(int people, const std::string& position) {
  std::string csv = "employee_id,username,email,first_name,last_name,status,title\n";
  for (int i = 0; i < people; ++i) {
    const std::string n = std::to_string(i);
    csv += "E" + n + ",user" + n + ",user" + n + "@example.com,User,Number" + n + ",active," +
           position + "\n";
  }
  return csv;
}

TEST(E2eRedteamTest, KillNineMidApplyLeavesEveryAppliedChangeAuditedOnce) {
  constexpr int kPeople = 100;
  TempDir dir;
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  dir.Write("roster.csv", PositionRoster(kPeople, "Engineer"));
  E2eConfig c;
  c.url = emu.url();
  c.admin_port = FreePort();
  std::string config = WriteConfig(dir, c);
  std::string yaml = TempDir::Read(config);  // map the title column to position
  yaml.insert(yaml.find("fields:\n") + 8, "  position: {column: title}\n");
  dir.Write("config.yaml", yaml);
  CliRun first = RunRostersync(dir, {"--config", config, "sync"});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  dir.Write("roster.csv", PositionRoster(kPeople, "Manager"));
  emu.Send("PUT", "/__emu/faults", "{\"latency_ms\": 200}");
  const long before = ChangingRequests(emu);
  ASSERT_GE(before, 0);
  {
    // Killed once the first updates have landed: mid-apply, with more in flight.
    ChildProcess sync(RostersyncBinary(), {"--config", config, "sync"}, dir.File("killed.err"));
    ASSERT_TRUE(Eventually([&] { return ChangingRequests(emu) >= before + 5; }))
        << TempDir::Read(dir.File("killed.err"));
    sync.Signal(SIGKILL, true);
  }
  emu.Send("PUT", "/__emu/faults", "{\"latency_ms\": 0}");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a restart takes a moment
  ASSERT_LT(ChangingRequests(emu) - before, kPeople) << "the kill came after the whole apply";
  CliRun second = RunRostersync(dir, {"--config", config, "sync"});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;

  CliRun audit = RunRostersync(dir, {"--config", config, "audit", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  const std::string file = TempDir::Read(dir.File("audit.jsonl"));
  for (int i = 0; i < kPeople; ++i) {
    const std::string key = "E" + std::to_string(i);
    EXPECT_EQ(OkUpdates(audit.out, key, "Manager"), 1) << key << "\n" << audit.out;
    EXPECT_EQ(OkUpdates(file, key, "Manager"), 1) << key;
  }
  CliRun status = RunRostersync(dir, {"--config", config, "status"});
  EXPECT_EQ(status.out.find("running"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("interrupted"), std::string::npos) << status.out;
}

// Two leavers with policy.max_deactivations 1: the service holds them.
struct HeldService {
  TempDir dir;
  Emulator emu;
  E2eConfig c;
  std::string config;
  void Setup(const std::string& admin_extra) {
    dir.Write("roster.csv", RosterCsv(kE2eRoster));
    c.url = emu.url();
    c.admin_port = FreePort();
    c.extra = admin_extra;
    config = WriteConfig(dir, c);
    CliRun first = RunRostersync(dir, {"--config", config, "sync"});
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    auto roster = kE2eRoster;
    roster[0][5] = "terminated";
    roster[1][5] = "terminated";
    dir.Write("roster.csv", RosterCsv(roster));
  }
  bool AliceActive() {
    std::optional<EmuUser> alice = FindEmuUser(emu.Get("/__emu/state"), "alice");
    return alice != std::nullopt && alice->delete_at == 0;
  }
};

TEST(E2eRedteamTest, ForceOverTheAdminEndpointNeedsTheToken) {
  HeldService s;
  ASSERT_TRUE(s.emu.ok());
  ASSERT_NO_FATAL_FAILURE(s.Setup(""));
  ChildProcess run(RostersyncBinary(), {"--config", s.config, "run"}, s.dir.File("run.log"));
  ASSERT_TRUE(WaitForPort(s.c.admin_port, 30'000)) << TempDir::Read(s.dir.File("run.log"));
  EXPECT_EQ(HttpPost(s.c.admin_port, "/v1/sync?wait=true&force=true"), 403);
  EXPECT_EQ(HttpPost(s.c.admin_port, "/v1/users/E1/sync?wait=true&force=1"), 403);
  EXPECT_TRUE(s.AliceActive());
  CliRun cli = RunRostersync(s.dir, {"--config", s.config, "sync", "--force"});
  EXPECT_EQ(cli.exit_code, 1) << cli.out << cli.err;
  EXPECT_NE(cli.err.find("force needs admin.token_file"), std::string::npos) << cli.err;
  EXPECT_TRUE(s.AliceActive());
  run.Signal(SIGTERM, true);
}

TEST(E2eRedteamTest, ForceWithTheTokenReleasesTheHeldDeactivations) {
  HeldService s;
  ASSERT_TRUE(s.emu.ok());
  const std::string token_file = s.dir.Write("admin-token", "admin-secret-123\n");
  ::chmod(token_file.c_str(), 0600);
  ASSERT_NO_FATAL_FAILURE(s.Setup("  token_file: " + token_file + "\n"));
  ChildProcess run(RostersyncBinary(), {"--config", s.config, "run"}, s.dir.File("run.log"));
  ASSERT_TRUE(WaitForPort(s.c.admin_port, 30'000)) << TempDir::Read(s.dir.File("run.log"));
  EXPECT_EQ(HttpPost(s.c.admin_port, "/v1/sync?wait=true&force=true"), 401);
  EXPECT_TRUE(s.AliceActive());
  CliRun cli = RunRostersync(s.dir, {"--config", s.config, "sync", "--force"});
  EXPECT_EQ(cli.exit_code, 0) << cli.out << cli.err;
  EXPECT_FALSE(s.AliceActive()) << cli.out << cli.err;
  run.Signal(SIGTERM, true);
}

TEST(E2eRedteamTest, DaemonRefusesASymlinkedPidfileOrLogfileBeforeForking) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  E2eConfig& c = bed.c;
  std::string config = WriteConfig(dir, c);
  std::string precious = dir.Write("precious", "keep\n");
  ASSERT_EQ(::symlink(precious.c_str(), dir.File("link").c_str()), 0);
  for (const std::string flag : {"--pidfile", "--logfile"}) {
    CliRun cli = RunRostersync(dir, {"--config", config, "run", "--daemon", flag,
                                     dir.File("link")});
    EXPECT_EQ(cli.exit_code, 1) << flag << cli.err;
    EXPECT_NE(cli.err.find("symlink"), std::string::npos) << flag << cli.err;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(HttpGet(c.admin_port, "/healthz").first, -1) << "a detached child is running";
  EXPECT_EQ(TempDir::Read(precious), "keep\n");
}

TEST(E2eRedteamTest, CheckConfigFailsOnARefusedTokenAndAFifoRoster) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  E2eConfig& c = bed.c;
  c.token = "not-the-admin-token";
  std::string config = WriteConfig(dir, c);
  CliRun refused = RunRostersync(dir, {"--config", config, "check-config"});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(refused.out.find("refused"), std::string::npos) << refused.out;
  EXPECT_EQ(refused.out.find(": OK"), std::string::npos) << refused.out;

  c.token = "admin-token-for-tests";
  c.roster_path = dir.File("roster.fifo");
  ASSERT_EQ(::mkfifo(c.roster_path.c_str(), 0600), 0);
  config = WriteConfig(dir, c);
  CliRun fifo = RunRostersync(dir, {"--config", config, "check-config"});
  EXPECT_EQ(fifo.exit_code, 1) << fifo.out;
  EXPECT_NE(fifo.out.find("FIFO"), std::string::npos) << fifo.out;
}

// The server's last name of carol (ESC sequences, a carriage return) reaches the audit
// record as the change's "from" value.
TEST(E2eRedteamTest, AuditAndStatusTextEscapeServerStrings) {
  TempDir dir;
  std::string seed = kE2eSeed;
  seed.replace(seed.find("\"Old\""), 5, "\"Old\\u001b[2J\\rForged\"");
  Emulator emu({"--seed", dir.Write("seed.json", seed)});
  ASSERT_TRUE(emu.ok());
  dir.Write("roster.csv", RosterCsv(kE2eRoster));
  E2eConfig c;
  c.url = emu.url();
  c.admin_port = FreePort();
  std::string config = WriteConfig(dir, c);
  CliRun sync = RunRostersync(dir, {"--config", config, "sync"});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  CliRun audit = RunRostersync(dir, {"--config", config, "audit"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("Forged"), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find('\x1b'), std::string::npos) << audit.out;
  EXPECT_EQ(audit.out.find('\r'), std::string::npos) << audit.out;
  CliRun status = RunRostersync(dir, {"--config", config, "status"});
  EXPECT_EQ(status.out.find('\x1b'), std::string::npos) << status.out;
}

}  // namespace
}  // namespace rostersync::testing
