// CsvTableBuilder: turns a CSV byte stream into a RawTable (header, rows, row errors).
// Header names are trimmed; with header=false the columns are named by position "1", "2"…
// (so fields.*.column: "3" reads the third column). Blank lines and rows whose cells are
// all empty are skipped. A row with malformed quoting, invalid UTF-8 or the wrong number of
// cells becomes a RowError with "origin:line". Pure (no Poco, no I/O); not thread-safe.
#ifndef ROSTERSYNC_ROSTER_CSV_TABLE_H_
#define ROSTERSYNC_ROSTER_CSV_TABLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "roster/csv_parser.h"
#include "sync/roster_source.h"
#include "sync/status.h"

namespace rostersync {

struct CsvOptions {
  char delimiter = ',';
  bool header = true;
  std::string origin;      // used in every `where`: "<origin>:<line>"
  std::string key_column;  // to name the key of a rejected row when it can still be read
};

class CsvTableBuilder {
 public:
  explicit CsvTableBuilder(CsvOptions options);
  CsvTableBuilder(const CsvTableBuilder&) = delete;
  CsvTableBuilder& operator=(const CsvTableBuilder&) = delete;

  void Feed(std::string_view chunk);
  // Returns the table. Invalid if the header row itself is malformed (bad quoting, invalid
  // UTF-8) or names a column twice: nothing in the file can then be trusted. An empty input
  // gives a table with no columns and no rows.
  Result<RawTable> Finish();

 private:
  void OnRecord(CsvRecord& record);
  void OnHeader(CsvRecord& record);

  CsvOptions options_;
  CsvParser parser_;
  RawTable table_;
  bool have_header_ = false;
  Status header_status_;
  int key_index_ = -1;
  uint64_t hash_;
};

// Convenience for tests and the fuzzer: the whole input at once.
Result<RawTable> ParseCsvTable(std::string_view data, const CsvOptions& options);

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_CSV_TABLE_H_
