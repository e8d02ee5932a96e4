// AuditSink: where the executor copies each audit record after the state store committed it
// (e.g. the JSONL file of state/audit_file.h). The store holds the authoritative trail; a sink
// is its readable copy. Implementations must be thread-safe: workers call Write concurrently.
#ifndef ROSTERSYNC_SYNC_AUDIT_SINK_H_
#define ROSTERSYNC_SYNC_AUDIT_SINK_H_

#include <vector>

#include "sync/state_store.h"

namespace rostersync {

class AuditSink {
 public:
  virtual ~AuditSink() = default;

  // Appends one record. Failures are the sink's to report (log); the store already has it.
  virtual void Write(const AuditRecord& record) = 0;

  // After a crash: `committed` are the records the store committed in the window of the
  // interrupted run, oldest first. Appends those the sink does not hold yet (a crash between
  // the store commit and Write). The default appends nothing.
  virtual void CatchUp(const std::vector<AuditRecord>& committed) {}
};

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_AUDIT_SINK_H_
