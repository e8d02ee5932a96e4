// RosterSource: the seam for reading the roster as a table of text cells, before mapping.
// Implemented by roster/csv_source (CSV file) and roster/sql_source (Poco Data).
// Not thread-safe; one Read() at a time.
#ifndef ROSTERSYNC_SYNC_ROSTER_SOURCE_H_
#define ROSTERSYNC_SYNC_ROSTER_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sync/roster.h"
#include "sync/status.h"

namespace rostersync {

struct RawRow {
  std::vector<std::string> cells;  // in the order of RawTable::columns
  std::string where;               // "roster.csv:12" (the line the record starts on) / "row 7"
};

struct RawTable {
  std::vector<std::string> columns;  // header names as read (trimmed)
  std::vector<RawRow> rows;
  std::vector<RowError> errors;      // rows that could not even be split into cells
  std::string origin;                // file path or "sql:postgresql"
  int64_t modified_ms = 0;           // file mtime (0 if unknown) for roster.max_age
  std::string fingerprint;           // digest of the content read
};

class RosterSource {
 public:
  virtual ~RosterSource() = default;
  // Reads the whole roster. IoError if it cannot be read at all (the gate then holds every
  // deactivation); a malformed row becomes a RowError and the rest proceed.
  virtual Result<RawTable> Read() = 0;
  // "csv:/var/lib/rostersync/roster.csv"; never includes a password.
  virtual std::string Describe() const = 0;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_ROSTER_SOURCE_H_
