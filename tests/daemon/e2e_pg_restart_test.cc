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
#include "tests/support/own_postgres.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

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
