#include "roster/sql_source.h"

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "roster/roster_loader.h"
#include "roster_test_util.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using Poco::Data::Keywords::now;

Config SqlConfigFor(const std::string& connector, const std::string& connection,
                    const std::string& query) {
  Config config;
  config.roster.source = "sql";
  config.roster.sql.connector = connector;
  config.roster.sql.connection = connection;
  config.roster.sql.query = query;
  config.fields = testing::TypicalFields();
  return config;
}

void Fill(Poco::Data::Session& s, const std::string& table) {
  s << "CREATE TABLE " + table +
           " (employee_id TEXT, first_name TEXT, last_name TEXT, email TEXT, kind TEXT, "
           "status TEXT, age INTEGER)", now;
  s << "INSERT INTO " + table +
           " VALUES ('E1', 'José', 'Ñúñez', 'jose@example.com', 'admin', 'active', 41),"
           " ('E2', 'Ann', NULL, 'ann@example.com', 'staff', 'active', NULL),"
           " ('E3', 'Bob', 'Bad', 'bob@example.com', 'staff', 'gone', 30)", now;
}

void ExpectPeople(const Roster& r) {
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].username, "jose.nunez");
  EXPECT_EQ(r.entries[0].role, Role::kAdmin);
  EXPECT_EQ(r.entries[1].last_name, "");  // NULL -> ""
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_EQ(r.rejected[0].where, "row 3 (key=E3)");
  EXPECT_EQ(r.rejected[0].column, "status");
}

TEST(SqlSourceTest, ReadsASqliteQueryByColumnName) {
  testing::TempDir dir;
  const std::string db = dir.File("hr.db");
  RegisterSqlConnectors();
  {
    Poco::Data::Session s("sqlite", db);
    Fill(s, "people");
  }
  Config config = SqlConfigFor("sqlite", db,
                               "SELECT status, kind, email, last_name, first_name, employee_id, "
                               "age FROM people ORDER BY employee_id");
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->Describe(), "sql:sqlite");
  auto roster = LoadRoster(**source, config, std::nullopt, 0);
  ASSERT_TRUE(roster.ok()) << roster.status().ToString();
  ExpectPeople(*roster);
  EXPECT_TRUE(roster->trusted);
}

TEST(SqlSourceTest, MissingSqliteFileIsAnIoErrorAndIsNotCreated) {
  testing::TempDir dir;
  Config config = SqlConfigFor("sqlite", dir.File("none.db"), "SELECT 1");
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok());
  auto table = (*source)->Read();
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), Status::Code::kIoError);
  EXPECT_NE(access(dir.File("none.db").c_str(), F_OK), 0);
}

TEST(SqlSourceTest, BadQueryIsAnIoError) {
  testing::TempDir dir;
  const std::string db = dir.File("hr.db");
  RegisterSqlConnectors();
  { Poco::Data::Session s("sqlite", db); Fill(s, "people"); }
  auto source = MakeRosterSource(SqlConfigFor("sqlite", db, "SELECT * FROM nobody").roster);
  ASSERT_TRUE(source.ok());
  auto table = (*source)->Read();
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("roster.sql"), std::string::npos);
}

TEST(SqlSourceTest, ReadsTheConnectionFromEnvOrCredentialFile) {
  testing::TempDir dir;
  SqlConfig sql;
  sql.connection_env = "ROSTERSYNC_TEST_ROSTER_CONN_UNSET";
  unsetenv(sql.connection_env.c_str());
  auto missing = ResolveConnection(sql);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("ROSTERSYNC_TEST_ROSTER_CONN_UNSET"), std::string::npos);
  setenv(sql.connection_env.c_str(), "host=x password=s3cret", 1);
  EXPECT_EQ(*ResolveConnection(sql), "host=x password=s3cret");
  unsetenv(sql.connection_env.c_str());
  sql.connection_env.clear();
  sql.connection_file = dir.Write("conn", "host=y password=s3cret\n");
  EXPECT_EQ(*ResolveConnection(sql), "host=y password=s3cret");
}

TEST(SqlSourceTest, NeverPutsThePasswordInAnError) {
  const std::string conn =
      "host=127.0.0.1 port=1 dbname=x user=nobody password=hunter2secret connect_timeout=2";
  auto source = MakeRosterSource(SqlConfigFor("postgresql", conn, "SELECT 1").roster);
  ASSERT_TRUE(source.ok());
  EXPECT_EQ((*source)->Describe().find("hunter2"), std::string::npos);
  auto table = (*source)->Read();
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message().find("hunter2secret"), std::string::npos)
      << table.status().message();
  EXPECT_EQ(RedactConnection("dsn postgresql://u:pw1234@h/db and password='a b' pwd=zz", ""),
            "dsn postgresql://u:***@h/db and password=*** pwd=***");
}

TEST(SqlSourceTest, ReadsAPostgresqlQuery) {
  const char* pg = std::getenv("ROSTERSYNC_TEST_PG");
  if (pg == nullptr || *pg == '\0') {
    GTEST_FAIL() << "PostgreSQL is a prerequisite, not optional: ROSTERSYNC_TEST_PG is not set (scripts/test starts a server); start a server with "
                    "eval \"$(scripts/start-postgres)\"";
  }
  RegisterSqlConnectors();
  const std::string schema =
      "rs_roster_" + std::to_string(getpid()) + "_" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
  Poco::Data::Session s("postgresql", pg);
  s << "CREATE SCHEMA " + schema, now;
  struct Drop {
    Poco::Data::Session& s;
    std::string schema;
    ~Drop() {
      try {
        s << "DROP SCHEMA " + schema + " CASCADE", now;
      } catch (...) {
      }
    }
  } drop{s, schema};
  Fill(s, schema + ".people");
  Config config = SqlConfigFor("postgresql", pg,
                               "SELECT * FROM " + schema + ".people ORDER BY employee_id");
  auto source = MakeRosterSource(config.roster);
  ASSERT_TRUE(source.ok());
  auto roster = LoadRoster(**source, config, std::nullopt, 0);
  ASSERT_TRUE(roster.ok()) << roster.status().ToString();
  ExpectPeople(*roster);
}

}  // namespace
}  // namespace rostersync
