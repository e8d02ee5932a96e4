// Internal options of `rostersync run`, read from the environment: not config keys and not
// meant for operators. The test suite shortens product waits with them; unset (or not a
// positive number), each has the product's default.
#ifndef ROSTERSYNC_DAEMON_INTERNAL_OPTIONS_H_
#define ROSTERSYNC_DAEMON_INTERNAL_OPTIONS_H_

#include <cstdint>
#include <cstdlib>

namespace rostersync::daemon {

// ROSTERSYNC_INTERNAL_ROSTER_QUIET_MS: how long the roster file must stay unchanged before
// the watch reports a change (RosterWatch stable_ms), and the scheduler's debounce after
// that report (ScheduleOptions::debounce_ms). Default 1000 ms each.
inline int64_t RosterQuietMs() {
  constexpr int64_t kDefault = 1'000;
  const char* text = std::getenv("ROSTERSYNC_INTERNAL_ROSTER_QUIET_MS");
  if (text == nullptr || *text == '\0') return kDefault;
  char* end = nullptr;
  const long long ms = std::strtoll(text, &end, 10);
  return (*end == '\0' && ms > 0 && ms <= 60'000) ? ms : kDefault;
}

}  // namespace rostersync::daemon

#endif  // ROSTERSYNC_DAEMON_INTERNAL_OPTIONS_H_
