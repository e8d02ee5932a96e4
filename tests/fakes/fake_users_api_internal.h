// Helpers shared by the two FakeUsersApi source files; not for tests to include.
// Pure functions; thread-safe.
#ifndef ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_INTERNAL_H_
#define ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_INTERNAL_H_

#include <optional>
#include <string>

#include "sync/server_capabilities.h"
#include "sync/status.h"
#include "sync/text.h"

namespace rostersync::testing::fake_internal {

// The error a Mattermost server would answer with (fixed request id "fake-req").
inline Status Http(Status s, int code, const std::string& error_id) {
  return s.WithHttp(code, "fake-req", error_id);
}

// fake_users_api_rules.cc: the server's SanitizeUnicode (strips its blocklist), its
// supported-locale check at create, its password policy, and why a demote is refused
// (nullopt when allowed) under the given settings.
std::string SanitizeUnicode(const std::string& in);
std::string SupportedLocaleOr(const std::string& locale, const std::string& fallback);
Status CheckPassword(const std::string& password, const PasswordPolicy& policy);
std::optional<Status> DemoteRefused(const ServerCapabilities& capabilities);

}  // namespace rostersync::testing::fake_internal

#endif  // ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_INTERNAL_H_
