// The accepted-baseline rule (cycle/baseline.h): a roster becomes the baseline of the next
// "roster shrank" check only after an applied whole-roster cycle that ran to its end, with
// no hold from a roster-integrity guard left, and a trusted roster or a person who vouched
// for it (an approval of its held actions, or sync --force).
#include "cycle/baseline.h"

#include <gtest/gtest.h>

namespace rostersync::cycle {
namespace {

CycleRequest Sync() {
  CycleRequest request;
  request.apply = true;
  request.command = RunCommand::kRun;
  return request;
}

// A whole-roster cycle that applied and saved its ledger, trusted roster, no holds.
CycleResult Applied() {
  CycleResult r;
  r.planned = true;
  r.applied = true;
  return r;
}

CycleResult WithHold(const std::string& guard) {
  CycleResult r = Applied();
  r.plan.holds.push_back(Hold{guard, 2, "held by " + guard});
  return r;
}

TEST(BaselineTest, AnAppliedTrustedWholeRosterCycleIsAccepted) {
  EXPECT_TRUE(ShouldAcceptBaseline(Sync(), Applied()));
}

TEST(BaselineTest, APlanIsNeverAccepted) {
  CycleRequest plan = Sync();
  plan.apply = false;
  CycleResult planned = Applied();
  planned.applied = false;
  EXPECT_FALSE(ShouldAcceptBaseline(plan, planned));
  EXPECT_FALSE(ShouldAcceptBaseline(Sync(), planned));  // apply asked, but never reached
}

TEST(BaselineTest, APerKeyCycleIsNeverAccepted) {
  CycleRequest one = Sync();
  one.only_key = "E1";
  EXPECT_FALSE(ShouldAcceptBaseline(one, Applied()));
}

TEST(BaselineTest, ACycleThatStoppedIsNeverAccepted) {
  CycleResult stopped = Applied();
  stopped.status = Status::IoError("ledger: disk full");
  stopped.stage = "ledger";
  EXPECT_FALSE(ShouldAcceptBaseline(Sync(), stopped));
  CycleResult unsaved = Applied();
  unsaved.report.ledger_status = Status::IoError("disk full");
  EXPECT_FALSE(ShouldAcceptBaseline(Sync(), unsaved));
}

TEST(BaselineTest, AnUntrustedOrTruncatedRosterIsNeverAccepted) {
  CycleResult untrusted = Applied();
  untrusted.roster.trusted = false;
  untrusted.roster.untrusted_reasons = {"fewer than roster.min_rows rows"};
  EXPECT_FALSE(ShouldAcceptBaseline(Sync(), untrusted));
}

TEST(BaselineTest, AHoldFromARosterIntegrityGuardIsNeverAccepted) {
  for (const char* guard : {"untrusted_roster", "max_deactivations", "mass_identity_change",
                            "implausible_listing", "rejected_row"}) {
    EXPECT_FALSE(ShouldAcceptBaseline(Sync(), WithHold(guard))) << guard;
  }
}

TEST(BaselineTest, HoldsAboutOnePersonOrTheServerDoNotPreventIt) {
  for (const char* guard : {"guests_unavailable", "ambiguous_match", "deactivated_outside"}) {
    EXPECT_TRUE(ShouldAcceptBaseline(Sync(), WithHold(guard))) << guard;
  }
  CycleResult partial = Applied();
  partial.report.failed = 1;  // an action failed: the roster itself is not in doubt
  EXPECT_TRUE(ShouldAcceptBaseline(Sync(), partial));
}

TEST(BaselineTest, AForcedCycleWithoutHoldsIsAccepted) {
  CycleRequest forced = Sync();
  forced.force = true;
  EXPECT_TRUE(ShouldAcceptBaseline(forced, Applied()));
}

// The roster a mass leave left behind: fewer rows than the last accepted one.
CycleResult Shrunk() {
  CycleResult r = Applied();
  r.roster.trusted = false;
  r.roster.untrusted_reasons = {"roster has 475 valid rows, 30 fewer (5.9%) than the last "
                                "accepted roster (505 rows): deactivations held"};
  return r;
}

CycleRequest Approval() {
  CycleRequest request = Sync();
  request.command = RunCommand::kApprove;
  request.before_apply = [](Plan*) { return Status::Ok(); };
  return request;
}

TEST(BaselineTest, AnApprovedAndAppliedShrunkRosterIsAccepted) {
  // The approval released every held action (ReleaseActions dropped their holds) and the
  // cycle applied them: the roster a person approved is the new baseline.
  EXPECT_TRUE(ShouldAcceptBaseline(Approval(), Shrunk()));
}

TEST(BaselineTest, AForcedShrunkRosterIsAccepted) {
  CycleRequest forced = Sync();
  forced.force = true;  // --force released the guards: no hold in the plan
  EXPECT_TRUE(ShouldAcceptBaseline(forced, Shrunk()));
}

TEST(BaselineTest, AShrunkRosterNobodyVouchedForIsNeverAccepted) {
  EXPECT_FALSE(ShouldAcceptBaseline(Sync(), Shrunk()));
  CycleRequest run = Sync();
  run.command = RunCommand::kRun;
  CycleResult nothing_held = Shrunk();  // nothing left to hold: the hold has no actions
  nothing_held.plan.holds.push_back(Hold{"untrusted_roster", 0, "roster not trusted"});
  EXPECT_FALSE(ShouldAcceptBaseline(run, nothing_held));
}

TEST(BaselineTest, AnApprovalOfARosterThatChangedSinceIsNotAccepted) {
  // More people left since the set was held: the approval released the approved actions,
  // the new ones are still held by the roster guards. Judged anew, not accepted.
  CycleResult more = Shrunk();
  more.plan.holds.push_back(Hold{"untrusted_roster", 5, "roster not trusted"});
  EXPECT_FALSE(ShouldAcceptBaseline(Approval(), more));
  CycleResult budget = Shrunk();
  budget.plan.holds.push_back(Hold{"max_deactivations", 5, "5 deactivations exceed"});
  EXPECT_FALSE(ShouldAcceptBaseline(Approval(), budget));
}

TEST(BaselineTest, AVouchedCycleThatDidNotRunToItsEndIsNotAccepted) {
  CycleResult refused = Shrunk();  // the approval's plan no longer matched: nothing applied
  refused.status = Status::Conflict("held set no longer matches the plan");
  refused.applied = false;
  EXPECT_FALSE(ShouldAcceptBaseline(Approval(), refused));
  CycleResult unsaved = Shrunk();
  unsaved.report.ledger_status = Status::IoError("disk full");
  CycleRequest forced = Sync();
  forced.force = true;
  EXPECT_FALSE(ShouldAcceptBaseline(forced, unsaved));
  EXPECT_FALSE(ShouldAcceptBaseline(Approval(), unsaved));
  CycleRequest one = Approval();
  one.only_key = "E1";
  EXPECT_FALSE(ShouldAcceptBaseline(one, Shrunk()));
}

}  // namespace
}  // namespace rostersync::cycle
