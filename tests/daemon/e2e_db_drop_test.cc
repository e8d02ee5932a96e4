// End to end: the PostgreSQL state database drops while `rostersync run` leads. The service
// must say so (the database is unreachable, its password masked) and count a failed cycle,
// not log "standby" as if another instance held the leader lock.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/daemon/e2e_support.h"
#include "tests/daemon/scratch_database.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

constexpr char kDbPassword[] = "db-pass-never-logged-7f3a";

TEST(E2eDbDropTest, ALostStateDatabaseIsLoggedAsSuchNotAsStandby) {
  ScratchDatabase db("rs_db_drop_e2e");
  ASSERT_TRUE(db.ok()) << db.error();
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  TempDir& dir = bed.dir;
  std::string yaml = TempDir::Read(WriteConfig(dir, bed.c));
  // A password the server does not ask for (trust): it must never reach the log.
  yaml = WithPostgresState(yaml, dir, db.conninfo() + " password=" + kDbPassword);
  yaml.replace(yaml.find("interval: 1h"), 12, "interval: 1s");
  const std::string config = dir.Write("pg.yaml", yaml);
  const std::string log = dir.File("run.log");
  auto run = StartService(config, log, bed.c.admin_port);
  ASSERT_NE(run, nullptr) << TempDir::Read(log);
  ASSERT_TRUE(Eventually([&] {
    return HttpGet(bed.c.admin_port, "/v1/runs").second.find("\"result\":\"ok\"") !=
           std::string::npos;
  })) << TempDir::Read(log);
  const size_t before = TempDir::Read(log).size();

  ASSERT_TRUE(db.Drop());
  auto after = [&] { return TempDir::Read(log).substr(before); };
  EXPECT_TRUE(Eventually([&] {
    return after().find("cannot reach the PostgreSQL state database") != std::string::npos;
  })) << after();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // a few more cycles
  const std::string text = after();
  EXPECT_NE(text.find("cycle not run"), std::string::npos) << text;
  EXPECT_EQ(text.find("standby"), std::string::npos) << text;
  EXPECT_EQ(text.find("another rostersync instance"), std::string::npos) << text;
  EXPECT_EQ(TempDir::Read(log).find(kDbPassword), std::string::npos);
  const std::string status = HttpGet(bed.c.admin_port, "/v1/status").second;
  EXPECT_EQ(status.find("\"role\":\"standby\""), std::string::npos) << status;
  const std::string metrics = HttpGet(bed.c.admin_port, "/metrics").second;
  EXPECT_NE(metrics.find("rostersync_leader 0"), std::string::npos);  // it applies nothing
  run->Signal(SIGTERM, true);
}

}  // namespace
}  // namespace rostersync::testing
