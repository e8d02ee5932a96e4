// Helpers shared by the two FakeUsersApi source files; not for tests to include.
// Pure functions; thread-safe.
#ifndef ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_INTERNAL_H_
#define ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_INTERNAL_H_

#include <string>

#include "sync/status.h"
#include "sync/text.h"

namespace rostersync::testing::fake_internal {

// The error a Mattermost server would answer with (fixed request id "fake-req").
inline Status Http(Status s, int code, const std::string& error_id) {
  return s.WithHttp(code, "fake-req", error_id);
}

}  // namespace rostersync::testing::fake_internal

#endif  // ROSTERSYNC_TESTS_FAKES_FAKE_USERS_API_INTERNAL_H_
