// The stages of one cycle (internal to cycle/), one file each, sharing a CycleContext. A
// stage returns false after Stop() recorded where and why the cycle stopped; the caller
// then returns the result. See docs/design.md, "One cycle".
#ifndef ROSTERSYNC_CYCLE_STAGES_H_
#define ROSTERSYNC_CYCLE_STAGES_H_

#include <string>
#include <vector>

#include <optional>

#include "cycle/cycle_core.h"
#include "cycle/incremental_read.h"
#include "cycle/users_snapshot.h"
#include "sync/ledger.h"
#include "sync/listing_guard.h"
#include "sync/user.h"

namespace rostersync::cycle {

struct CycleContext {
  const CycleDeps& deps;
  const CycleOptions& options;
  const CycleRequest& request;
  CycleResult result;
  RunRecord run;           // begun in the state store when run_begun
  bool run_begun = false;
  User me;                 // the token's own user
  std::vector<User> users; // the listing plus accounts confirmed beside it
  Ledger ledger;           // loaded once; the planner and the executor both use it
  ListingCheck listing;    // for the implausible-listing guard
  CycleKind kind = CycleKind::kFull;    // decided in stage "read server"
  std::optional<int64_t> server_time_ms;  // the Date of GetMe's answer (the next watermark)

  // Records that the cycle stopped at `stage` (message scrubbed), finishes the result and
  // the begun run. Always returns false.
  bool Stop(const char* stage, const Status& status);
  // Exit code, result label, duration; drops the roster entries.
  void Finish();
};

bool Recover(CycleContext* c);        // stage_recover.cc: begin the run, resolve the journal
bool ReadRoster(CycleContext* c);     // stage_read_roster.cc
bool ReadServer(CycleContext* c);     // stage_read_server.cc: me, capabilities, users, ledger
bool MakeCyclePlan(CycleContext* c);  // stage_plan.cc: plan, confirm creates, guards
bool ApplyPlan(CycleContext* c);      // stage_apply.cc
void RecordCycle(CycleContext* c);    // stage_record.cc: baseline, finish the run
// stage_read_delta.cc: the server read of an incremental cycle (cycle/incremental_read.h).
bool ReadServerIncremental(CycleContext* c, const RowLookups& lookups);
// stage_read_delta.cc: after the cycle, the snapshot keeps its view or is dropped.
void KeepSnapshot(CycleContext* c);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_STAGES_H_
