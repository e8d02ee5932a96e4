// SQL roster sources only read and never run long: a query that is not a single SELECT/WITH
// is refused (check-config and every read), a data-modifying statement that slips past that
// check fails on the read-only session, and a slow query ends at roster.sql.timeout.
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "config/config_loader.h"
#include "config/sql_query_check.h"
#include "roster/roster_loader.h"
#include "roster/sql_source.h"
#include "roster_test_util.h"
#include "tests/support/temp_dir.h"

namespace rostersync {
namespace {

using Poco::Data::Keywords::into;
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
  s << "CREATE TABLE " + table + " (employee_id TEXT, first_name TEXT, last_name TEXT, " +
           "email TEXT, kind TEXT, status TEXT)", now;
  s << "INSERT INTO " + table + " VALUES ('E1', 'Ann', 'Lee', 'ann@example.com', 'staff', "
           "'active'), ('E2', 'Bob', 'Ek', 'bob@example.com', 'staff', 'active')", now;
}

int Count(Poco::Data::Session& s, const std::string& table) {
  int n = -1;
  s << "SELECT COUNT(*) FROM " + table, into(n), now;
  return n;
}

// What `plan` does with the roster: read it, map it, gate it.
Result<Roster> Plan(const Config& config) {
  auto source = MakeRosterSource(config.roster);
  if (!source.ok()) return source.status();
  return LoadRoster(**source, config, std::nullopt, 0);
}

TEST(SqlQueryCheckTest, AcceptsOneSelectOrWithOnly) {
  EXPECT_EQ(SqlQueryProblem("SELECT * FROM people"), "");
  EXPECT_EQ(SqlQueryProblem("  -- people\n with p AS (select 1) SELECT * FROM p;\n"), "");
  EXPECT_EQ(SqlQueryProblem("(SELECT 1) UNION (SELECT 2)"), "");
  EXPECT_EQ(SqlQueryProblem("SELECT 'a;b' AS x /* ; */"), "");
  EXPECT_NE(SqlQueryProblem("DELETE FROM people").find("it starts with DELETE"), std::string::npos);
  EXPECT_NE(SqlQueryProblem("/* SELECT */ UPDATE people SET x=1").find("starts with UPDATE"),
            std::string::npos);
  EXPECT_NE(SqlQueryProblem("SELECT 1; DROP TABLE people").find("more than one statement"),
            std::string::npos);
  EXPECT_NE(SqlQueryProblem("  ;  ").find("empty"), std::string::npos);
  EXPECT_NE(SqlQueryProblem(";").find("empty"), std::string::npos);
  EXPECT_NE(SqlQueryProblem("-- only a comment").find("empty"), std::string::npos);
}

TEST(SqlQueryCheckTest, CheckConfigRefusesAWritingQuery) {
  testing::TempDir dir;
  const std::string token = dir.Write("token", "tok\n");
  ConfigLoad load = ParseConfig(
      "mattermost: {url: https://chat.example.com, token_file: " + token + "}\n"
      "roster:\n  key: employee_id\n  source: sql\n  sql:\n    connector: sqlite\n"
      "    connection: " + dir.File("hr.db") + "\n    query: DELETE FROM people\n",
      "c.yaml");
  EXPECT_FALSE(load.ok());
  EXPECT_NE(load.Report().find("roster.sql.query: roster.sql.query must be a single SELECT or "
                               "WITH statement; it starts with DELETE"),
            std::string::npos)
      << load.Report();
}

TEST(SqlReadOnlyTest, SqlitePlanWithADeleteChangesNothing) {
  testing::TempDir dir;
  const std::string db = dir.File("hr.db");
  RegisterSqlConnectors();
  Poco::Data::Session s("sqlite", db);
  Fill(s, "people");
  Result<Roster> plain = Plan(SqlConfigFor("sqlite", db, "DELETE FROM people"));
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("single SELECT or WITH"), std::string::npos);
  // Past the statement check (SQLite allows WITH ... DELETE): query_only refuses the write.
  Result<Roster> cte =
      Plan(SqlConfigFor("sqlite", db, "WITH x AS (SELECT 1) DELETE FROM people"));
  ASSERT_FALSE(cte.ok());
  EXPECT_EQ(cte.status().code(), Status::Code::kIoError) << cte.status().ToString();
  EXPECT_EQ(Count(s, "people"), 2);
  Result<Roster> read = Plan(SqlConfigFor("sqlite", db, "SELECT * FROM people"));
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->entries.size(), 2u);
}

TEST(SqlReadOnlyTest, SqliteQueryStopsAtTheTimeout) {
  testing::TempDir dir;
  const std::string db = dir.File("hr.db");
  RegisterSqlConnectors();
  { Poco::Data::Session s("sqlite", db); Fill(s, "people"); }
  Config config = SqlConfigFor(
      "sqlite", db,
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) "
      "SELECT COUNT(*) AS employee_id FROM c");
  config.roster.sql.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  Result<Roster> r = Plan(config);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
}

class PostgresReadOnlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* pg = std::getenv("ROSTERSYNC_TEST_PG");
    if (pg == nullptr || *pg == '\0') {
      GTEST_FAIL() << "PostgreSQL is a prerequisite, not optional: ROSTERSYNC_TEST_PG is not set (scripts/test starts a server); start a server with "
                      "eval \"$(scripts/start-postgres)\"";
    }
    pg_ = pg;
    RegisterSqlConnectors();
    session_ = std::make_unique<Poco::Data::Session>("postgresql", pg_);
    schema_ = "rs_ro_" + std::to_string(getpid()) + "_" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
    *session_ << "CREATE SCHEMA " + schema_, now;
    Fill(*session_, schema_ + ".people");
  }
  void TearDown() override {
    if (!session_) return;
    try {
      *session_ << "DROP SCHEMA " + schema_ + " CASCADE", now;
    } catch (...) {
    }
  }
  std::string pg_, schema_;
  std::unique_ptr<Poco::Data::Session> session_;
};

TEST_F(PostgresReadOnlyTest, PlanWithADeleteChangesNothing) {
  const std::string table = schema_ + ".people";
  EXPECT_FALSE(Plan(SqlConfigFor("postgresql", pg_, "DELETE FROM " + table)).ok());
  // A data-modifying CTE passes the statement check; the read-only transaction refuses it.
  Result<Roster> cte = Plan(SqlConfigFor(
      "postgresql", pg_, "WITH d AS (DELETE FROM " + table + " RETURNING *) SELECT * FROM d"));
  ASSERT_FALSE(cte.ok());
  EXPECT_NE(cte.status().message().find("read-only"), std::string::npos) << cte.status().message();
  EXPECT_EQ(Count(*session_, table), 2);
}

TEST_F(PostgresReadOnlyTest, QueryStopsAtTheStatementTimeout) {
  Config config = SqlConfigFor("postgresql", pg_,
                               "SELECT employee_id FROM " + schema_ + ".people, pg_sleep(10)");
  config.roster.sql.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  Result<Roster> r = Plan(config);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("statement timeout"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace rostersync
