// Executor::Apply and the stored ledger (sync/executor.h): the cycle hands over the ledger
// the plan was made from; applied on its own, a ledger that cannot be loaded applies nothing
// (before, the failure was ignored and the plan applied against an empty ledger).
#include "sync/executor.h"

#include <gtest/gtest.h>

#include "tests/cycle/cycle_test_support.h"

namespace rostersync {
namespace {

using cycle::testing::FaultyStore;
using testing::FakeUsersApi;

Action Create(const std::string& key, const std::string& username) {
  Action a;
  a.type = ActionType::kCreate;
  a.key = key;
  a.username = username;
  a.new_user.username = username;
  a.email = username + "@example.com";
  a.new_user.email = a.email;
  a.new_user.first_name = "First";
  a.new_user.last_name = "Last";
  return a;
}

class ExecutorLedgerTest : public ::testing::Test {
 protected:
  Executor MakeExecutor() {
    ExecutorOptions options;
    options.concurrency = 1;
    options.run_id = "run-1";
    return Executor(api_, store_, nullptr, clock_, options);
  }
  FakeUsersApi api_;
  FaultyStore store_;
  FakeClock clock_{1'790'000'000'000};
};

TEST_F(ExecutorLedgerTest, ALedgerThatCannotBeLoadedAppliesNothing) {
  store_.fail_ledger_from = 1;
  Plan plan;
  plan.actions.push_back(Create("E1", "jdoe"));
  ExecutionReport report = MakeExecutor().Apply(plan);
  EXPECT_FALSE(report.ledger_status.ok());
  EXPECT_NE(report.ledger_status.message().find("ledger"), std::string::npos);
  EXPECT_EQ(report.ok, 0);
  EXPECT_EQ(api_.Writes(), 0);
  EXPECT_FALSE(api_.FindByUsername("jdoe").has_value());
}

TEST_F(ExecutorLedgerTest, TheHandedOverLedgerIsUsedWithoutLoadingIt) {
  store_.fail_ledger_from = 1;  // any load would fail
  Plan plan;
  plan.actions.push_back(Create("E1", "jdoe"));
  ExecutionReport report = MakeExecutor().Apply(plan, Ledger{});
  EXPECT_TRUE(report.ledger_status.ok()) << report.ledger_status.ToString();
  EXPECT_EQ(report.ok, 1);
  EXPECT_EQ(store_.ledger_loads, 0);
  EXPECT_TRUE(api_.FindByUsername("jdoe").has_value());
}

}  // namespace
}  // namespace rostersync
