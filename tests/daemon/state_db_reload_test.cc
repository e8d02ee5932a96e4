// The service and its state database, in process: a SIGHUP that changes state.database is
// refused (a typo would switch the service to a new, empty database and lose every
// identity); the running config stays and the log says a restart is needed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "config/config_loader.h"
#include "daemon/service.h"
#include "sync/clock.h"
#include "tests/support/temp_dir.h"

namespace rostersync::daemon {
namespace {

using ::rostersync::testing::TempDir;

std::string ConfigYaml(const TempDir& dir, const std::string& database) {
  return "mattermost:\n"
         "  url: http://127.0.0.1:1\n"
         "  token_file: " + dir.Write("token", "t\n") + "\n"
         "roster:\n"
         "  source: csv\n"
         "  csv: {path: " + dir.Write("roster.csv", "employee_id,username,email\n") + "}\n"
         "  key: employee_id\n"
         "fields:\n"
         "  username: {column: username}\n"
         "  email: {column: email}\n"
         "state:\n"
         "  database: \"sqlite:" + dir.File(database) + "\"\n"
         "admin:\n"
         "  listen: 127.0.0.1:0\n";
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

TEST(StateDbReloadTest, AReloadThatChangesStateDatabaseIsRefusedAndTheRunningConfigStays) {
  TempDir dir;
  const std::string path = dir.Write("config.yaml", ConfigYaml(dir, "state.db"));
  ConfigLoad load = LoadConfigFile(path);
  ASSERT_TRUE(load.ok()) << load.Report();
  FakeClock clock(1'795'953'600'000);
  Service service(load.config, clock);

  dir.Write("config.yaml", ConfigYaml(dir, "typo-state.db"));
  EXPECT_FALSE(service.Reload(path)) << "a new state.database was taken on SIGHUP";
  EXPECT_NE(service.StatusJson().find("config.yaml"), std::string::npos);
  EXPECT_FALSE(Exists(dir.File("typo-state.db")));

  dir.Write("config.yaml", ConfigYaml(dir, "state.db"));  // the same database: taken
  EXPECT_TRUE(service.Reload(path));
  service.Stop();
}

}  // namespace
}  // namespace rostersync::daemon
