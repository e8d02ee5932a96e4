#include "config/sql_query_check.h"

#include <cctype>

namespace rostersync {
namespace {

// `query` with comments and quoted text blanked out (same length), so that keywords and ';'
// are only found where SQL would see them.
std::string Code(const std::string& q) {
  std::string out(q);
  size_t i = 0;
  while (i < q.size()) {
    if (q.compare(i, 2, "--") == 0) {
      const size_t end = q.find('\n', i);
      const size_t stop = end == std::string::npos ? q.size() : end;
      for (; i < stop; ++i) out[i] = ' ';
    } else if (q.compare(i, 2, "/*") == 0) {
      const size_t end = q.find("*/", i + 2);
      const size_t stop = end == std::string::npos ? q.size() : end + 2;
      for (; i < stop; ++i) out[i] = ' ';
    } else if (q[i] == '\'' || q[i] == '"' || q[i] == '`') {
      const char quote = q[i];
      out[i++] = 'q';  // a quoted value is one word
      while (i < q.size() && q[i] != quote) out[i++] = 'q';
      if (i < q.size()) out[i++] = 'q';
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace

std::string SqlQueryProblem(const std::string& query) {
  const std::string code = Code(query);
  size_t end = code.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "roster.sql.query is empty";
  if (code[end] == ';') {
    end = end == 0 ? std::string::npos : code.find_last_not_of(" \t\r\n", end - 1);
  }
  if (end == std::string::npos) return "roster.sql.query is empty";
  const size_t semicolon = code.find(';');
  if (semicolon != std::string::npos && semicolon <= end) {
    return "roster.sql.query holds more than one statement (';' at offset " +
           std::to_string(semicolon) + "); write a single SELECT or WITH statement";
  }
  const size_t start = code.find_first_not_of(" \t\r\n(");
  std::string first;
  for (size_t i = start; i < code.size(); ++i) {
    const auto c = static_cast<unsigned char>(code[i]);
    if (!std::isalpha(c)) break;
    first.push_back(static_cast<char>(std::toupper(c)));
  }
  if (first != "SELECT" && first != "WITH") {
    return "roster.sql.query must be a single SELECT or WITH statement; it starts with " +
           (first.empty() ? std::string("something else") : first) +
           " (the roster is only read, never written)";
  }
  return "";
}

}  // namespace rostersync
