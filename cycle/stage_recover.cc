// Stage "recover" (docs/design.md, "One cycle"): a cycle that applies records its run as
// begun, then resolves the actions an interrupted run left pending in the journal. Nothing
// new is planned while one is unresolved (a create could be duplicated).
#include "sync/executor.h"
#include "cycle/stages.h"

namespace rostersync::cycle {

bool Recover(CycleContext* c) {
  if (!c->request.apply) return true;  // plan only: nothing is written anywhere
  Status s = c->deps.store->BeginRun(c->run);
  if (!s.ok()) {
    return c->Stop("state", s.Annotate("cannot record the run in state.database; check that "
                                       "the database is reachable and writable"));
  }
  c->run_begun = true;
  ExecutorOptions resolve_options;
  resolve_options.concurrency = 1;
  resolve_options.run_id = c->result.run_id;
  resolve_options.decode_action = c->options.decode_action;
  resolve_options.stop = c->deps.stop;
  Executor resolver(*c->deps.api, *c->deps.store, c->deps.audit, *c->deps.env,
                    resolve_options);
  s = resolver.ResolvePending();
  if (!s.ok()) {
    return c->Stop("journal", s.Annotate("resolving actions left pending by an interrupted run "
                                         "(nothing new is applied until they are resolved)"));
  }
  return true;
}

}  // namespace rostersync::cycle
