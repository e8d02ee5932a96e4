// The accepted-baseline rule (cycle/baseline.h): a roster becomes the baseline of the next
// "roster shrank" check only after an applied whole-roster cycle that ran to its end, with
// a trusted roster and no hold from a roster-integrity guard.
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

}  // namespace
}  // namespace rostersync::cycle
