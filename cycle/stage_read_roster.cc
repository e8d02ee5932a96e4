// Stage "read roster" (docs/design.md, "One cycle"): the last accepted roster from the state
// store, then the roster through the RosterSource seam, mapped and gated by the RosterLoader
// against it. Rejected rows and the reasons it is not trusted are logged.
#include "cycle/stages.h"

namespace rostersync::cycle {

bool ReadRoster(CycleContext* c) {
  Result<std::optional<RosterFingerprint>> last = c->deps.store->LastAcceptedRoster();
  if (!last.ok()) return c->Stop("state", last.status());
  const std::string where = c->deps.roster->Describe();
  Result<Roster> roster = c->deps.loader->Load(*c->deps.roster, *last, c->deps.env->NowMs());
  if (!roster.ok()) {
    return c->Stop("roster", roster.status().Annotate(
                                 "cannot read the roster " + where +
                                 " (nothing was changed; fix the source and run again)"));
  }
  c->result.roster = std::move(roster).value();
  for (const RowError& e : c->result.roster.rejected) {
    c->deps.log->Warn("roster row rejected: " + e.where + ": " +
                      (e.column.empty() ? "" : e.column + ": ") + e.reason);
  }
  for (const std::string& reason : c->result.roster.untrusted_reasons) {
    c->deps.log->Warn("roster not trusted, changes to existing accounts held: " + reason);
  }
  return true;
}

}  // namespace rostersync::cycle
