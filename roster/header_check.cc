#include "roster/header_check.h"

#include "roster/text.h"
#include "sync/text.h"

namespace rostersync {

std::string WrongDelimiterReason(const std::vector<std::string>& columns) {
  if (columns.size() != 1) return "";
  const std::string& only = columns[0];
  struct Candidate {
    char c;
    const char* name;
    const char* yaml;
  };
  static const Candidate kCandidates[] = {
      {';', "';'", "\";\""}, {'\t', "tab", "\"\\t\""}, {',', "','", "\",\""}, {'|', "'|'", "\"|\""}};
  for (const Candidate& d : kCandidates) {
    if (only.find(d.c) == std::string::npos) continue;
    std::string shown = only.size() > 60 ? only.substr(0, 60) + "..." : only;
    return "the header was read as one column ('" + EscapeControl(shown) + "') that contains " +
           d.name + ": the file looks " + d.name + "-separated; set roster.csv.delimiter: " +
           d.yaml + " (or re-export with the configured delimiter)";
  }
  return "";
}

std::vector<std::string> HeaderProblems(const std::vector<std::string>& columns,
                                        const FieldMapper& mapper, const std::string& key_column) {
  if (std::string wrong = WrongDelimiterReason(columns); !wrong.empty()) return {wrong};
  std::vector<std::string> out = mapper.problems();
  bool has_key = false;
  for (const auto& column : columns) {
    has_key = has_key || text::EqualsIgnoreCase(column, text::Trim(key_column));
  }
  if (!has_key) {
    out.insert(out.begin(), "key column '" + key_column +
                                "' (roster.key) is not in the roster header; fix the export or "
                                "roster.key");
  }
  return out;
}

}  // namespace rostersync
