// Incremental cycles (docs/design.md, "Full and incremental cycles"): the UsersSnapshot a
// running service keeps in memory between cycles (the server's users as the last whole-roster
// cycle saw them, and a watermark in server time), and the pure rule that decides whether a
// cycle lists every account (full) or only re-reads what changed since (incremental). A
// process always starts with a full cycle, so the snapshot is never persisted.
#ifndef ROSTERSYNC_CYCLE_USERS_SNAPSHOT_H_
#define ROSTERSYNC_CYCLE_USERS_SNAPSHOT_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sync/user.h"

namespace rostersync::cycle {

// The watermark is the server's Date (second resolution: minus 1 s) minus this margin, for
// replica lag and clock steps: a change is re-read unless it is older than the margin.
inline constexpr int64_t kWatermarkMarginMs = 120'000;
// Ids per POST /users/ids?since= request: 5,000 ids of 26 characters are ~145 KB of JSON,
// half of a server's default MaximumPayloadSizeBytes (300,000) and far below a proxy's 1 MB.
inline constexpr std::size_t kDeltaIdsBatch = 5000;
// Email look-ups (GET /users/email/{e}, one request each) an incremental cycle may send for
// joiners and renames; a roster with more such rows is read with a full cycle instead.
inline constexpr std::size_t kMaxDeltaEmailLookups = 200;

// The notice an incremental cycle's plan carries (the plan says which kind of cycle it was).
inline constexpr char kIncrementalNotice[] =
    "incremental cycle: only accounts changed since the last cycle were read; accounts "
    "created outside rostersync and policy.unmatched_accounts wait for the next full cycle";

enum class CycleKind { kFull, kIncremental };
const char* ToString(CycleKind kind);  // "full", "incremental"

// Owned by the caller that runs cycles (daemon/cycle.h CycleRunner), passed to the cycle
// core through CycleDeps. Not thread-safe: cycles are serialised.
struct UsersSnapshot {
  bool valid = false;
  // The view the last whole-roster cycle planned from (listing + confirmed accounts, or the
  // previous view refreshed), by value.
  std::vector<User> users;
  int64_t watermark_ms = 0;  // server time; accounts changed after it are re-read
  int64_t last_full_ms = 0;  // local clock: when the last full cycle started
  // Accounts the last cycles acted on: re-read in full (without since) by the next
  // incremental cycle, whatever the server did with their update_at.
  std::set<std::string> touched;

  void Invalidate();  // the next whole-roster cycle is full; frees the users
};

struct KindInput {
  const UsersSnapshot* snapshot = nullptr;  // null: incremental cycles are off
  bool apply = false;                       // plan-only cycles are full
  bool whole_roster = true;                 // per-key cycles are full
  bool full_requested = false;              // sync --full
  int64_t full_every_ms = 0;                // schedule.full_every; 0: every cycle is full
  int64_t now_ms = 0;                       // local clock
  std::optional<int64_t> server_time_ms;    // the Date of GetMe's answer
};

struct KindDecision {
  CycleKind kind = CycleKind::kFull;
  std::string reason;  // why (for the log and the plan's notice)
};

// Full unless every condition for an incremental cycle holds: an applied whole-roster cycle,
// not --full, schedule.full_every > 0 and not yet elapsed since the last full cycle, a valid
// snapshot (there is none on the first cycle of a process, after a reload, or after a cycle
// that failed or was held) and a server Date to take the next watermark from.
KindDecision DecideCycleKind(const KindInput& in);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_USERS_SNAPSHOT_H_
