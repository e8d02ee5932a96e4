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
#include "roster/text.h"
#include "sync/roster_source.h"
#include "sync/status.h"

namespace rostersync {

struct CsvOptions {
  char delimiter = ',';
  bool header = true;
  std::string origin;      // used in every `where`: "<origin>:<line>"
  std::string key_column;  // to name the key of a rejected row when it can still be read
  // Limits (0 = none): a longer record, cell or key rejects its row with a clear reason.
  size_t max_row_bytes = 0;
  size_t max_field_bytes = 0;
  size_t max_key_bytes = 0;
};

class CsvTableBuilder {
 public:
  explicit CsvTableBuilder(CsvOptions options);
  CsvTableBuilder(const CsvTableBuilder&) = delete;
  CsvTableBuilder& operator=(const CsvTableBuilder&) = delete;

  void Feed(std::string_view chunk);
  // Returns the table. Invalid if the header row itself is malformed (bad quoting) or names
  // a column twice, or if any byte of the input is not valid UTF-8 (one line naming the file,
  // the first bad line and the encoding it looks like): nothing in the file can then be
  // trusted. An empty input gives a table with no columns and no rows.
  Result<RawTable> Finish();

 private:
  void OnRecord(CsvRecord& record);
  void OnHeader(CsvRecord& record);
  bool CheckUtf8(const CsvRecord& record);  // false (and encoding_status_ set) if not UTF-8
  bool CheckLimits(const CsvRecord& record);
  std::string Where(const CsvRecord& record) const;  // "<origin>:<line>", for messages

  CsvOptions options_;
  CsvParser parser_;
  RawTable table_;
  bool have_header_ = false;
  Status header_status_;
  Status encoding_status_;
  int high_bytes_[256] = {};  // counts of bytes >= 0x80 seen, for the "looks like" guess
  int key_index_ = -1;
  text::StreamHash hash_;
};

// The one-line message for a file that is not valid UTF-8: "roster.csv is not UTF-8 (looks
// like Windows-1252; first bad byte on line 12); re-export as UTF-8 or set
// roster.csv.encoding: windows-1252". `sample` holds (some of) the file's bytes.
std::string NotUtf8Message(const std::string& origin, std::string_view sample, int64_t line);

// Convenience for tests and the fuzzer: the whole input at once.
Result<RawTable> ParseCsvTable(std::string_view data, const CsvOptions& options);

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_CSV_TABLE_H_
