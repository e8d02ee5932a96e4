// The run, journal and audit states (sync/run_states.h): every value has one name, the name
// reads back as the value, and an unknown name is an error that names it.
#include "sync/run_states.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sync/plan.h"

namespace rostersync {
namespace {

TEST(RunStatesTest, EveryCommandRoundTripsThroughItsName) {
  for (RunCommand c : {RunCommand::kPlan, RunCommand::kSync, RunCommand::kSyncUser,
                       RunCommand::kRun, RunCommand::kApprove}) {
    Result<RunCommand> back = RunCommandFromString(ToString(c));
    ASSERT_TRUE(back.ok()) << ToString(c);
    EXPECT_EQ(*back, c);
  }
  EXPECT_STREQ(ToString(RunCommand::kSyncUser), "sync-user");
}

TEST(RunStatesTest, EveryResultRoundTripsThroughItsName) {
  for (RunResult r : {RunResult::kRunning, RunResult::kOk, RunResult::kPartial,
                      RunResult::kHeld, RunResult::kFailed, RunResult::kInterrupted}) {
    Result<RunResult> back = RunResultFromString(ToString(r));
    ASSERT_TRUE(back.ok()) << ToString(r);
    EXPECT_EQ(*back, r);
  }
  EXPECT_STREQ(ToString(RunResult::kInterrupted), "interrupted");
}

TEST(RunStatesTest, EveryJournalStateRoundTripsThroughItsName) {
  for (JournalState j : {JournalState::kPending, JournalState::kDone, JournalState::kFailed,
                         JournalState::kAbandoned}) {
    Result<JournalState> back = JournalStateFromString(ToString(j));
    ASSERT_TRUE(back.ok()) << ToString(j);
    EXPECT_EQ(*back, j);
  }
  EXPECT_FALSE(JournalStateFromString("running").ok());
}

TEST(RunStatesTest, AnUnknownNameIsAnErrorThatNamesIt) {
  Result<RunResult> r = RunResultFromString("exploded");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'exploded'"), std::string::npos);
  EXPECT_FALSE(RunCommandFromString("Sync").ok());  // names are exact
  EXPECT_FALSE(RunCommandFromString("").ok());
}

TEST(AuditStatesTest, EveryActionRoundTripsThroughItsName) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(AuditAction::kClick); ++i) {
    const AuditAction a = static_cast<AuditAction>(i);
    Result<AuditAction> back = AuditActionFromString(ToString(a));
    ASSERT_TRUE(back.ok()) << ToString(a);
    EXPECT_EQ(*back, a);
    names.insert(ToString(a));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kActionTypeCount) + 3) << "names are distinct";
  EXPECT_STREQ(ToString(AuditAction::kApprove), "approve");
  EXPECT_STREQ(ToString(AuditAction::kReject), "reject");
  EXPECT_STREQ(ToString(AuditAction::kClick), "click");
}

TEST(AuditStatesTest, APlanActionIsAuditedUnderItsPlanName) {
  for (int t = 0; t < kActionTypeCount; ++t) {
    const ActionType type = static_cast<ActionType>(t);
    EXPECT_STREQ(ToString(AuditActionOf(type)), ActionName(type));
  }
  EXPECT_EQ(AuditActionOf(ActionType::kDeactivate), AuditAction::kDeactivate);
  EXPECT_EQ(AuditActionOf(ActionType::kLeaveTeam), AuditAction::kLeaveTeam);
  EXPECT_STREQ(ToString(AuditAction::kVerifyEmail), "verify_email");
}

TEST(AuditStatesTest, EveryResultRoundTripsThroughItsName) {
  for (AuditResult r : {AuditResult::kOk, AuditResult::kFailed, AuditResult::kHeld,
                        AuditResult::kPending, AuditResult::kRefused}) {
    Result<AuditResult> back = AuditResultFromString(ToString(r));
    ASSERT_TRUE(back.ok()) << ToString(r);
    EXPECT_EQ(*back, r);
  }
  EXPECT_STREQ(ToString(AuditResult::kRefused), "refused");
}

TEST(AuditStatesTest, AnUnknownAuditNameIsAnErrorThatNamesIt) {
  Result<AuditAction> action = AuditActionFromString("merge");
  ASSERT_FALSE(action.ok());
  EXPECT_NE(action.status().message().find("unknown audit action 'merge'"), std::string::npos);
  Result<AuditResult> result = AuditResultFromString("skipped");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("unknown audit result 'skipped'"), std::string::npos);
  EXPECT_FALSE(AuditActionFromString("Update").ok());  // names are exact
  EXPECT_FALSE(AuditActionFromString("unknown").ok());
  EXPECT_FALSE(AuditResultFromString("").ok());
  // A control character in a stored name reaches the message escaped.
  Result<AuditResult> odd = AuditResultFromString("ok\x1b[2J");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().message().find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace rostersync
