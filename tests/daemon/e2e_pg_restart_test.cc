// End to end: the PostgreSQL state database restarts under `rostersync run` (pg_ctl stop,
// then start). While it is down the service is not ready and every failed requested sync
// counts; once it is back the service reconnects by itself (no restart, no SIGHUP) and
// syncs, and is ready again.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <cstdlib>
#include <string>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

// A PostgreSQL server of this test's own (scripts/start-postgres in a fresh directory on a
// free port), so stopping it disturbs no other test.
class OwnPostgres {
 public:
  OwnPostgres() : port_(FreePort()) {
    char tmpl[] = "/tmp/rs-pg-e2e-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return;
    dir_ = tmpl;
    ok_ = Script("") == 0;
  }
  ~OwnPostgres() {
    if (dir_.empty()) return;
    Script("--stop");
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  bool ok() const { return ok_; }
  std::string url() const {
    return "postgresql:host=127.0.0.1 port=" + std::to_string(port_) +
           " dbname=rostersync_test user=postgres";
  }
  int Stop() { return Script("--stop"); }
  int Start() { return Script(""); }

 private:
  int Script(const std::string& flag) {
    std::string cmd = "ROSTERSYNC_PG_PORT=" + std::to_string(port_) + " bash '" + SourceDir() +
                      "/scripts/start-postgres' " + flag + " '" + dir_ + "' >/dev/null 2>&1";
    return std::system(cmd.c_str());
  }
  int port_;
  std::string dir_;
  bool ok_ = false;
};

TEST(E2ePgRestartTest, TheServiceReconnectsAfterTheStateDatabaseRestarts) {
  OwnPostgres pg;
  ASSERT_TRUE(pg.ok()) << "cannot start a PostgreSQL server with scripts/start-postgres";
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  std::string yaml = TempDir::Read(WriteConfig(dir, bed.c));
  const std::string sqlite = "\"sqlite:" + dir.File("state.db") + "\"";
  yaml.replace(yaml.find(sqlite), sqlite.size(), "\"" + pg.url() + "\"");
  const std::string config = dir.Write("pg.yaml", yaml);
  const std::string log = dir.File("run.log");
  auto run = StartService(config, log, bed.c.admin_port);
  ASSERT_NE(run, nullptr) << TempDir::Read(log);
  const int port = bed.c.admin_port;
  auto ok_runs = [&] { return CountOf(HttpGet(port, "/v1/runs").second, "\"result\":\"ok\""); };
  ASSERT_TRUE(Eventually([&] { return ok_runs() >= 1; })) << TempDir::Read(log);
  EXPECT_EQ(HttpGet(port, "/readyz").first, 200);
  const int before = ok_runs();  // kept in the database across its restart

  ASSERT_EQ(pg.Stop(), 0);
  HttpPost(port, "/v1/sync?wait=true");
  HttpPost(port, "/v1/sync?wait=true");
  EXPECT_EQ(HttpGet(port, "/readyz").first, 503) << "ready while the state database is down";
  const std::string status = HttpGet(port, "/v1/status").second;
  EXPECT_NE(status.find("the state database is failing"), std::string::npos) << status;
  EXPECT_NE(status.find("\"consecutive_failures\":2"), std::string::npos) << status;

  ASSERT_EQ(pg.Start(), 0);
  // The first cycle may meet the store's dead session; the store renews it for the next.
  EXPECT_TRUE(Eventually([&] {
    HttpPost(port, "/v1/sync?wait=true");
    return ok_runs() > before;
  }, 20'000)) << "never synced again after the restart:\n" << TempDir::Read(log);
  EXPECT_EQ(HttpGet(port, "/readyz").first, 200) << HttpGet(port, "/v1/status").second;
  EXPECT_NE(HttpGet(port, "/v1/status").second.find("\"consecutive_failures\":0"),
            std::string::npos);
  run->Signal(SIGTERM, true);
}

}  // namespace
}  // namespace rostersync::testing
