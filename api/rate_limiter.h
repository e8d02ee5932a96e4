// RateLimiter: decides when the next request may start. Combines an optional client-side
// token bucket (rate_per_second/burst), pacing derived from the server's X-Ratelimit-*
// headers once Remaining runs low, and a shared pause after a 429 (Retry-After).
// Thread-safe; Acquire() sleeps through the Env (bounded by the largest delay fed in).
#ifndef ROSTERSYNC_API_RATE_LIMITER_H_
#define ROSTERSYNC_API_RATE_LIMITER_H_

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "sync/env.h"
#include "sync/state_store.h"
#include "sync/status.h"
#include "sync/stop_token.h"

namespace rostersync::api {

class RateLimiter {
 public:
  // rate_per_second <= 0 disables the client-side bucket. low_water: pace once the server
  // reports this many or fewer remaining requests (use at least the concurrency). Time is
  // read from and slept through `env` (not owned; outlives the limiter).
  RateLimiter(double rate_per_second, int burst, int low_water, Env& env = Env::Default());
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Reserves a start slot and sleeps until it (waking at once on a stop, see set_stop).
  // Returns how long it slept.
  std::chrono::milliseconds Acquire();
  // Not owned; may be null. Set before the first Acquire().
  void set_stop(const StopToken* stop) { stop_ = stop; }
  // The start time the next Acquire() would get, in Env::SteadyMs() milliseconds, without
  // reserving it (for tests).
  int64_t NextStartMs() const;

  // Feeds the X-Ratelimit-Limit/Remaining/Reset values of an answer; -1 = header absent.
  // Reset is seconds until the server's bucket is full again (docs/emulator.md).
  // Paces only once Remaining is low, spacing starts by the best known time per server token:
  // the header bound reset/(limit-remaining), tightened by the refill seen between answers.
  void Observe(int64_t limit, int64_t remaining, int64_t reset_seconds);
  // Same, with the time the answer arrived in microseconds on the Env's steady timeline
  // (SteadyMs() * 1000); tests drive a simulated clock through this.
  void ObserveAt(int64_t limit, int64_t remaining, int64_t reset_seconds, int64_t at_us);
  // Every request (from any thread) waits until now + delay. Used after a 429.
  void PauseFor(std::chrono::milliseconds delay);

  // Current spacing between request starts imposed by the server's headers (0 = none).
  std::chrono::microseconds pace_interval() const;

  // The server-derived state worth keeping between processes, as one line of text
  // ("rl1 <wall_ms> <limit> <remaining> <pace_us> <token_us> <next_start_in_us>"): a process
  // that starts right after another one drained the server's bucket then starts paced
  // instead of spending its first requests on 429s. `wall_ms` is the wall clock now.
  std::string ExportState(int64_t wall_ms) const;
  // Takes over a state ExportState wrote at an earlier wall time: when the server's bucket
  // cannot have refilled above the pacing threshold since (at the learned rate), pacing
  // resumes and the first start waits until the next one the old process would have got
  // (at most 60 s); a 429 pause still running carries over too. Anything else (a full
  // bucket by now, a malformed or future-dated text) changes nothing. False if ignored.
  bool ImportState(const std::string& state, int64_t wall_ms);

  // The low-water mark a client with `concurrency` workers uses (Transport and wiring agree).
  static int LowWaterFor(int concurrency) { return concurrency + 2; }

 private:
  int64_t NowUs() const { return env_.SteadyMs() * 1000; }
  int64_t ReserveLocked(int64_t now_us);

  Env& env_;
  mutable std::mutex mu_;
  const StopToken* stop_ = nullptr;
  const double rate_;
  const int burst_;
  const int low_water_;
  // Times are microseconds on the Env's steady timeline.
  int64_t bucket_tat_ = 0;   // token bucket: theoretical arrival time (GCRA)
  int64_t next_paced_ = 0;   // server pacing: earliest next start
  int64_t pause_until_ = 0;  // after a 429
  int64_t pace_interval_us_ = 0;
  // Learned upper bound on the server's time per token (0 = none yet), and the last answer.
  int64_t token_time_us_ = 0;
  int64_t last_seen_ = 0;
  int64_t last_remaining_ = -1;
  int64_t last_limit_ = -1;
};

// The state store keeps ExportState's text under this name (StateStore::GetValue).
inline constexpr char kRateLimitStateName[] = "rate_limit";

// At the start of a process: takes over the state the last one saved in `store`, if any.
// True when it changed the limiter (the process starts paced or paused). A store without
// named values, or no value saved yet, is not an error.
bool RestoreRateLimitState(StateStore& store, RateLimiter& limiter, int64_t wall_ms);
// At the end of a cycle: saves the limiter's state for the next process. A store without
// named values gives Ok (nothing to keep it in).
Status SaveRateLimitState(StateStore& store, const RateLimiter& limiter, int64_t wall_ms);

}  // namespace rostersync::api

#endif  // ROSTERSYNC_API_RATE_LIMITER_H_
