#include "roster/csv_table.h"

#include <set>
#include <utility>

#include "roster/text.h"

namespace rostersync {

CsvTableBuilder::CsvTableBuilder(CsvOptions options)
    : options_(std::move(options)),
      parser_(options_.delimiter, [this](CsvRecord& record) { OnRecord(record); }),
      hash_(text::kFnvOffset) {
  table_.origin = options_.origin;
}

void CsvTableBuilder::Feed(std::string_view chunk) {
  hash_ = text::Fnv1a64(chunk, hash_);
  parser_.Feed(chunk);
}

Result<RawTable> CsvTableBuilder::Finish() {
  parser_.Finish();
  if (!header_status_.ok()) return header_status_;
  table_.fingerprint = text::Hex64(hash_);
  return std::move(table_);
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
  for (size_t i = 0; i < record.cells.size(); ++i) {
    std::string name = text::Trim(record.cells[i]);
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
  if (!header_status_.ok()) return;
  bool blank = true;
  for (const auto& cell : record.cells) {
    if (cell.find_first_not_of(" \t") != std::string::npos) {
      blank = false;
      break;
    }
  }
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
    for (size_t i = 0; i < record.cells.size(); ++i) table_.columns.push_back(std::to_string(i + 1));
    key_index_ = -1;
    for (size_t i = 0; i < table_.columns.size(); ++i) {
      if (table_.columns[i] == text::Trim(options_.key_column)) key_index_ = static_cast<int>(i);
    }
  }
  std::string where;
  where.reserve(options_.origin.size() + 12);
  where.append(options_.origin).append(":").append(std::to_string(record.line));
  if (!record.error.empty()) {
    table_.errors.push_back({where, "", "", record.error + "; fix the quoting in the export"});
    return;
  }
  if (record.cells.size() != table_.columns.size()) {
    const std::string delim =
        options_.delimiter == '\t' ? std::string("tab") : std::string(1, options_.delimiter);
    table_.errors.push_back(
        {where, "", "",
         "the row has " + std::to_string(record.cells.size()) + " cells but the header has " +
             std::to_string(table_.columns.size()) + " columns; quote values that contain '" +
             delim + "' or fix the export"});
    return;
  }
  for (size_t i = 0; i < record.cells.size(); ++i) {
    if (text::IsValidUtf8(record.cells[i])) continue;
    std::string key;
    if (key_index_ >= 0 && text::IsValidUtf8(record.cells[key_index_])) {
      key = text::Trim(record.cells[key_index_]);
    }
    table_.errors.push_back({where, key, table_.columns[i],
                             "the value is not valid UTF-8; save the export as UTF-8 "
                             "(not Latin-1 or Windows-1252)"});
    return;
  }
  table_.rows.push_back({std::move(record.cells), std::move(where)});
  record.cells.clear();
}

Result<RawTable> ParseCsvTable(std::string_view data, const CsvOptions& options) {
  CsvTableBuilder builder(options);
  builder.Feed(data);
  return builder.Finish();
}

}  // namespace rostersync
