// The run and journal states (sync/run_states.h): every value has one name, the name reads back as the
// value, and an unknown name is an error that names it.
#include "sync/run_states.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rostersync
