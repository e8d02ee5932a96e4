// Scheduler: decides when the next sync cycle runs (interval + jitter, run on start, roster
// changes debounced, requests "now", back-off after failures) and runs cycles on its own
// thread, one at a time: cycles never overlap. Thread-safe. Between cycles the thread sleeps
// on a condition variable until the next deadline; Stop, RequestNow, RosterChanged and
// SetOptions wake it at once (no polling), so Stop() returns as soon as a running cycle (if
// any) finishes.
#ifndef ROSTERSYNC_DAEMON_SCHEDULER_H_
#define ROSTERSYNC_DAEMON_SCHEDULER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "sync/clock.h"

namespace rostersync::daemon {

struct ScheduleOptions {
  int64_t interval_ms = 15 * 60'000;
  int64_t jitter_ms = 30'000;  // a random 0..jitter added to every interval
  bool run_on_start = true;
  int64_t debounce_ms = 1'000;       // quiet time after the last roster change
  int64_t backoff_base_ms = 60'000;  // after failure n: base * 2^(n-1), at most the interval
};

enum class Trigger { kStart, kInterval, kRosterChanged, kRequested, kRetry };
const char* TriggerName(Trigger trigger);  // "start", "interval", "roster-changed", ...

class Scheduler {
 public:
  // cycle returns true when the cycle succeeded (a failure starts the back-off).
  using CycleFn = std::function<bool(Trigger)>;

  Scheduler(ScheduleOptions options, const Clock& clock, CycleFn cycle,
            uint32_t seed = std::random_device{}());
  ~Scheduler();  // Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();  // starts the thread; call once, after any fork
  void Stop();   // cancels the wait, lets a running cycle finish, joins. Idempotent.

  void RequestNow();     // a cycle as soon as possible (coalesced with any already waiting)
  void RosterChanged();  // a cycle once the roster has been quiet for debounce_ms
  void SetOptions(const ScheduleOptions& options);  // from the next wait on
  // Re-reads the clock at once. The wait is measured in real time from the clock's reading;
  // call this after moving a fake clock (tests) so the new time is seen without waiting.
  void Wake();

  int64_t next_due_ms() const;  // when the next timed cycle is due (clock ms)
  int cycles_run() const;
  int consecutive_failures() const;

  // Pure policy: the wait after `failures` consecutive failures (0 = after a success).
  static int64_t BackoffMs(int failures, const ScheduleOptions& options);

 private:
  void Loop();
  int64_t DelayAfterLocked(bool ok);

  const Clock& clock_;
  CycleFn cycle_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  ScheduleOptions options_;
  std::mt19937 rng_;
  bool stop_ = false;
  bool requested_ = false;
  int64_t watch_deadline_ms_ = 0;  // 0 = no roster change pending
  int64_t next_due_ms_ = 0;
  int failures_ = 0;
  int cycles_run_ = 0;
  std::thread thread_;
};

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_SCHEDULER_H_
