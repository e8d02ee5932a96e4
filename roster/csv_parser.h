// CsvParser: a streaming RFC 4180 record splitter. Feed it chunks of bytes in order; it
// calls back once per record with the cells and the line the record starts on. Handles
// quoted fields with delimiters, CR/LF/CRLF and doubled quotes inside, a UTF-8 BOM, CRLF or
// LF line ends. Malformed quoting never throws: the record carries an error instead.
// Pure (no Poco, no I/O). One instance per stream; not thread-safe.
#ifndef ROSTERSYNC_ROSTER_CSV_PARSER_H_
#define ROSTERSYNC_ROSTER_CSV_PARSER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/roster_source.h"

namespace rostersync {

// A record: its cells packed in one buffer (RawRow: text + cell ends) and `line`, the
// 1-based line on which it starts.
struct CsvRecord : RawRow {
  std::string error;  // non-empty: malformed (unterminated quote, text after a closing quote)
};

class CsvParser {
 public:
  using Callback = std::function<void(CsvRecord& record)>;

  // `on_record` is called for every record, blank lines included (as one empty cell).
  CsvParser(char delimiter, Callback on_record);
  CsvParser(const CsvParser&) = delete;
  CsvParser& operator=(const CsvParser&) = delete;

  // A record longer than this (all its cells) keeps no more bytes and carries the error
  // "the row is longer than N bytes", so one huge record never fills memory. 0 = no limit.
  void set_max_record_bytes(size_t max) { max_record_bytes_ = max; }

  // Consumes the next bytes of the stream; chunk boundaries may fall anywhere.
  void Feed(std::string_view chunk);
  // Ends the stream: emits the last record if the input did not end with a newline.
  // A quote still open here makes that record an "unterminated quote" error.
  void Finish();

 private:
  enum class State { kRecordStart, kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  void Consume(char c);
  // The bytes of the field being read: record_.text from field_begin_ on.
  size_t FieldSize() const { return record_.text.size() - field_begin_; }
  void AppendField(const char* data, size_t n);
  void PushField(char c);
  // Consume's states (`eol`: c is CR or LF): in an unquoted value, in a quoted one, and
  // right after a quote inside a quoted value (a doubled quote or the closing one).
  void ConsumeUnquoted(char c, bool eol);
  void ConsumeQuoted(char c);
  void ConsumeQuoteInQuoted(char c, bool eol);
  void EndField();
  void EndRecord();
  void NewLine();  // counts a line end (CR, LF or CRLF count once)
  void CheckLength();  // drops the record's bytes once it is longer than max_record_bytes_

  char delimiter_;
  Callback on_record_;
  State state_ = State::kRecordStart;
  CsvRecord record_;
  size_t field_begin_ = 0;  // where the current field starts in record_.text
  bool special_[256] = {};  // bytes that end an unquoted run: delimiter, CR, LF, quote
  int64_t line_ = 1;
  bool last_was_cr_ = false;
  std::string bom_;  // bytes of a possible BOM at the start of the stream
  bool bom_done_ = false;
  size_t max_record_bytes_ = 0;
  size_t record_bytes_ = 0;  // bytes of the cells already ended in this record
  bool too_long_ = false;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_CSV_PARSER_H_
