// AcceptRosterAsBaseline: see sync/plan_acceptance.h.
#include "sync/plan_acceptance.h"

#include <string>

namespace rostersync {

bool IsRosterIntegrityGuard(const std::string& guard) {
  static const char* const kIntegrity[] = {"untrusted_roster", "max_deactivations",
                                           "mass_identity_change", "implausible_listing",
                                           "rejected_row"};
  for (const char* name : kIntegrity) {
    if (guard == name) return true;
  }
  return false;
}

bool AcceptRosterAsBaseline(const Roster& roster, const Plan& plan,
                            const ExecutionReport* report) {
  if (!roster.trusted || report == nullptr || !report->ledger_status.ok()) return false;
  for (const Hold& hold : plan.holds) {
    if (IsRosterIntegrityGuard(hold.guard)) return false;
  }
  return true;
}

}  // namespace rostersync
