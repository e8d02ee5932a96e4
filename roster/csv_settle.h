// WaitForSettledCsv: a roster export rewritten in place (truncated, then written slowly) must
// never be read half-written. Before a cycle reads the CSV file it waits until the file has
// been left alone for roster.csv.settle (its mtime that old, or its size and mtime unchanged
// that long), at most twice that; the read itself then checks the file did not change.
#ifndef ROSTERSYNC_ROSTER_CSV_SETTLE_H_
#define ROSTERSYNC_ROSTER_CSV_SETTLE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "config/config.h"
#include "sync/clock.h"
#include "sync/env.h"
#include "sync/status.h"
#include "sync/stop_token.h"

namespace rostersync {

// The seams of the wait, so tests need not sleep for real. Time is read from `clock`, else
// `env`; sleeps go to `sleep`, else env->SleepFor(ms, stop). A null env is Env::Default()
// (wall time: file mtimes are UTC).
struct SettleSeams {
  const Clock* clock = nullptr;
  std::function<bool(int64_t ms)> sleep;  // true when a stop cut it short
  Env* env = nullptr;
  const StopToken* stop = nullptr;  // may be null
};

// OK at once when settle_ms <= 0, when the file cannot be stat'ed or is not a regular file
// (the read reports that), or when its mtime is at least settle_ms old. Otherwise sleeps
// until it is, or until its size and mtime have stayed the same for settle_ms of waiting (an
// mtime ahead of the clock). After 2 * settle_ms: IoError "roster.csv ... is still being
// written (modified Ns ago)". Transient when a stop cut the wait short. Nothing is read.
Status WaitForSettledCsv(const std::string& path, int64_t settle_ms,
                         const SettleSeams& seams = {});

// For a csv roster: WaitForSettledCsv(csv.path, csv.settle_ms) on `env`, sleeping through
// `stop` (may be null). OK at once for any other source.
Status WaitForRosterToSettle(const RosterConfig& config, const StopToken* stop,
                             Env& env = Env::Default());

}  // namespace rostersync

#endif  // ROSTERSYNC_ROSTER_CSV_SETTLE_H_
