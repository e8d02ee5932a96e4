// End to end: `rostersync run` against mm-emulator (issue 8's done-when).
#include <gtest/gtest.h>

#include <optional>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/daemon/scratch_database.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// The value of the sample named `name` in Prometheus text, or -1.
double MetricValue(const std::string& text, const std::string& name) {
  auto pos = text.find("\n" + name + " ");
  if (pos == std::string::npos) return -1;
  return std::stod(text.substr(pos + name.size() + 2));
}

TEST(E2eRunTest, ServiceSyncsOnStartOnRosterChangeReloadsOnHupAndStopsOnTerm) {
  E2eBed bed({}, /*seeded=*/true);
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  Emulator& emu = bed.emu;
  E2eConfig& c = bed.c;
  c.extra = "logging:\n  level: info\n";
  std::string config = WriteConfig(dir, c);
  std::string log = dir.File("run.log");

  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, log);
  ASSERT_TRUE(run.running());
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(log);
  EXPECT_EQ(HttpGet(c.admin_port, "/healthz").first, 200);

  // run_on_start: the first cycle creates the roster's people.
  ASSERT_TRUE(Eventually([&] {
    return FindEmuUser(emu.Get("/__emu/state"), "alice") != std::nullopt;
  })) << TempDir::Read(log);
  ASSERT_TRUE(Eventually([&] {
    return HttpGet(c.admin_port, "/v1/runs").second.find("\"command\":\"run\"") !=
           std::string::npos;
  })) << HttpGet(c.admin_port, "/v1/runs").second;
  EXPECT_EQ(HttpGet(c.admin_port, "/readyz").first, 200);

  // An atomic rewrite of the roster (temp file + rename) starts a cycle.
  auto roster = kE2eRoster;
  roster.push_back({"E4", "erin", "erin@example.com", "Erin", "Evans", "active"});
  dir.Write("roster.csv.tmp", RosterCsv(roster));
  ASSERT_EQ(std::rename(dir.File("roster.csv.tmp").c_str(), dir.File("roster.csv").c_str()), 0);
  ASSERT_TRUE(Eventually([&] {
    return FindEmuUser(emu.Get("/__emu/state"), "erin") != std::nullopt;
  })) << TempDir::Read(log);
  ASSERT_TRUE(Eventually([&] {
    return CountOf(HttpGet(c.admin_port, "/v1/runs").second, "\"command\":\"run\"") >= 2;
  }));
  ASSERT_TRUE(Eventually([&] {
    return MetricValue(HttpGet(c.admin_port, "/metrics").second,
                       "rostersync_cycles_total{result=\"ok\"}") >= 2;
  })) << HttpGet(c.admin_port, "/metrics").second;
  std::string metrics = HttpGet(c.admin_port, "/metrics").second;
  EXPECT_NE(metrics.find("rostersync_cycles_total{result=\"ok\"}"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("rostersync_actions_total{action=\"create\",result=\"ok\"}"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("rostersync_api_requests_total{"), std::string::npos);
  EXPECT_NE(metrics.find("rostersync_roster_rows 4"), std::string::npos) << metrics;
  EXPECT_EQ(HttpGet(c.admin_port, "/v1/status").first, 200);
  auto audit = HttpGet(c.admin_port, "/v1/audit?since=1h");
  EXPECT_EQ(audit.first, 200);
  EXPECT_NE(audit.second.find("erin"), std::string::npos);
  auto plan = HttpGet(c.admin_port, "/v1/plan");
  EXPECT_EQ(plan.first, 200) << plan.second;
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync"), 202);

  // SIGHUP with a good config: taken. With a bad one: refused, the service keeps running.
  c.extra = "logging:\n  level: debug\n";
  WriteConfig(dir, c);
  run.Signal(SIGHUP, false);
  ASSERT_TRUE(Eventually([&] { return TempDir::Read(log).find("reloaded") != std::string::npos; }))
      << TempDir::Read(log);
  dir.Write("config.yaml", TempDir::Read(config) + "bogus_section: 1\n");
  run.Signal(SIGHUP, false);
  ASSERT_TRUE(Eventually([&] {
    return TempDir::Read(log).find("keeping the running config") != std::string::npos;
  })) << TempDir::Read(log);
  // The problems follow the "keeping" line: wait for them rather than race the writer.
  EXPECT_TRUE(Eventually([&] {
    return TempDir::Read(log).find("bogus_section") != std::string::npos;
  })) << TempDir::Read(log);
  EXPECT_EQ(HttpGet(c.admin_port, "/healthz").first, 200);

  // SIGTERM: exits 0, promptly (the test's own timeout bounds "promptly").
  int status = run.Signal(SIGTERM, true);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << TempDir::Read(log);
  EXPECT_EQ(TempDir::Read(log).find(c.token), std::string::npos);
}

TEST(E2eRunTest, RefusedTokenMakesReadyzNotReady) {
  TempDir dir;
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  dir.Write("roster.csv", RosterCsv(kE2eRoster));
  E2eConfig c;
  c.url = emu.url();
  c.token = "not-the-token";
  c.admin_port = FreePort();
  std::string config = WriteConfig(dir, c);
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, dir.File("run.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000));
  EXPECT_TRUE(Eventually([&] { return HttpGet(c.admin_port, "/readyz").first == 503; }));
  EXPECT_EQ(HttpGet(c.admin_port, "/healthz").first, 200);
  EXPECT_EQ(emu.WritesTotal(), 0);
}

TEST(E2eRunTest, AdminTokenProtectsPostRoutes) {
  TempDir dir;
  Emulator emu;
  ASSERT_TRUE(emu.ok());
  dir.Write("roster.csv", RosterCsv(kE2eRoster));
  dir.Write("admin-token", "the-admin-token\n");
  E2eConfig c;
  c.url = emu.url();
  c.admin_port = FreePort();
  c.extra = "  token_file: " + dir.File("admin-token") + "\n";  // continues the admin: section
  std::string config = WriteConfig(dir, c);
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, dir.File("run.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(dir.File("run.log"));
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync"), 401);
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync", "wrong"), 401);
  EXPECT_EQ(HttpPost(c.admin_port, "/v1/sync", "the-admin-token"), 202);
}

TEST(E2eRunTest, WithPostgresOnlyOneInstanceAppliesAndTheOtherTakesOver) {
  ScratchDatabase db("rs_daemon_e2e");
  ASSERT_TRUE(db.ok()) << db.error();
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  E2eConfig& c = bed.c;
  std::string config_a = WriteConfig(dir, c);
  std::string yaml = TempDir::Read(config_a);
  yaml = WithPostgresState(yaml, dir, db.conninfo());
  yaml = Replace(yaml, "interval: 1h", "interval: 2s");
  config_a = dir.Write("a.yaml", yaml);
  const int port_b = FreePort();
  std::string config_b =
      dir.Write("b.yaml", Replace(yaml, "127.0.0.1:" + std::to_string(c.admin_port),
                                  "127.0.0.1:" + std::to_string(port_b)));

  auto a = std::make_unique<ChildProcess>(
      RostersyncBinary(), std::vector<std::string>{"--config", config_a, "run"}, dir.File("a.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(dir.File("a.log"));
  ASSERT_TRUE(Eventually([&] {
    return HttpGet(c.admin_port, "/v1/status").second.find("\"role\":\"leader\"") !=
           std::string::npos;
  }));
  ChildProcess b(RostersyncBinary(), {"--config", config_b, "run"}, dir.File("b.log"));
  ASSERT_TRUE(WaitForPort(port_b, 30'000)) << TempDir::Read(dir.File("b.log"));
  ASSERT_TRUE(Eventually([&] {
    return HttpGet(port_b, "/v1/status").second.find("\"role\":\"standby\"") != std::string::npos;
  })) << HttpGet(port_b, "/v1/status").second
      << TempDir::Read(dir.File("b.log"));
  EXPECT_NE(HttpGet(port_b, "/metrics").second.find("rostersync_leader 0"), std::string::npos);

  a->Signal(SIGTERM, true);
  a.reset();
  EXPECT_TRUE(Eventually([&] {
    return HttpGet(port_b, "/v1/status").second.find("\"role\":\"leader\"") != std::string::npos;
  })) << TempDir::Read(dir.File("b.log"));
}

// HA for one-shots: beside a leader, `sync` stands by (exit 0, nothing applied) and
// `sync-user` refuses (exit 1), each saying why.
TEST(E2eRunTest, WithPostgresOneShotSyncStandsByBesideTheLeader) {
  ScratchDatabase db("rs_daemon_e2e");
  ASSERT_TRUE(db.ok()) << db.error();
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  Emulator& emu = bed.emu;
  E2eConfig& c = bed.c;
  std::string yaml = TempDir::Read(WriteConfig(dir, c));
  yaml = WithPostgresState(yaml, dir, db.conninfo());
  std::string config = dir.Write("pg.yaml", yaml);
  ChildProcess leader(RostersyncBinary(), {"--config", config, "run"}, dir.File("a.log"));
  ASSERT_TRUE(WaitForPort(c.admin_port, 30'000)) << TempDir::Read(dir.File("a.log"));
  ASSERT_TRUE(Eventually([&] {
    return HttpGet(c.admin_port, "/v1/runs").second.find("\"result\":\"ok\"") !=
           std::string::npos;
  })) << TempDir::Read(dir.File("a.log"));
  auto roster = kE2eRoster;
  roster.push_back({"E4", "erin", "erin@example.com", "Erin", "Evans", "active"});
  dir.Write("roster2.csv", RosterCsv(roster));
  yaml.replace(yaml.find(dir.File("roster.csv")), dir.File("roster.csv").size(),
               dir.File("roster2.csv"));
  std::string other = dir.Write("other.yaml", yaml);  // the second node sees a new person
  long writes = emu.WritesTotal();
  CliRun sync = RunRostersync(dir, {"--config", other, "sync"});
  EXPECT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_NE(sync.err.find("standby"), std::string::npos) << sync.err;
  CliRun one = RunRostersync(dir, {"--config", other, "sync-user", "E4"});
  EXPECT_EQ(one.exit_code, 1) << one.err;
  EXPECT_NE(one.err.find("leader lock"), std::string::npos) << one.err;
  EXPECT_EQ(emu.WritesTotal(), writes) << "a standby one-shot applied changes";
  EXPECT_EQ(FindEmuUser(emu.Get("/__emu/state"), "erin"), std::nullopt);
}

}  // namespace
}  // namespace rostersync::testing

namespace rostersync::testing {
namespace {

TEST(E2eRunTest, TellsSystemdReadyStatusAndStopping) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  E2eConfig& c = bed.c;
  std::string config = WriteConfig(dir, c);
  // A fake $NOTIFY_SOCKET, as systemd provides for Type=notify.
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string path = dir.File("notify.sock");
  ASSERT_LT(path.size(), sizeof(addr.sun_path));
  std::strcpy(addr.sun_path, path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  setenv("NOTIFY_SOCKET", path.c_str(), 1);
  ChildProcess run(RostersyncBinary(), {"--config", config, "run"}, dir.File("run.log"));
  unsetenv("NOTIFY_SOCKET");
  std::string received;
  auto read_until = [&](const std::string& what) {
    for (int i = 0; i < 300 && received.find(what) == std::string::npos; ++i) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n > 0) received.append(buf, static_cast<size_t>(n)).append("\n");
    }
    return received.find(what) != std::string::npos;
  };
  EXPECT_TRUE(read_until("READY=1")) << received;
  EXPECT_TRUE(read_until("STATUS=sync ok")) << received;
  run.Signal(SIGTERM, true);
  EXPECT_TRUE(read_until("STOPPING=1")) << received;
  close(fd);
}

}  // namespace
}  // namespace rostersync::testing
