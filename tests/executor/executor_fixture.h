// The fixture of the executor tests (executor_test.cc, executor_create_test.cc): an
// Executor over FakeUsersApi + MemoryStateStore, a capturing audit sink and a fixed clock.
#ifndef ROSTERSYNC_TESTS_EXECUTOR_EXECUTOR_FIXTURE_H_
#define ROSTERSYNC_TESTS_EXECUTOR_EXECUTOR_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>

#include "sync/clock.h"
#include "sync/executor.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync::testing {

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutionReport Apply(const Plan& plan, int concurrency = 4) {
    ExecutorOptions options;
    options.concurrency = concurrency;
    options.revoke_tokens_on_deactivate = revoke_tokens_;
    options.run_id = "run-1";
    Executor executor(api_, store_, &sink_, clock_, options);
    return executor.Apply(plan);
  }
  User Seed(const std::string& username, const std::string& roles = "system_user") {
    User u;
    u.username = username;
    u.email = username + "@example.com";
    u.last_name = "Old";
    u.roles = roles;
    return api_.AddUser(u);
  }

  bool revoke_tokens_ = false;
  FakeUsersApi api_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{1'790'000'000'000};
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_EXECUTOR_EXECUTOR_FIXTURE_H_
