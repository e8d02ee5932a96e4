// RosterSource: the seam for reading the roster as a table of text cells, before mapping.
// Implemented by roster/csv_source (CSV file) and roster/sql_source (Poco Data).
// Not thread-safe; one Read() at a time.
#ifndef ROSTERSYNC_SYNC_ROSTER_SOURCE_H_
#define ROSTERSYNC_SYNC_ROSTER_SOURCE_H_

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sync/roster.h"
#include "sync/status.h"

namespace rostersync {

// One data row, compact: its cells end to end in one buffer (no string per cell) and the
// line it starts on (CSV) or its 1-based number (SQL). The text naming the row in messages
// ("roster.csv:12", "row 7 (key=E1)") is built only when one is needed: RawTable::Where.
struct RawRow {
  std::string text;            // the cells, end to end
  std::vector<uint32_t> ends;  // ends[i]: where cell i ends in text
  int64_t line = 0;            // CSV: the line the record starts on; SQL: the row number

  size_t size() const { return ends.size(); }
  std::string_view cell(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
  void Add(std::string_view cell) {
    text.append(cell);
    ends.push_back(static_cast<uint32_t>(text.size()));
  }
  std::vector<std::string> Cells() const {  // copies, for tests and tools
    std::vector<std::string> out;
    for (size_t i = 0; i < size(); ++i) out.emplace_back(cell(i));
    return out;
  }
  void Clear() {
    text.clear();
    ends.clear();
  }
};

struct RawTable {
  std::vector<std::string> columns;  // header names as read (trimmed)
  std::vector<RawRow> rows;
  std::vector<RowError> errors;      // rows that could not even be split into cells
  std::string origin;                // file path or "sql:postgresql"
  int64_t modified_ms = 0;           // file mtime (0 if unknown) for roster.max_age
  std::string fingerprint;           // digest of the content read
  // A query's rows are named by number and key (below): set by the SQL source, with the
  // key column's index (-1: none).
  bool from_query = false;
  int query_key_index = -1;

  // "roster.csv:12" for a file; "row 7" or "row 7 (key=E1)" for a query.
  std::string Where(const RawRow& row) const {
    if (!from_query) {
      char line[24];
      const auto end = std::to_chars(line, line + sizeof(line), row.line).ptr;
      std::string where;
      where.reserve(origin.size() + 1 + static_cast<size_t>(end - line));
      where.append(origin).append(1, ':').append(line, end);
      return where;
    }
    std::string where = "row " + std::to_string(row.line);
    if (query_key_index >= 0 && static_cast<size_t>(query_key_index) < row.size()) {
      std::string_view key = row.cell(static_cast<size_t>(query_key_index));
      auto blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
      };
      while (!key.empty() && blank(key.front())) key.remove_prefix(1);
      while (!key.empty() && blank(key.back())) key.remove_suffix(1);
      if (!key.empty()) where.append(" (key=").append(key).append(")");
    }
    return where;
  }
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
