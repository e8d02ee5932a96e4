#include "roster/csv_parser.h"

#include <utility>

namespace rostersync {
namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
bool IsBlank(char c) { return c == ' ' || c == '\t'; }
}  // namespace

CsvParser::CsvParser(char delimiter, Callback on_record)
    : delimiter_(delimiter), on_record_(std::move(on_record)) {}

void CsvParser::Feed(std::string_view chunk) {
  size_t i = 0;
  while (!bom_done_ && i < chunk.size()) {
    bom_.push_back(chunk[i++]);
    if (kBom.substr(0, bom_.size()) != bom_) {  // not a BOM: replay what was held back
      bom_done_ = true;
      std::string held;
      held.swap(bom_);
      for (char c : held) Consume(c);
    } else if (bom_.size() == kBom.size()) {
      bom_done_ = true;
      bom_.clear();
    }
  }
  while (i < chunk.size()) {
    // Fast path: inside a value, copy the run up to the next special byte in one go.
    if ((state_ == State::kUnquoted || state_ == State::kQuoted) && !last_was_cr_) {
      size_t j = i;
      if (state_ == State::kUnquoted) {
        while (j < chunk.size() && chunk[j] != delimiter_ && chunk[j] != '\n' &&
               chunk[j] != '\r' && chunk[j] != '"') {
          ++j;
        }
      } else {
        while (j < chunk.size() && chunk[j] != '"' && chunk[j] != '\n' && chunk[j] != '\r') ++j;
      }
      field_.append(chunk.data() + i, j - i);
      CheckLength();
      i = j;
      if (i == chunk.size()) break;
    }
    Consume(chunk[i++]);
  }
}

void CsvParser::NewLine() { ++line_; }

void CsvParser::CheckLength() {
  if (max_record_bytes_ == 0 || record_bytes_ + field_.size() <= max_record_bytes_) return;
  too_long_ = true;
  field_.clear();  // what was kept so far is released; the record is an error anyway
  field_.shrink_to_fit();
}

void CsvParser::EndField() {
  record_bytes_ += field_.size() + 1;  // + the delimiter: a million empty cells count too
  if (max_record_bytes_ != 0 && record_bytes_ > max_record_bytes_ + 1) too_long_ = true;
  if (!too_long_) record_.cells.push_back(std::move(field_));
  field_.clear();
}

void CsvParser::EndRecord() {
  EndField();
  if (too_long_) {
    record_.cells.assign(1, std::string());
    record_.error = "the row is longer than " + std::to_string(max_record_bytes_) +
                    " bytes (roster.limits.max_row_bytes)";
  }
  too_long_ = false;
  record_bytes_ = 0;
  const size_t cells = record_.cells.size();
  on_record_(record_);
  record_.cells.clear();
  record_.cells.reserve(cells);  // the callback may have moved the cells away
  record_.error.clear();
  state_ = State::kRecordStart;
}

void CsvParser::Consume(char c) {
  // A LF right after a CR completes a CRLF line end that was already counted.
  if (last_was_cr_) {
    last_was_cr_ = false;
    if (c == '\n') {
      if (state_ == State::kQuoted) field_.push_back(c);
      return;
    }
  }
  const bool eol = c == '\n' || c == '\r';
  if (state_ == State::kRecordStart) {
    record_.line = line_;
    state_ = State::kFieldStart;
  }
  switch (state_) {
    case State::kRecordStart:  // handled above
    case State::kFieldStart:
      if (c == '"') {
        state_ = State::kQuoted;
        return;
      }
      state_ = State::kUnquoted;
      ConsumeUnquoted(c, eol);
      break;
    case State::kUnquoted:
      ConsumeUnquoted(c, eol);
      break;
    case State::kQuoted:
      ConsumeQuoted(c);
      break;
    case State::kQuoteInQuoted:
      ConsumeQuoteInQuoted(c, eol);
      break;
  }
  if (eol) {
    NewLine();
    last_was_cr_ = c == '\r';
  }
  if ((field_.size() & 0xFFF) == 0xFFF) CheckLength();  // the slow path grows one byte at a time
}

void CsvParser::ConsumeUnquoted(char c, bool eol) {
  if (c == delimiter_) {
    EndField();
    state_ = State::kFieldStart;
  } else if (eol) {
    EndRecord();
  } else if (c == '"' && field_.find_first_not_of(" \t") == std::string::npos) {
    field_.clear();  // blanks before an opening quote: `a, "b"` is read as `b`
    state_ = State::kQuoted;
  } else {
    field_.push_back(c);  // a quote inside an unquoted value is kept literally
  }
}

void CsvParser::ConsumeQuoted(char c) {
  if (c == '"') {
    state_ = State::kQuoteInQuoted;
  } else {
    field_.push_back(c);
  }
}

void CsvParser::ConsumeQuoteInQuoted(char c, bool eol) {
  if (c == '"') {
    field_.push_back('"');
    state_ = State::kQuoted;
  } else if (c == delimiter_) {
    EndField();
    state_ = State::kFieldStart;
  } else if (eol) {
    EndRecord();
  } else if (IsBlank(c)) {
    // blanks after a closing quote are ignored
  } else {
    if (record_.error.empty()) {
      record_.error =
          "text after a closing quote; a quote inside a quoted value must be doubled (\"\")";
    }
    field_.push_back(c);
    state_ = State::kUnquoted;
  }
}

void CsvParser::Finish() {
  if (!bom_done_) {  // a stream shorter than a BOM
    bom_done_ = true;
    std::string held;
    held.swap(bom_);
    if (held != kBom) {
      for (char c : held) Consume(c);
    }
  }
  if (state_ == State::kRecordStart) return;
  if (state_ == State::kQuoted) {
    record_.error = "unterminated quote: the quoted value opened in this record never closes "
                    "(truncated file, or a stray quote)";
  }
  EndRecord();
}

}  // namespace rostersync
