// Executor::Apply of creates whose answer was lost or was a server error: adopted when the
// account exists, sent once more only when it provably does not, never duplicated.
#include <gtest/gtest.h>

#include "tests/executor/executor_fixture.h"
#include "tests/executor/executor_test_util.h"

namespace rostersync {
namespace {

using ::rostersync::testing::CreateAction;
using ::rostersync::testing::ExecutorTest;

TEST_F(ExecutorTest, AdoptsACreateWhoseAnswerWasLostInsteadOfDuplicatingIt) {
  api_.OutcomeUnknownAfterApply("CreateUser");
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe", "saml", "jdoe@corp"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 1);
  int named = 0;
  for (const auto& u : api_.AllUsers()) named += u.username == "jdoe";
  EXPECT_EQ(named, 1);
  EXPECT_EQ(store_.LoadLedger()->at("E1").user_id, api_.FindByUsername("jdoe")->id);
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kOk);
}

TEST_F(ExecutorTest, ReportsALostCreateThatNeverHappenedAsFailedForTheNextCycle) {
  api_.FailNext("CreateUser", Status::OutcomeUnknown("timeout after sending"), 2);
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(api_.Calls("CreateUser"), 2);  // one bounded retry, then the next cycle
  EXPECT_TRUE(report.outcomes[0].status.IsOutcomeUnknown());
  EXPECT_FALSE(api_.FindByUsername("jdoe").has_value());
  EXPECT_EQ(store_.LoadLedger()->count("E1"), 0u);
  EXPECT_EQ(store_.Journal()[0].state, JournalState::kFailed);
}

TEST_F(ExecutorTest, DoesNotAdoptAnotherPersonsAccountAfterALostCreate) {
  User other;
  other.username = "jdoe";
  other.email = "someone.else@example.com";
  api_.AddUser(other);
  api_.FailNext("CreateUser", Status::OutcomeUnknown("timeout after sending"));
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(api_.Calls("CreateUser"), 1);  // the username is taken: no blind resend
  EXPECT_EQ(store_.LoadLedger()->count("E1"), 0u);
}

TEST_F(ExecutorTest, RetriesACreateAnsweredWithAServerErrorOnceAndMakesOneAccount) {
  api_.FailNext("CreateUser", Status::Transient("POST /api/v4/users: 500").WithHttp(500, "r1", ""));
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
  int named = 0;
  for (const auto& u : api_.AllUsers()) named += u.username == "jdoe";
  EXPECT_EQ(named, 1);
  EXPECT_EQ(report.outcomes[0].user_id, api_.FindByUsername("jdoe")->id);
  EXPECT_EQ(store_.LoadLedger()->at("E1").user_id, api_.FindByUsername("jdoe")->id);
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kOk);
  EXPECT_EQ(sink_.records(), store_.Audit());
}

TEST_F(ExecutorTest, RetriesALostCreateThatNeverHappenedOnceWithinTheCycle) {
  api_.FailNext("CreateUser", Status::OutcomeUnknown("connection reset after sending"));
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
  EXPECT_EQ(api_.AllUsers().size(), 2u);  // the token's own user and jdoe
  ASSERT_EQ(store_.Audit().size(), 1u);
  EXPECT_EQ(store_.Audit()[0].result, AuditResult::kOk);
}

TEST_F(ExecutorTest, GivesUpOnACreateAfterOneExtraAttempt) {
  api_.FailNext("CreateUser", Status::Transient("503").WithHttp(503, "", ""), 3);
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(api_.Calls("CreateUser"), 2);
  EXPECT_EQ(report.outcomes[0].status.code(), Status::Code::kTransient);
  EXPECT_FALSE(api_.FindByUsername("jdoe").has_value());
}

TEST_F(ExecutorTest, NeverResendsACreateTheServerRejected) {
  api_.FailNext("CreateUser", Status::Invalid("email invalid").WithHttp(400, "", ""));
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan);
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(api_.Calls("CreateUser"), 1);
}

TEST_F(ExecutorTest, AdoptsACreateAppliedBehindAServerErrorInsteadOfRecreatingIt) {
  api_.OutcomeUnknownAfterApply("CreateUser");
  Plan plan;
  plan.actions.push_back(CreateAction("E1", "jdoe"));
  auto report = Apply(plan);
  ASSERT_EQ(report.ok, 1) << report.outcomes[0].status.ToString();
  EXPECT_EQ(api_.Calls("CreateUser"), 1);
  EXPECT_EQ(report.outcomes[0].user_id, api_.FindByUsername("jdoe")->id);
  EXPECT_EQ(api_.AllUsers().size(), 2u);
}

}  // namespace
}  // namespace rostersync
