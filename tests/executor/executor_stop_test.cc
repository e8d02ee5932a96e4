// Executor::Apply with a StopToken: once stop is requested no new action starts; what was
// not started fails "not started" (audited), leaves the ledger alone and journals nothing.
#include <gtest/gtest.h>

#include "sync/executor.h"
#include "sync/stop_token.h"
#include "tests/executor/executor_test_util.h"
#include "tests/fakes/fake_users_api.h"
#include "tests/fakes/memory_state_store.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CapturingSink;
using ::rostersync::testing::CreateAction;
using ::rostersync::testing::FakeUsersApi;
using ::rostersync::testing::MemoryStateStore;

class ExecutorStopTest : public ::testing::Test {
 protected:
  ExecutionReport Apply(const Plan& plan) {
    ExecutorOptions options;
    options.concurrency = 1;
    options.run_id = "run-stop";
    options.stop = &stop_;
    Executor executor(api_, store_, &sink_, clock_, options);
    return executor.Apply(plan);
  }
  static Plan FiveCreates() {
    Plan plan;
    for (int i = 1; i <= 5; ++i) {
      plan.actions.push_back(CreateAction("E" + std::to_string(i), "user" + std::to_string(i)));
    }
    return plan;
  }

  StopToken stop_;
  FakeUsersApi api_;
  MemoryStateStore store_;
  CapturingSink sink_;
  FakeClock clock_{1'790'000'000'000};
};

TEST_F(ExecutorStopTest, AStopBeforeApplyStartsNothing) {
  stop_.RequestStop();
  ExecutionReport report = Apply(FiveCreates());
  EXPECT_EQ(report.ok, 0);
  EXPECT_EQ(report.failed, 5);
  EXPECT_EQ(api_.Calls("CreateUser"), 0);
  EXPECT_TRUE(store_.Journal().empty()) << "nothing journaled, nothing to resolve";
  EXPECT_TRUE(store_.LoadLedger()->empty());
  ASSERT_EQ(sink_.records().size(), 5u);
  EXPECT_NE(report.outcomes[0].status.message().find("not started: rostersync is stopping"),
            std::string::npos)
      << report.outcomes[0].status.ToString();
}

TEST_F(ExecutorStopTest, AStopDuringApplyStartsNoNewAction) {
  // The second create's request is where SIGTERM arrives: it completes, nothing after it starts.
  int creates = 0;  // the predicate runs under the fake's lock: count here
  api_.FailWhere([&](const std::string& method, const std::string&) -> std::optional<Status> {
    if (method == "CreateUser" && ++creates >= 2) stop_.RequestStop();
    return std::nullopt;
  });
  ExecutionReport report = Apply(FiveCreates());
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
  EXPECT_EQ(report.ok, 2);
  EXPECT_EQ(report.failed, 3);
  auto ledger = store_.LoadLedger();
  EXPECT_EQ(ledger->size(), 2u) << "the two created accounts are in the ledger";
  for (const JournalEntry& e : store_.Journal()) {
    EXPECT_NE(e.state, JournalState::kPending) << e.key << ": the journal holds nothing unresolved";
  }
}

}  // namespace
}  // namespace rostersync
