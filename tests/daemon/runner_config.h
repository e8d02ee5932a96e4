// The config the in-process CycleRunner tests share: a CSV roster (employee_id, username,
// email, role) written into a temp dir, an unreachable server and a SQLite state database.
#ifndef ROSTERSYNC_TESTS_DAEMON_RUNNER_CONFIG_H_
#define ROSTERSYNC_TESTS_DAEMON_RUNNER_CONFIG_H_

#include <gtest/gtest.h>

#include <string>

#include "config/config_loader.h"
#include "tests/support/temp_dir.h"

namespace rostersync::testing {

// Writes `roster_csv` as dir/roster.csv and parses a config over it; `csv_options` is added
// to the roster's csv: map (", settle: 0s"), `policy` is the policy: section's body ("" for
// none), the state database is dir/`database`. A config that does not parse fails the test.
inline Config RunnerConfig(const TempDir& dir, const std::string& roster_csv,
                           const std::string& csv_options = "", const std::string& policy = "",
                           const std::string& database = "state.db") {
  std::string roster = dir.Write("roster.csv", roster_csv);
  ConfigLoad load = ParseConfig(
      "mattermost:\n"
      "  url: http://127.0.0.1:1\n"
      "  token_env: UNUSED_TOKEN\n"
      "roster:\n"
      "  source: csv\n"
      "  csv: {path: " + roster + csv_options + "}\n"
      "  key: employee_id\n"
      "fields:\n"
      "  username: {column: username}\n"
      "  email: {column: email}\n"
      "  role: {column: role, map: {guest: system_guest, member: system_user}}\n" +
      (policy.empty() ? "" : "policy:\n" + policy) +
      "state:\n"
      "  database: \"sqlite:" + dir.File(database) + "\"\n",
      "config.yaml");
  EXPECT_TRUE(load.ok()) << load.Report();
  return load.config;
}

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_RUNNER_CONFIG_H_
