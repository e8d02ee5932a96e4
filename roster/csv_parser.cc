#include "roster/csv_parser.h"

#include <utility>

namespace rostersync {
namespace {
constexpr std::string_view kBom = "\xEF\xBB\xBF";
bool IsBlank(char c) { return c == ' ' || c == '\t'; }
}  // namespace

CsvParser::CsvParser(char delimiter, Callback on_record)
    : delimiter_(delimiter), on_record_(std::move(on_record)) {
  for (char c : {delimiter_, '\n', '\r', '"'}) special_[static_cast<unsigned char>(c)] = true;
}

void CsvParser::AppendField(const char* data, size_t n) { record_.text.append(data, n); }
void CsvParser::PushField(char c) { record_.text.push_back(c); }

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
    // Fast path: a value that starts with an ordinary byte is unquoted; inside a value, copy
    // the run up to the next special byte in one go, and end it at a delimiter.
    if (!last_was_cr_ && (state_ == State::kFieldStart || state_ == State::kRecordStart) &&
        !special_[static_cast<unsigned char>(chunk[i])]) {
      if (state_ == State::kRecordStart) record_.line = line_;
      state_ = State::kUnquoted;
    }
    if ((state_ == State::kUnquoted || state_ == State::kQuoted) && !last_was_cr_) {
      size_t j = i;
      if (state_ == State::kUnquoted) {
        while (j < chunk.size() && !special_[static_cast<unsigned char>(chunk[j])]) ++j;
      } else {
        while (j < chunk.size() && chunk[j] != '"' && chunk[j] != '\n' && chunk[j] != '\r') ++j;
      }
      AppendField(chunk.data() + i, j - i);
      CheckLength();
      i = j;
      if (i == chunk.size()) break;
      if (state_ == State::kUnquoted && chunk[i] == delimiter_) {
        EndField();
        state_ = State::kFieldStart;
        ++i;
        continue;
      }
    }
    Consume(chunk[i++]);
  }
}

void CsvParser::NewLine() { ++line_; }

void CsvParser::CheckLength() {
  if (max_record_bytes_ == 0 || record_bytes_ + FieldSize() <= max_record_bytes_) return;
  too_long_ = true;
  // What was kept so far is released; the record is an error anyway.
  record_.Clear();
  record_.text.shrink_to_fit();
  field_begin_ = 0;
}

void CsvParser::EndField() {
  record_bytes_ += FieldSize() + 1;  // + the delimiter: a million empty cells count too
  if (max_record_bytes_ != 0 && record_bytes_ > max_record_bytes_ + 1) too_long_ = true;
  if (too_long_) {
    record_.text.resize(field_begin_);
  } else {
    record_.ends.push_back(static_cast<uint32_t>(record_.text.size()));
  }
  field_begin_ = record_.text.size();
}

void CsvParser::EndRecord() {
  EndField();
  if (too_long_) {
    record_.Clear();
    record_.Add("");
    record_.error = "the row is longer than " + std::to_string(max_record_bytes_) +
                    " bytes (roster.limits.max_row_bytes)";
  }
  too_long_ = false;
  record_bytes_ = 0;
  on_record_(record_);
  record_.Clear();  // keeps the buffers for the next record
  record_.error.clear();
  field_begin_ = 0;
  state_ = State::kRecordStart;
}

void CsvParser::Consume(char c) {
  // A LF right after a CR completes a CRLF line end that was already counted.
  if (last_was_cr_) {
    last_was_cr_ = false;
    if (c == '\n') {
      if (state_ == State::kQuoted) PushField(c);
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
  if ((FieldSize() & 0xFFF) == 0xFFF) CheckLength();  // the slow path grows one byte at a time
}

void CsvParser::ConsumeUnquoted(char c, bool eol) {
  if (c == delimiter_) {
    EndField();
    state_ = State::kFieldStart;
  } else if (eol) {
    EndRecord();
  } else if (c == '"' && std::string_view(record_.text).substr(field_begin_)
                                  .find_first_not_of(" \t") == std::string_view::npos) {
    record_.text.resize(field_begin_);  // blanks before an opening quote: `a, "b"` is read as `b`
    state_ = State::kQuoted;
  } else {
    PushField(c);  // a quote inside an unquoted value is kept literally
  }
}

void CsvParser::ConsumeQuoted(char c) {
  if (c == '"') {
    state_ = State::kQuoteInQuoted;
  } else {
    PushField(c);
  }
}

void CsvParser::ConsumeQuoteInQuoted(char c, bool eol) {
  if (c == '"') {
    PushField('"');
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
    PushField(c);
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
