// The roster query must read, never write: a single SELECT or WITH statement. Checked by
// check-config (config_checks.cc) and again before every run (roster/sql_source.cc), next to
// the read-only session and statement timeout the source sets up. Pure; thread-safe.
#ifndef ROSTERSYNC_CONFIG_SQL_QUERY_CHECK_H_
#define ROSTERSYNC_CONFIG_SQL_QUERY_CHECK_H_

#include <string>

namespace rostersync {

// "" when `query` is one SELECT or WITH statement (comments and one trailing ';' allowed),
// else why not: "roster.sql.query must be a single SELECT or WITH statement; it starts with
// DELETE" or "... holds more than one statement (';' at offset 41)".
std::string SqlQueryProblem(const std::string& query);

}  // namespace rostersync

#endif  // ROSTERSYNC_CONFIG_SQL_QUERY_CHECK_H_
