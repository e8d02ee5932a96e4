// Duplicate handling for MapRoster: keys, emails, column usernames and sign-in identities
// (auth_data) shared by several rows reject every row involved (messages name the first
// few rows and count the rest, so their size stays linear in the rows); template usernames shared by several people get a suffix.
// Internal to roster/; pure; not thread-safe (mutates the roster it is given).
#ifndef ROSTERSYNC_ROSTER_ROSTER_DUPLICATES_H_
#define ROSTERSYNC_ROSTER_ROSTER_DUPLICATES_H_

#include <string>
#include <vector>

#include "sync/roster.h"

namespace rostersync {

// Key order for collision suffixes: numeric keys numerically ("9" < "10"), others byte-wise.
bool KeyLess(const std::string& a, const std::string& b);

// Marks (dropped[i] = 1) and rejects every entry whose key occurs more than once among the
// entries and the keyed rejected rows. `key_column` names the column in the messages.
void RejectDuplicateKeys(Roster* roster, std::vector<char>* dropped, const std::string& key_column);

// Rejects every not-yet-dropped entry whose `member` value is shared with another one.
// `field` ("email") and `column` (the roster column) word the message.
void RejectSharedValues(Roster* roster, std::vector<char>* dropped, std::string RosterEntry::*member,
                        const std::string& field, const std::string& column);

// Rejects every not-yet-dropped entry whose (auth_service, auth_data) is shared with another
// one: two people must never get one sign-in identity. `column` names the auth_data column.
void RejectSharedAuthData(Roster* roster, std::vector<char>* dropped, const std::string& column);

// Records `email` and `username` (lower-cased, when not empty) as named by a rejected row,
// so that the planner neither deactivates nor renames that person this cycle, and `where`
// (the row's file:line) in rejected_where so that the held action names the row; when two
// rejected rows name the same value, the first keeps it.
void ProtectNames(Roster* roster, const std::string& email, const std::string& username,
                  const std::string& where);

// Template usernames shared by several people: the lowest key keeps the name, the others
// get the first free suffix 2, 3… in key order; one notice per shared name.
void ResolveUsernameCollisions(Roster* roster, const std::vector<char>& dropped);

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_ROSTER_DUPLICATES_H_
