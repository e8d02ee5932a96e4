// Stage "record" (docs/design.md, "One cycle"): after an applied cycle, the roster becomes
// the accepted baseline when cycle/baseline.h says so, and the run is finished in the state
// store (RunRecordFor, the same record /v1/status shows).
#include "cycle/baseline.h"
#include "cycle/stages.h"

namespace rostersync::cycle {

void RecordCycle(CycleContext* c) {
  CycleResult& r = c->result;
  if (ShouldAcceptBaseline(c->request, r)) {
    Status s = c->deps.store->SaveAcceptedRoster(
        c->deps.loader->Fingerprint(r.roster, c->deps.env->NowMs()));
    if (s.ok()) {
      r.baseline_saved = true;
    } else {
      c->deps.log->Error("cannot save the accepted roster fingerprint: " + s.ToString());
    }
  }
  c->Finish();
  Status s = c->deps.store->FinishRun(RunRecordFor(r, c->deps.env->NowMs()));
  if (!s.ok()) c->deps.log->Error("cannot record run " + r.run_id + ": " + s.ToString());
}

}  // namespace rostersync::cycle
