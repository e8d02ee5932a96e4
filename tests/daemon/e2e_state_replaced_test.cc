// End to end: state.db (SQLite) is deleted under `rostersync run`. The service must not
// write on into the deleted file (a one-shot command would then start a second database
// beside it): every cycle fails saying so, /readyz is 503, and no new state.db appears.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "tests/daemon/e2e_support.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {
namespace {

TEST(E2eStateReplacedTest, ADeletedStateDbFailsEveryCycleAndMakesTheServiceNotReady) {
  E2eBed bed;
  ASSERT_TRUE(bed.emu.ok());
  const std::string config = WriteConfig(bed.dir, bed.c);
  const std::string log = bed.dir.File("run.log");
  auto run = StartService(config, log, bed.c.admin_port);
  ASSERT_NE(run, nullptr) << TempDir::Read(log);
  const int port = bed.c.admin_port;
  ASSERT_TRUE(Eventually([&] {
    return HttpGet(port, "/v1/runs").second.find("\"result\":\"ok\"") != std::string::npos;
  })) << TempDir::Read(log);
  ASSERT_EQ(HttpGet(port, "/readyz").first, 200);

  const std::string db = bed.dir.File("state.db");
  ASSERT_EQ(std::remove(db.c_str()), 0);
  HttpPost(port, "/v1/sync?wait=true");
  EXPECT_TRUE(Eventually([&] {
    return TempDir::Read(log).find("was removed or replaced while the service ran") !=
           std::string::npos;
  }, 10'000)) << TempDir::Read(log);
  EXPECT_EQ(HttpGet(port, "/readyz").first, 503) << "ready on a deleted state database";
  const std::string status = HttpGet(port, "/v1/status").second;
  EXPECT_NE(status.find("restore it or restart"), std::string::npos) << status;
  struct stat st {};
  EXPECT_NE(::stat(db.c_str(), &st), 0) << "a new state.db was created at the path";
  run->Signal(SIGTERM, true);
}

}  // namespace
}  // namespace rostersync::testing
