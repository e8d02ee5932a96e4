// UsersSnapshot and DecideCycleKind: see cycle/users_snapshot.h.
#include "cycle/users_snapshot.h"

namespace rostersync::cycle {

const char* ToString(CycleKind kind) {
  return kind == CycleKind::kIncremental ? "incremental" : "full";
}

void UsersSnapshot::Invalidate() {
  valid = false;
  std::vector<User>().swap(users);
  touched.clear();
  watermark_ms = 0;
}

KindDecision DecideCycleKind(const KindInput& in) {
  auto full = [](std::string reason) { return KindDecision{CycleKind::kFull, std::move(reason)}; };
  if (in.snapshot == nullptr) return full("incremental cycles are not available here");
  if (!in.apply) return full("a plan-only cycle reads every account");
  if (!in.whole_roster) return full("a per-key cycle reads every account");
  if (in.full_requested) return full("a full cycle was requested (--full)");
  if (in.full_every_ms <= 0) return full("schedule.full_every is 0");
  if (!in.snapshot->valid) {
    return full("no snapshot of the server's users: the first cycle since start or reload, or "
                "the previous cycle failed or was held");
  }
  if (in.now_ms - in.snapshot->last_full_ms >= in.full_every_ms) {
    return full("schedule.full_every has passed since the last full cycle");
  }
  if (!in.server_time_ms) return full("the server sent no Date header to take a watermark from");
  return KindDecision{CycleKind::kIncremental,
                      "changes since the last cycle (the next full cycle is due within "
                      "schedule.full_every)"};
}

}  // namespace rostersync::cycle
