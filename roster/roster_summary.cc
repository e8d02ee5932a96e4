// SummarizeRejected and CheckRosterHeader: roster findings said once, for people.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <utility>

#include "roster/csv_table.h"
#include "roster/field_mapping.h"
#include "roster/header_check.h"
#include "roster/roster_loader.h"
#include "sync/text.h"

namespace rostersync {
namespace {

constexpr size_t kNamedRows = 3;

struct Group {
  size_t count = 0;
  size_t first_index = 0;
  std::string first_rows;
};

}  // namespace

std::vector<std::string> SummarizeRejected(const Roster& roster, size_t max_lines) {
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (size_t i = 0; i < roster.rejected.size(); ++i) {
    const RowError& e = roster.rejected[i];
    auto [it, inserted] = groups.try_emplace({e.column, e.reason});
    Group& g = it->second;
    if (inserted) g.first_index = i;
    if (g.count < kNamedRows) g.first_rows += (g.count == 0 ? "" : ", ") + e.where;
    ++g.count;
  }
  std::vector<const std::pair<const std::pair<std::string, std::string>, Group>*> order;
  for (const auto& entry : groups) order.push_back(&entry);
  std::sort(order.begin(), order.end(),
            [](auto* a, auto* b) { return a->second.first_index < b->second.first_index; });
  std::vector<std::string> out;
  for (size_t k = 0; k < order.size(); ++k) {
    if (max_lines > 0 && out.size() + 1 == max_lines && k + 1 < order.size()) {
      out.push_back("and " + std::to_string(order.size() - k) + " other reasons (see the plan)");
      break;
    }
    const auto& [key, g] = *order[k];
    std::string rows = g.first_rows;
    if (g.count > kNamedRows) rows += " and " + std::to_string(g.count - kNamedRows) + " more";
    out.push_back(EscapeControl(std::to_string(g.count) + (g.count == 1 ? " row" : " rows") +
                                " rejected: " + (key.first.empty() ? "" : key.first + ": ") +
                                key.second + " (" + rows + ")"));
  }
  return out;
}

std::vector<std::string> CheckRosterHeader(const Config& config) {
  const RosterConfig& r = config.roster;
  if (r.source != "csv" || r.csv.path.empty()) return {};
  const int fd = ::open(r.csv.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return {};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return {};
  }
  // The header is in the first lines; 1 MiB holds it with room to spare.
  std::string head(1 << 20, '\0');
  const ssize_t n = ::read(fd, head.data(), head.size());
  ::close(fd);
  if (n <= 0) return {};
  head.resize(static_cast<size_t>(n));
  const size_t last_newline = head.find_last_of('\n');
  if (static_cast<size_t>(n) == (1u << 20) && last_newline != std::string::npos) {
    head.resize(last_newline + 1);  // no half row at the cut
  }
  if (r.csv.encoding != "utf-8") {
    for (char& c : head) {
      if (c & 0x80) c = '?';  // header names are ASCII; the cycle converts the real bytes
    }
  }
  CsvOptions options;
  options.delimiter = r.csv.delimiter;
  options.header = r.csv.header;
  options.origin = r.csv.path;
  options.key_column = r.key;
  Result<RawTable> table = ParseCsvTable(head, options);
  if (!table.ok()) return {r.csv.path + ": " + table.status().message()};
  if (table->columns.empty()) return {};
  const FieldMapper mapper(config.fields, table->columns);
  std::vector<std::string> out;
  for (const std::string& problem : HeaderProblems(table->columns, mapper, r.key)) {
    out.push_back(r.csv.path + ": " + problem);
  }
  return out;
}

}  // namespace rostersync
