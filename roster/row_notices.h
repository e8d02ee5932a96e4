// RowNotices: one notice per distinct finding, however many rows share it ("locale 'xx' on
// 120 rows (roster.csv:2, roster.csv:3, roster.csv:4 and 117 more) ..."), so a problem of
// every row is said once with a count. Internal to roster/; not thread-safe.
#ifndef ROSTERSYNC_ROSTER_ROW_NOTICES_H_
#define ROSTERSYNC_ROSTER_ROW_NOTICES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rostersync {

class RowNotices {
 public:
  // Counts one row for `finding` (e.g. "locale 'xx' (fields.locale)"); `tail` says what
  // follows from it and what to do (the same for every row of one finding).
  void Add(const std::string& finding, const std::string& where, const std::string& tail);
  // "<finding> on N rows (a, b, c and M more): <tail>", in order of first occurrence.
  void AppendTo(std::vector<std::string>* notices) const;
  bool empty() const { return order_.empty(); }

 private:
  struct Entry {
    int64_t count = 0;
    std::vector<std::string> first;  // at most a few wheres
    std::string tail;
  };
  std::map<std::string, Entry> by_finding_;
  std::vector<std::string> order_;
};

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_ROW_NOTICES_H_
