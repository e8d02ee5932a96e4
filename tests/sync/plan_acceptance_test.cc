// PlanAcceptanceTest: which applied cycles make their roster the accepted baseline of the
// "roster shrank" check (AcceptRosterAsBaseline).
#include "sync/plan_acceptance.h"

#include <gtest/gtest.h>

namespace rostersync {
namespace {

Plan WithHold(const std::string& guard) {
  Plan plan;
  plan.holds.push_back(Hold{guard, 1, guard + ": held"});
  return plan;
}

TEST(PlanAcceptanceTest, TrustedAppliedRosterWithoutHoldsIsAccepted) {
  Roster roster;
  ExecutionReport report;
  EXPECT_TRUE(AcceptRosterAsBaseline(roster, Plan{}, &report));
  EXPECT_FALSE(AcceptRosterAsBaseline(roster, Plan{}, nullptr));  // only planned
  roster.trusted = false;
  EXPECT_FALSE(AcceptRosterAsBaseline(roster, Plan{}, &report));
  roster.trusted = true;
  report.ledger_status = Status::IoError("disk full");
  EXPECT_FALSE(AcceptRosterAsBaseline(roster, Plan{}, &report));
}

// A hold about one person or the server (permanent on some servers) does not keep the shrink
// check disarmed.
TEST(PlanAcceptanceTest, HoldsAboutPeopleOrTheServerDoNotBlockAcceptance) {
  Roster roster;
  ExecutionReport report;
  for (const char* guard : {"guests_unavailable", "ambiguous_match", "deactivated_outside",
                            "suspected_rename", "identity_conflict"}) {
    EXPECT_TRUE(AcceptRosterAsBaseline(roster, WithHold(guard), &report)) << guard;
  }
  Plan attention;
  attention.attention.push_back(Attention{"E1", "jdoe", "E1 jdoe needs a person"});
  EXPECT_TRUE(AcceptRosterAsBaseline(roster, attention, &report));
}

TEST(PlanAcceptanceTest, RosterIntegrityHoldsBlockAcceptance) {
  Roster roster;
  ExecutionReport report;
  for (const char* guard : {"untrusted_roster", "max_deactivations", "mass_identity_change",
                            "implausible_listing", "rejected_row"}) {
    EXPECT_FALSE(AcceptRosterAsBaseline(roster, WithHold(guard), &report)) << guard;
    Plan mixed = WithHold("guests_unavailable");
    mixed.holds.push_back(Hold{guard, 2, "held"});
    EXPECT_FALSE(AcceptRosterAsBaseline(roster, mixed, &report)) << guard;
  }
}

}  // namespace
}  // namespace rostersync
