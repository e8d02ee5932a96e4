// The desired state: one RosterEntry per person, after mapping and validation (roster/).
// Plain values; the planner reads them and never sees CSV, SQL or config types.
#ifndef ROSTERSYNC_SYNC_ROSTER_H_
#define ROSTERSYNC_SYNC_ROSTER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rostersync {

enum class Role { kUser, kAdmin, kGuest };
const char* RoleName(Role role);  // "system_user", "system_admin", "guest"

struct RosterEntry {
  std::string key;  // the roster key: names a person for life
  std::string username;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string nickname;
  std::string position;
  std::string locale;
  std::string auth_service;  // "" = email/password
  std::string auth_data;
  Role role = Role::kUser;
  bool active = true;
  std::string start_date;  // "YYYY-MM-DD" or "" (effective dating)
  std::string end_date;    // "YYYY-MM-DD" or ""
  std::string where;       // "roster.csv:12" or "row 12" for messages
  // Cells of the columns membership.* reads (column name as configured -> trimmed cell);
  // empty when membership is not configured.
  std::map<std::string, std::string> attributes;

  bool operator==(const RosterEntry& o) const;
};

// A row that failed mapping or validation. Its person is never deactivated because of it.
struct RowError {
  std::string where;   // "roster.csv:12" / "row 7"
  std::string key;     // the roster key if it could be read, else ""
  std::string column;  // the column or field at fault, if one
  std::string reason;  // what is wrong and what to do
  bool operator==(const RowError& o) const {
    return where == o.where && key == o.key && column == o.column && reason == o.reason;
  }
};

struct Roster {
  std::vector<RosterEntry> entries;
  std::vector<RowError> rejected;
  std::set<std::string> rejected_keys;  // keys of rejected rows: protected from deactivation
  // Emails and usernames (lower-cased) read from rejected rows, whatever column made the row
  // invalid: a person named in a rejected row is neither deactivated nor renamed this cycle.
  std::set<std::string> rejected_emails;
  std::set<std::string> rejected_usernames;
  // Where (file:line) each of those emails and usernames was read, when known: the planner
  // names the row when it holds back a change to the person it identifies.
  std::map<std::string, std::string> rejected_where;
  std::vector<std::string> notices;     // e.g. username collisions resolved by a suffix
  // The integrity gate: from an untrusted roster only creates go ahead (sync/planner.h).
  bool trusted = true;
  std::vector<std::string> untrusted_reasons;
  std::string fingerprint;  // sha-like digest of the accepted content
  int64_t row_count = 0;    // data rows read (accepted + rejected)
  std::string origin;       // "roster.csv" or "sql:sqlite"
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_ROSTER_H_
