#include "roster/csv_table.h"

#include <cstring>
#include <set>
#include <utility>

#include "roster/text.h"

namespace rostersync {

namespace {

// Bytes that Windows-1252 leaves undefined; any other byte >= 0x80 is a character there.
bool Cp1252Undefined(unsigned char b) {
  return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string NotUtf8Message(const std::string& origin, std::string_view sample, int64_t line) {
  bool undefined = false;
  for (unsigned char b : sample) undefined = undefined || Cp1252Undefined(b);
  // Every byte is a Windows-1252 letter: the usual Excel "CSV (Comma delimited)" export
  // (ISO-8859-1 text reads the same there, so the more common name is given).
  const std::string guess = undefined ? "an unknown 8-bit encoding" : "Windows-1252";
  const std::string name = BaseName(origin.empty() ? std::string("the roster") : origin);
  return name + " is not UTF-8 (looks like " + guess + "; first bad byte on line " +
         std::to_string(line) + "); re-export as UTF-8 or set roster.csv.encoding: " +
         (undefined ? "the file's encoding" : "windows-1252") + " (nothing was applied)";
}

CsvTableBuilder::CsvTableBuilder(CsvOptions options)
    : options_(std::move(options)),
      parser_(options_.delimiter, [this](CsvRecord& record) { OnRecord(record); }) {
  table_.origin = options_.origin;
  parser_.set_max_record_bytes(options_.max_row_bytes);
}

void CsvTableBuilder::Feed(std::string_view chunk) {
  hash_.Update(chunk);
  // Counts of the bytes >= 0x80 (the "looks like" guess); eight bytes at a time, as
  // nearly every word of an export is ASCII.
  size_t i = 0;
  for (; i + 8 <= chunk.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, chunk.data() + i, 8);
    if ((word & 0x8080808080808080ULL) == 0) continue;
    for (size_t k = i; k < i + 8; ++k) {
      const auto b = static_cast<unsigned char>(chunk[k]);
      if (b >= 0x80) ++high_bytes_[b];
    }
  }
  for (; i < chunk.size(); ++i) {
    const auto b = static_cast<unsigned char>(chunk[i]);
    if (b >= 0x80) ++high_bytes_[b];
  }
  parser_.Feed(chunk);
}

Result<RawTable> CsvTableBuilder::Finish() {
  parser_.Finish();
  if (!encoding_status_.ok()) return encoding_status_;
  if (!header_status_.ok()) return header_status_;
  table_.fingerprint = text::Hex64(hash_.Finish());
  return std::move(table_);
}

bool CsvTableBuilder::CheckUtf8(const CsvRecord& record) {
  // The cells end to end are valid, and no cell starts inside a rune: each cell is then a
  // run of whole runes, so valid too (nearly every row ends here).
  if (text::IsValidUtf8(record.text)) {
    bool split = false;
    for (size_t i = 0; i + 1 < record.size() && !split; ++i) {
      const uint32_t end = record.ends[i];
      split = end < record.text.size() &&
              (static_cast<unsigned char>(record.text[end]) & 0xC0) == 0x80;
    }
    if (!split) return true;
  }
  for (size_t i = 0; i < record.size(); ++i) {
    if (text::IsValidUtf8(record.cell(i))) continue;
    std::string sample;
    for (int b = 0x80; b < 0x100; ++b) {
      if (high_bytes_[b] > 0) sample.push_back(static_cast<char>(b));
    }
    encoding_status_ = Status::Invalid(NotUtf8Message(options_.origin, sample, record.line));
    return false;
  }
  return true;
}

bool CsvTableBuilder::CheckLimits(const CsvRecord& record) {
  const size_t max_field = options_.max_field_bytes;
  const size_t max_key = options_.max_key_bytes;
  std::string_view key;
  bool key_ok = key_index_ >= 0 && static_cast<size_t>(key_index_) < record.size();
  if (key_ok) {
    key = text::TrimView(record.cell(key_index_));
    if (max_key != 0 && key.size() > max_key) {
      table_.errors.push_back({Where(record), "", table_.columns[key_index_],
                               "the key is " + std::to_string(key.size()) + " bytes, more than " +
                                   std::to_string(max_key) +
                                   " (roster.limits.max_key_bytes); fix the export"});
      return false;
    }
  }
  if (max_field == 0) return true;
  for (size_t i = 0; i < record.size(); ++i) {
    const size_t size = record.cell(i).size();
    if (size <= max_field) continue;
    table_.errors.push_back({Where(record), std::string(key), table_.columns[i],
                             "the value is " + std::to_string(size) + " bytes, more than " +
                                 std::to_string(max_field) +
                                 " (roster.limits.max_field_bytes); fix the export"});
    return false;
  }
  return true;
}

std::string CsvTableBuilder::Where(const CsvRecord& record) const {
  return options_.origin + ":" + std::to_string(record.line);
}

void CsvTableBuilder::OnHeader(CsvRecord& record) {
  const std::string where = options_.origin + ":" + std::to_string(record.line);
  have_header_ = true;
  if (!record.error.empty()) {
    header_status_ = Status::Invalid(where + ": the header row is malformed: " + record.error +
                                     "; fix the export (nothing was read)");
    return;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < record.size(); ++i) {
    std::string name = text::Trim(record.cell(i));
    if (!text::IsValidUtf8(name)) {
      header_status_ = Status::Invalid(where + ": header column " + std::to_string(i + 1) +
                                       " is not valid UTF-8; save the export as UTF-8");
      return;
    }
    if (!name.empty() && !seen.insert(text::AsciiLower(name)).second) {
      header_status_ = Status::Invalid(where + ": the header names column '" + name +
                                       "' twice (case-insensitive); rename one of them");
      return;
    }
    table_.columns.push_back(std::move(name));
  }
}

void CsvTableBuilder::OnRecord(CsvRecord& record) {
  if (!header_status_.ok() || !encoding_status_.ok()) return;
  if (!CheckUtf8(record)) return;
  // Every cell blank (the cells end to end are all blanks): a blank line or ",,,".
  const bool blank = record.text.find_first_not_of(" \t") == std::string::npos;
  if (blank && record.error.empty()) return;
  if (!have_header_) {
    if (options_.header) {
      OnHeader(record);
      key_index_ = -1;
      for (size_t i = 0; i < table_.columns.size(); ++i) {
        if (text::EqualsIgnoreCase(table_.columns[i], text::Trim(options_.key_column))) {
          key_index_ = static_cast<int>(i);
        }
      }
      return;
    }
    have_header_ = true;
    for (size_t i = 0; i < record.size(); ++i) table_.columns.push_back(std::to_string(i + 1));
    key_index_ = -1;
    for (size_t i = 0; i < table_.columns.size(); ++i) {
      if (table_.columns[i] == text::Trim(options_.key_column)) key_index_ = static_cast<int>(i);
    }
  }
  if (!record.error.empty()) {
    const bool too_long = record.error.compare(0, 18, "the row is longer ") == 0;
    table_.errors.push_back({Where(record), "", "",
                             record.error + (too_long ? "; fix the export"
                                                      : "; fix the quoting in the export")});
    return;
  }
  if (record.size() != table_.columns.size()) {
    const std::string delim =
        options_.delimiter == '\t' ? std::string("tab") : std::string(1, options_.delimiter);
    table_.errors.push_back(
        {Where(record), "", "",
         "the row has " + std::to_string(record.size()) + " cells but the header has " +
             std::to_string(table_.columns.size()) + " columns; quote values that contain '" +
             delim + "' or fix the export"});
    return;
  }
  if (!CheckLimits(record)) return;
  // A copy of exactly the record's size; the parser keeps its buffers for the next one.
  RawRow& row = table_.rows.emplace_back();
  row.text = record.text;
  row.ends = record.ends;
  row.line = record.line;
}

Result<RawTable> ParseCsvTable(std::string_view data, const CsvOptions& options) {
  CsvTableBuilder builder(options);
  builder.Feed(data);
  return builder.Finish();
}

}  // namespace rostersync
