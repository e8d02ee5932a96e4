// The real binary against hostile roster sources: `plan` with a writing SQL query changes
// nothing (SQLite, PostgreSQL), a FIFO roster is refused at once, check-config names a
// mapped column the roster header lacks, and control characters in roster values never
// reach stderr raw. No Mattermost server is needed: the roster is read (and refused) first.
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "roster/sql_source.h"
#include "tests/daemon/e2e_support.h"

namespace rostersync::testing {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

std::string Config(const TempDir& dir, const std::string& roster_yaml) {
  dir.Write("mm-token", "admin-token-for-tests\n");
  return dir.Write("config.yaml",
                   "mattermost:\n  url: http://127.0.0.1:9\n  token_file: " + dir.File("mm-token") +
                       "\n  retries: {max_attempts: 1}\n  timeout: 2s\n"
                       "roster:\n  key: employee_id\n" + roster_yaml +
                       "fields:\n  username: {column: username}\n  email: {column: email}\n"
                       "  first_name: {column: first_name}\n  last_name: {column: last_name}\n"
                       "  active: {column: status, true: [active], false: [terminated]}\n"
                       "state:\n  database: \"sqlite:" + dir.File("state.db") + "\"\n"
                       "audit:\n  file: " + dir.File("audit.jsonl") + "\n");
}

std::string SqlRoster(const std::string& connector, const std::string& connection,
                      const std::string& query) {
  return "  source: sql\n  sql:\n    connector: " + connector + "\n    connection: \"" +
         connection + "\"\n    query: \"" + query + "\"\n";
}

void Fill(Poco::Data::Session& s, const std::string& table) {
  s << "CREATE TABLE " + table + " (employee_id TEXT, username TEXT, email TEXT, " +
           "first_name TEXT, last_name TEXT, status TEXT)", now;
  s << "INSERT INTO " + table + " VALUES ('E1', 'ann', 'ann@example.com', 'Ann', 'Lee', "
           "'active'), ('E2', 'bob', 'bob@example.com', 'Bob', 'Ek', 'active')", now;
}

int Count(Poco::Data::Session& s, const std::string& table) {
  int n = -1;
  s << "SELECT COUNT(*) FROM " + table, into(n), now;
  return n;
}

TEST(E2eRosterSourcesTest, SqlitePlanWithADeleteQueryChangesNothing) {
  TempDir dir;
  const std::string db = dir.File("hr.db");
  RegisterSqlConnectors();
  Poco::Data::Session s("sqlite", db);
  Fill(s, "people");
  CliRun plain = RunRostersync(
      dir, {"plan", "--config", Config(dir, SqlRoster("sqlite", db, "DELETE FROM people"))});
  EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
  EXPECT_NE((plain.out + plain.err).find("single SELECT or WITH"), std::string::npos)
      << plain.out << plain.err;
  CliRun cte = RunRostersync(
      dir, {"plan", "--config",
            Config(dir, SqlRoster("sqlite", db, "WITH x AS (SELECT 1) DELETE FROM people"))});
  EXPECT_EQ(cte.exit_code, 1) << cte.out << cte.err;
  EXPECT_EQ(Count(s, "people"), 2);
}

TEST(E2eRosterSourcesTest, PostgresqlPlanWithADeleteQueryChangesNothing) {
  const char* pg = std::getenv("ROSTERSYNC_TEST_PG");
  if (pg == nullptr || *pg == '\0') {
    GTEST_FAIL() << "PostgreSQL is a prerequisite, not optional: ROSTERSYNC_TEST_PG is not set (scripts/test starts a server); start a server with "
                    "eval \"$(scripts/start-postgres)\"";
  }
  TempDir dir;
  RegisterSqlConnectors();
  Poco::Data::Session s("postgresql", pg);
  const std::string schema = "rs_e2e_ro_" + std::to_string(getpid());
  s << "DROP SCHEMA IF EXISTS " + schema + " CASCADE", now;
  s << "CREATE SCHEMA " + schema, now;
  const std::string table = schema + ".people";
  Fill(s, table);
  CliRun plain = RunRostersync(
      dir, {"plan", "--config", Config(dir, SqlRoster("postgresql", pg, "DELETE FROM " + table))});
  EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
  CliRun cte = RunRostersync(
      dir, {"plan", "--config",
            Config(dir, SqlRoster("postgresql", pg,
                                  "WITH d AS (DELETE FROM " + table + " RETURNING *) SELECT * FROM d"))});
  EXPECT_EQ(cte.exit_code, 1) << cte.out << cte.err;
  EXPECT_NE(cte.err.find("read-only"), std::string::npos) << cte.err;
  EXPECT_EQ(Count(s, table), 2);
  s << "DROP SCHEMA " + schema + " CASCADE", now;
}

TEST(E2eRosterSourcesTest, FifoRosterIsRefusedAtOnce) {
  TempDir dir;
  const std::string fifo = dir.File("roster.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  CliRun run = RunRostersync(dir, {"plan", "--config", Config(dir, "  csv: {path: " + fifo + "}\n")});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("is a FIFO (named pipe)"), std::string::npos) << run.err;
}

TEST(E2eRosterSourcesTest, CheckConfigNamesAMappedColumnTheHeaderLacks) {
  TempDir dir;
  const std::string roster =
      dir.Write("roster.csv", "employee_id,username,email,first_name,status\nE1,ann,ann@x.io,Ann,active\n");
  CliRun run = RunRostersync(dir, {"check-config", "--config",
                                   Config(dir, "  csv: {path: " + roster + "}\n")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("roster: " + roster + ": column 'last_name'"), std::string::npos) << run.out;
}

TEST(E2eRosterSourcesTest, ControlCharactersInRosterValuesAreEscapedInLogs) {
  TempDir dir;
  const std::string roster = dir.Write(
      "roster.csv",
      "employee_id,username,email,first_name,last_name,status\n"
      "E1,ann,ann@x.io,Ann,Lee,some\x1b[2Ktimes\n"
      "E2,bob,bob@x.io,Bob,Ek,\"x\n2026-01-01T00:00:00.000Z info  forged\"\n");
  CliRun run = RunRostersync(dir, {"plan", "--config", Config(dir, "  csv: {path: " + roster + "}\n")});
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("\n2026-01-01T00:00:00.000Z info  forged"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("some\\x1b[2Ktimes"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("x\\n2026-01-01T00:00:00.000Z info  forged"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace rostersync::testing
