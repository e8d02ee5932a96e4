// UsersSnapshot and DecideCycleKind: see cycle/users_snapshot.h.
#include "cycle/users_snapshot.h"

#include <algorithm>
#include <cstdlib>

namespace rostersync::cycle {

const char* ToString(CycleKind kind) {
  return kind == CycleKind::kIncremental ? "incremental" : "full";
}

void UsersSnapshot::Invalidate(std::string reason) {
  valid = false;
  invalid_reason = std::move(reason);
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
    if (!in.snapshot->invalid_reason.empty()) {
      return full("no snapshot of the server's users: " + in.snapshot->invalid_reason);
    }
    return full("no snapshot of the server's users: the first cycle since start or reload");
  }
  if (in.now_ms - in.snapshot->last_full_ms >= in.full_every_ms) {
    return full("schedule.full_every has passed since the last full cycle");
  }
  if (!in.server_time_ms) return full("the server sent no Date header to take a watermark from");
  return KindDecision{CycleKind::kIncremental,
                      "changes since the last cycle (the next full cycle is due within "
                      "schedule.full_every)"};
}

int64_t WatermarkFor(const WatermarkInput& in) {
  int64_t mark = in.local_ms;
  if (in.server_date_ms) mark = std::min(mark, *in.server_date_ms - 1000);
  if (in.newest_update_at_ms > 0) mark = std::min(mark, in.newest_update_at_ms);
  return mark - kWatermarkMarginMs;
}

bool DateSkewed(int64_t server_date_ms, int64_t local_ms) {
  return std::llabs(server_date_ms - local_ms) > kDateSkewWarnMs;
}

}  // namespace rostersync::cycle
