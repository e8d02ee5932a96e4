// CycleReporter: what the service tells the outside world about a finished cycle: metrics,
// one log line, systemd's STATUS=, and the webhook summary and alerts. Split from
// service.cc (docs/design.md, "Targets"); thread-compatible (the service reports under its
// cycle mutex).
#ifndef ROSTERSYNC_DAEMON_SERVICE_REPORTER_H_
#define ROSTERSYNC_DAEMON_SERVICE_REPORTER_H_

#include <functional>
#include <string>

#include "cycle/cycle_types.h"
#include "daemon/metrics.h"
#include "daemon/notifier.h"
#include "sync/clock.h"

namespace rostersync::daemon {

using cycle::CycleResult;
using cycle::CycleSummary;
using cycle::RunRecordFor;

class CycleReporter {
 public:
  // `status` receives each STATUS= line (systemd_notify.h's NotifyStatus in production).
  CycleReporter(Metrics& metrics, Notifier& notifier, const Clock& clock,
                std::function<void(const std::string&)> status)
      : metrics_(metrics), notifier_(notifier), clock_(clock), status_(std::move(status)) {}

  // A cycle that ran (to its end or to the stage it stopped at). Returns its summary line.
  // `post_held` (may be empty) posts a held set with Approve / Reject buttons and returns
  // true; when it returns false (approvals off) the plain "held back" alerts go out.
  std::string Report(const CycleResult& result,
                     const std::function<bool(const CycleResult&)>& post_held = nullptr);
  // A cycle that could not start (no state store, no client): a failed cycle with an alert.
  void NotRun(const Status& why);

 private:
  Metrics& metrics_;
  Notifier& notifier_;
  const Clock& clock_;
  std::function<void(const std::string&)> status_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_SERVICE_REPORTER_H_
