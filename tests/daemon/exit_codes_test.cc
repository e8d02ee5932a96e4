#include "cycle/exit_codes.h"

#include <gtest/gtest.h>

namespace rostersync::cycle {
namespace {

CycleOutcome Outcome(bool plan, bool detailed, int changes, int failed, int held) {
  CycleOutcome o;
  o.plan_only = plan;
  o.detailed = detailed;
  o.active_changes = changes;
  o.failed = failed;
  o.held = held;
  return o;
}

TEST(ExitCodesTest, AnErrorIsOneWhateverElseHappened) {
  CycleOutcome o = Outcome(false, false, 5, 2, 1);
  o.error = true;
  EXPECT_EQ(ExitCodeFor(o), 1);
}

TEST(ExitCodesTest, PlanIsZeroWithoutDetailedExitcodeEvenWithChanges) {
  EXPECT_EQ(ExitCodeFor(Outcome(true, false, 3, 0, 2)), 0);
}

TEST(ExitCodesTest, PlanWithDetailedExitcodeIsTwoOnChangesAndZeroWithout) {
  EXPECT_EQ(ExitCodeFor(Outcome(true, true, 3, 0, 0)), 2);
  EXPECT_EQ(ExitCodeFor(Outcome(true, true, 0, 0, 0)), 0);
}

TEST(ExitCodesTest, PlanWithDetailedExitcodeIsFourWhenAGuardHeldActions) {
  EXPECT_EQ(ExitCodeFor(Outcome(true, true, 3, 0, 1)), 4);
}

TEST(ExitCodesTest, SyncIsThreeWhenActionsFailedBeforeHeld) {
  EXPECT_EQ(ExitCodeFor(Outcome(false, false, 3, 1, 1)), 3);
  EXPECT_EQ(ExitCodeFor(Outcome(false, false, 3, 0, 1)), 4);
  EXPECT_EQ(ExitCodeFor(Outcome(false, false, 3, 0, 0)), 0);
}

// An untrusted roster that held no action still carries a hold: plan and sync exit 4.
TEST(ExitCodesTest, AHoldWithoutHeldActionsIsFour) {
  CycleOutcome sync = Outcome(false, false, 0, 0, 0);
  sync.holds = 1;
  EXPECT_EQ(ExitCodeFor(sync), 4);
  CycleOutcome plan = Outcome(true, true, 2, 0, 0);
  plan.holds = 1;
  EXPECT_EQ(ExitCodeFor(plan), 4);
  plan.detailed = false;
  EXPECT_EQ(ExitCodeFor(plan), 0);
  CycleOutcome failed = Outcome(false, false, 2, 1, 0);
  failed.holds = 1;
  EXPECT_EQ(ExitCodeFor(failed), 3);
}

// A leaver who holds system_admin (an attention item) is not "ok": exit 4 for sync and for
// plan --detailed-exitcode, even with nothing held.
TEST(ExitCodesTest, AnAttentionItemIsFour) {
  CycleOutcome sync = Outcome(false, false, 0, 0, 0);
  sync.attention = 1;
  EXPECT_EQ(ExitCodeFor(sync), 4);
  CycleOutcome plan = Outcome(true, true, 0, 0, 0);
  plan.attention = 2;
  EXPECT_EQ(ExitCodeFor(plan), 4);
  CycleOutcome failed = Outcome(false, false, 1, 1, 0);
  failed.attention = 1;
  EXPECT_EQ(ExitCodeFor(failed), 3);
}

TEST(ExitCodesTest, ResultsMatchTheRunRecordVocabulary) {
  EXPECT_EQ(ResultFor(0), RunResult::kOk);
  EXPECT_EQ(ResultFor(1), RunResult::kFailed);
  EXPECT_EQ(ResultFor(3), RunResult::kPartial);
  EXPECT_EQ(ResultFor(4), RunResult::kHeld);
}

}  // namespace
}  // namespace rostersync::cycle
