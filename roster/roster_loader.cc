// MakeRosterSource and LoadRoster: the I/O-facing half of roster_loader.h.
#include "roster/roster_loader.h"

#include <utility>

#include "roster/csv_source.h"
#include "roster/sql_source.h"

namespace rostersync {

Result<std::unique_ptr<RosterSource>> MakeRosterSource(const RosterConfig& config) {
  if (config.key.empty()) {
    return Status::Invalid("roster.key is required: name the column that identifies a person");
  }
  if (config.source == "csv") {
    if (config.csv.path.empty()) return Status::Invalid("roster.csv.path is empty");
    if (config.csv.delimiter == '"' || config.csv.delimiter == '\n' ||
        config.csv.delimiter == '\r' || config.csv.delimiter == '\0') {
      return Status::Invalid("roster.csv.delimiter cannot be a quote, a newline or NUL");
    }
    return std::unique_ptr<RosterSource>(new CsvSource(config.csv, config.key, config.limits));
  }
  if (config.source == "sql") {
    const auto& c = config.sql.connector;
    if (c != "sqlite" && c != "postgresql" && c != "mysql") {
      return Status::Invalid("roster.sql.connector '" + c +
                             "' is not one of sqlite, postgresql, mysql");
    }
    if (config.sql.query.empty()) return Status::Invalid("roster.sql.query is empty");
    Result<std::string> connection = ResolveConnection(config.sql);
    if (!connection.ok()) return connection.status();
    return std::unique_ptr<RosterSource>(new SqlSource(config.sql, config.key));
  }
  return Status::Invalid("roster.source '" + config.source + "' is not csv or sql");
}

Result<Roster> LoadRoster(RosterSource& source, const Config& config,
                          const std::optional<RosterFingerprint>& last_accepted, int64_t now_ms) {
  Result<RawTable> table = source.Read();
  if (!table.ok()) return table.status();
  const int64_t modified_ms = table->modified_ms;
  Roster roster = MapRosterConsuming(std::move(*table), config.fields, config.roster.key);
  ApplyIntegrityGate(&roster, config.roster, config.policy.max_deactivations, last_accepted,
                     modified_ms, now_ms);
  return roster;
}

}  // namespace rostersync
