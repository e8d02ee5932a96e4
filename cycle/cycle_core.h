// CycleCore: one sync cycle over the seams, in the product's safety order (docs/design.md,
// "One cycle"): recover -> read roster -> read server -> plan -> apply -> record. A stage
// that fails stops the cycle there: nothing after it runs, and nothing is applied unless
// the apply stage was reached. No I/O of its own; Poco-, yaml- and spdlog-free (a test
// checks). Run() is not reentrant: callers serialise cycles.
#ifndef ROSTERSYNC_CYCLE_CYCLE_CORE_H_
#define ROSTERSYNC_CYCLE_CYCLE_CORE_H_

#include "cycle/cycle_types.h"
#include "cycle/seams.h"
#include "cycle/users_snapshot.h"
#include "sync/audit_sink.h"
#include "sync/env.h"
#include "sync/roster_source.h"
#include "sync/state_store.h"
#include "sync/stop_token.h"
#include "sync/users_api.h"

namespace rostersync::cycle {

// What the core works through; none owned, all must outlive the CycleCore.
struct CycleDeps {
  RosterSource* roster = nullptr;
  RosterLoader* loader = nullptr;
  UsersApi* api = nullptr;
  StateStore* store = nullptr;
  AuditSink* audit = nullptr;  // may be null
  Env* env = nullptr;  // time (and sleeps, threads) for every stage
  CycleLog* log = nullptr;
  const StopToken* stop = nullptr;  // may be null; once requested nothing new starts
  // May be null (every cycle is full). Kept between the cycles of one process: what an
  // incremental cycle refreshes instead of listing every account (cycle/users_snapshot.h).
  UsersSnapshot* snapshot = nullptr;
};

class CycleCore {
 public:
  explicit CycleCore(CycleDeps deps) : deps_(deps) {}

  // Runs one cycle with `options` (taken afresh each call). Never throws; failures are in
  // result.status / stage / exit_code 1. A roster that cannot be read, or a server that
  // cannot be read in full, applies nothing.
  CycleResult Run(const CycleOptions& options, const CycleRequest& request);

 private:
  CycleDeps deps_;
};

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_CYCLE_CORE_H_
