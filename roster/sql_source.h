// SqlSource: the RosterSource for a SQL query (roster.sql) through Poco Data: SQLite,
// PostgreSQL or MySQL/MariaDB. Every value is read as text (NULL -> ""); columns are the
// query's result columns by name. The connection string may hold a password: it never
// appears in Describe() or in an error. Opens a session per Read(), read-only (SQLite
// query_only, PostgreSQL default_transaction_read_only, MySQL READ ONLY transactions) with a
// statement timeout (roster.sql.timeout), and runs only a single SELECT/WITH; not
// thread-safe.
#ifndef ROSTERSYNC_ROSTER_SQL_SOURCE_H_
#define ROSTERSYNC_ROSTER_SQL_SOURCE_H_

#include <string>

#include "config/config.h"
#include "sync/roster_source.h"
#include "sync/status.h"

namespace rostersync {

class SqlSource : public RosterSource {
 public:
  SqlSource(SqlConfig config, std::string key_column);
  // IoError if the database cannot be opened, the query fails, writes or runs past
  // roster.sql.timeout (the message names the connector and the database error, with any
  // password redacted); Invalid for a query that is not a single SELECT/WITH or a result
  // that names a column twice. Safe to retry.
  Result<RawTable> Read() override;
  std::string Describe() const override { return "sql:" + config_.connector; }

 private:
  SqlConfig config_;
  std::string key_column_;
};

// The connection string from config.connection, the env var connection_env, or the first
// line of connection_file. Invalid (naming the variable or file, never the value) if unset
// or unreadable.
Result<std::string> ResolveConnection(const SqlConfig& config);

// `message` with the connection string and any password=..., :password@ removed.
std::string RedactConnection(std::string message, const std::string& connection);

// Registers the SQLite, PostgreSQL and MySQL connectors with Poco once; thread-safe.
void RegisterSqlConnectors();

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_SQL_SOURCE_H_
