// Incremental cycles (docs/design.md, "Full and incremental cycles"): the UsersSnapshot a
// running service keeps in memory between cycles (the server's users as the last whole-roster
// cycle saw them, and a watermark in server time), and the pure rule that decides whether a
// cycle lists every account (full) or only re-reads what changed since (incremental), and
// the watermark rule (WatermarkFor). A process always starts with a full cycle, so the
// snapshot is never persisted.
#ifndef ROSTERSYNC_CYCLE_USERS_SNAPSHOT_H_
#define ROSTERSYNC_CYCLE_USERS_SNAPSHOT_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sync/user.h"

namespace rostersync::cycle {

// Subtracted from every clock the watermark is taken from (WatermarkFor), for replica lag
// and clock steps: a change is re-read unless it is older than the margin.
inline constexpr int64_t kWatermarkMarginMs = 120'000;
// A server Date further than this from our own clock is logged as a warning (once).
inline constexpr int64_t kDateSkewWarnMs = 180'000;
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
  // Why the snapshot is not valid (for the next cycle's "full cycle (why)"); empty before
  // the first cycle of the process.
  std::string invalid_reason;
  // The skew between the server's Date and our clock has been logged (until it is back
  // within kDateSkewWarnMs): the warning is given once, not every cycle.
  bool date_skew_warned = false;

  // The next whole-roster cycle is full (for `reason`, if given); frees the users.
  void Invalidate(std::string reason = "");
};

// What the next watermark is taken from, all read at the start of the cycle's server read.
struct WatermarkInput {
  std::optional<int64_t> server_date_ms;  // the Date of GetMe's answer (second resolution)
  int64_t newest_update_at_ms = 0;        // the largest update_at the read saw (0: none)
  int64_t local_ms = 0;                   // our own clock
};

// The earliest of: Date - 1 s - margin, the newest update_at - margin (the server's own
// clock, as it writes it into the accounts: a proxy's Date may be ahead of it) and our clock -
// margin. Any one clock ahead of the others only makes the watermark earlier: the next
// incremental cycle reads a little more, never misses a change.
int64_t WatermarkFor(const WatermarkInput& in);
// True when a Date and our clock are more than kDateSkewWarnMs apart.
bool DateSkewed(int64_t server_date_ms, int64_t local_ms);

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
