// Helpers shared by the identity-guard end-to-end tests (e2e_identity_test.cc,
// e2e_people_roster_test.cc): edit a written config, read a user's fields and sessions from
// mm-emulator's /__emu/state, and re-save UTF-8 text the way Excel saves Windows-1252.
#ifndef ROSTERSYNC_TESTS_DAEMON_E2E_IDENTITY_SUPPORT_H_
#define ROSTERSYNC_TESTS_DAEMON_E2E_IDENTITY_SUPPORT_H_

#include <cstdint>
#include <map>
#include <string>

#include "tests/support/child_process.h"

namespace rostersync::testing {

// One user of /__emu/state with the fields these tests look at.
struct StateUser {
  std::string id, username, email, first_name, last_name, auth_service, auth_data, roles;
  int64_t delete_at = 0;
  int sessions = 0;  // sessions recorded for the user (a token used once opens one)
};

// Users of the emulator by username.
std::map<std::string, StateUser> ReadState(const Emulator& emu);

// Replaces the first `from` in the file at `path` by `to`; false when `from` is absent.
bool EditFile(const std::string& path, const std::string& from, const std::string& to);

// UTF-8 text re-encoded as Windows-1252 the way Excel's "CSV (Comma delimited)" does it:
// Latin-1 code points become one byte, the few 1252 extras (€, „, …) theirs, others '?'.
std::string AsWindows1252(const std::string& utf8);

// Opens a session for the user of `token` (any authenticated API request does).
void OpenSession(const Emulator& emu, const std::string& token);

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_DAEMON_E2E_IDENTITY_SUPPORT_H_
