#include "roster/sql_source.h"

#include <Poco/Data/MySQL/Connector.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <cstring>
#include <set>
#include <utility>

#include "config/sql_query_check.h"
#include "roster/text.h"
#include "sync/redact.h"

namespace rostersync {

void RegisterSqlConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
    Poco::Data::MySQL::Connector::registerConnector();
  });
}

std::string RedactConnection(std::string message, const std::string& connection) {
  if (connection.size() >= 4) {
    for (size_t at = message.find(connection); at != std::string::npos;
         at = message.find(connection, at)) {
      message.replace(at, connection.size(), "<connection>");
    }
  }
  return redact::ConnectionString(std::move(message));
}

Result<std::string> ResolveConnection(const SqlConfig& config) {
  if (!config.connection.empty()) return config.connection;
  if (!config.connection_env.empty()) {
    const char* value = std::getenv(config.connection_env.c_str());
    if (value == nullptr || *value == '\0') {
      return Status::Invalid("roster.sql.connection_env names " + config.connection_env +
                             ", which is not set; set it in the service environment");
    }
    return std::string(value);
  }
  if (!config.connection_file.empty()) {
    std::ifstream in(config.connection_file);
    std::string line;
    if (!in || !std::getline(in, line) || text::Trim(line).empty()) {
      return Status::Invalid("cannot read a connection string from roster.sql.connection_file " +
                             config.connection_file + "; check the file and its permissions");
    }
    return text::Trim(line);
  }
  return Status::Invalid(
      "roster.sql needs one of connection, connection_env or connection_file");
}

namespace {

using Clock = std::chrono::steady_clock;

// SQLite has no statement timeout: a progress handler interrupts the query once past the
// deadline (checked every 10,000 virtual machine steps).
int PastDeadline(void* deadline) {
  return Clock::now() > *static_cast<Clock::time_point*>(deadline) ? 1 : 0;
}

// Makes `session` read-only and time-limited before the roster query runs. Throws what Poco
// throws when the database refuses (the caller turns it into an IoError).
void RestrictSession(Poco::Data::Session& session, const SqlConfig& config,
                     Clock::time_point* deadline) {
  using Poco::Data::Keywords::now;
  const int64_t ms = config.timeout_ms > 0 ? config.timeout_ms : 120'000;
  if (config.connector == "sqlite") {
    session << "PRAGMA query_only = 1", now;  // no write reaches the file, whatever the query
    *deadline = Clock::now() + std::chrono::milliseconds(ms);
    sqlite3_progress_handler(Poco::Data::SQLite::Utility::dbHandle(session), 10'000,
                             &PastDeadline, deadline);
  } else if (config.connector == "postgresql") {
    session << "SET default_transaction_read_only = on", now;
    session << ("SET statement_timeout = " + std::to_string(ms)), now;
  } else if (config.connector == "mysql") {
    session << "SET SESSION TRANSACTION READ ONLY", now;
    try {
      session << ("SET SESSION max_execution_time = " + std::to_string(ms)), now;  // MySQL
    } catch (const Poco::Exception&) {
      session << ("SET SESSION max_statement_time = " + std::to_string(ms / 1000.0)), now;  // MariaDB
    }
  }
}

// The query's column names (each once, case-insensitively) and the key column's index.
Status ReadColumns(const Poco::Data::RecordSet& rs, const std::string& what,
                   const std::string& key_column, RawTable* table, int* key_index) {
  std::set<std::string> seen;
  for (size_t c = 0; c < rs.columnCount(); ++c) {
    std::string name = text::Trim(rs.columnName(c));
    if (!seen.insert(text::AsciiLower(name)).second) {
      return Status::Invalid(what + ": the query returns column '" + name +
                             "' twice; give one of them another name with AS");
    }
    if (text::EqualsIgnoreCase(name, text::Trim(key_column))) *key_index = static_cast<int>(c);
    table->columns.push_back(std::move(name));
  }
  return Status::Ok();
}

// The result's rows as text (a row with a cell that is not UTF-8 text is an error instead)
// and the fingerprint of all the cells read.
void ReadRows(const Poco::Data::RecordSet& rs, int key_index, RawTable* table) {
  const size_t columns = rs.columnCount();
  uint64_t hash = text::kFnvOffset;
  const size_t rows = rs.rowCount();
  table->rows.reserve(rows);
  table->from_query = true;
  table->query_key_index = key_index;
  for (size_t r = 0; r < rows; ++r) {
    RawRow row;
    row.ends.reserve(columns);
    row.line = static_cast<int64_t>(r + 1);
    std::string bad_column;
    for (size_t c = 0; c < columns; ++c) {
      std::string cell;
      try {
        const Poco::Dynamic::Var& v = rs.value(c, r);
        if (!v.isEmpty()) cell = v.convert<std::string>();
      } catch (const Poco::Exception&) {
        bad_column = table->columns[c];
      }
      hash = text::Fnv1a64(cell, text::Fnv1a64("\x1f", hash));
      row.Add(cell);
    }
    for (size_t c = 0; c < columns && bad_column.empty(); ++c) {
      if (!text::IsValidUtf8(row.cell(c))) bad_column = table->columns[c];
    }
    if (!bad_column.empty()) {
      const std::string key = key_index >= 0 ? text::Trim(row.cell(key_index)) : std::string();
      const bool named = !key.empty() && text::IsValidUtf8(key);
      const std::string where = "row " + std::to_string(r + 1) + (named ? " (key=" + key + ")" : "");
      table->errors.push_back({where, text::IsValidUtf8(key) ? key : "", bad_column,
                               "the value cannot be read as UTF-8 text; cast it to text in "
                               "roster.sql.query or fix the data"});
      continue;
    }
    hash = text::Fnv1a64("\x1e", hash);
    table->rows.push_back(std::move(row));
  }
  table->fingerprint = text::Hex64(hash);
}

}  // namespace

SqlSource::SqlSource(SqlConfig config, std::string key_column)
    : config_(std::move(config)), key_column_(std::move(key_column)) {}

Result<RawTable> SqlSource::Read() {
  if (std::string why = SqlQueryProblem(config_.query); !why.empty()) {
    return Status::Invalid(why + "; nothing was read or applied");
  }
  Result<std::string> connection = ResolveConnection(config_);
  if (!connection.ok()) return connection.status();
  const std::string& conn = *connection;
  const std::string what = "roster query on " + config_.connector;
  if (config_.connector == "sqlite" && conn != ":memory:") {
    // Poco would silently create a missing SQLite file: refuse instead.
    std::ifstream probe(conn);
    if (!probe) {
      return Status::IoError("cannot open SQLite roster database " + conn +
                             "; check roster.sql.connection and the file's permissions");
    }
  }
  RegisterSqlConnectors();
  RawTable table;
  table.origin = "sql:" + config_.connector;
  try {
    Poco::Data::Session session(config_.connector, conn, 30);
    Clock::time_point deadline;
    RestrictSession(session, config_, &deadline);
    Poco::Data::Statement select(session);
    select << config_.query;
    select.execute();
    Poco::Data::RecordSet rs(select);
    int key_index = -1;
    Status columns = ReadColumns(rs, what, key_column_, &table, &key_index);
    if (!columns.ok()) return columns;
    ReadRows(rs, key_index, &table);
  } catch (const Poco::Exception& e) {
    return Status::IoError(RedactConnection(what + " failed: " + e.displayText(), conn) +
                           "; check roster.sql (connection and query); nothing was applied");
  } catch (const std::exception& e) {
    return Status::IoError(RedactConnection(what + " failed: " + e.what(), conn) +
                           "; check roster.sql; nothing was applied");
  }
  return table;
}

}  // namespace rostersync
