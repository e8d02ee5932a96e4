// The seams the cycle core (cycle/cycle_core.h) works through besides the sync/ ones
// (RosterSource, UsersApi, StateStore, AuditSink, Clock): a logger, the roster loader, and
// the options one cycle runs with. The daemon implements them (spdlog, roster/, config/);
// tests use NullCycleLog / a recording log and fakes. See docs/design.md, "Targets".
#ifndef ROSTERSYNC_CYCLE_SEAMS_H_
#define ROSTERSYNC_CYCLE_SEAMS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "sync/membership_planner.h"
#include "sync/options.h"
#include "sync/plan.h"
#include "sync/roster.h"
#include "sync/roster_source.h"
#include "sync/state_store.h"
#include "sync/status.h"

namespace rostersync::cycle {

// One line per call; the text is already escaped (roster and server strings) and free of
// secrets. Implementations must be thread-safe.
class CycleLog {
 public:
  virtual ~CycleLog() = default;
  virtual void Info(const std::string& line) = 0;
  virtual void Warn(const std::string& line) = 0;
  virtual void Error(const std::string& line) = 0;
};

class NullCycleLog : public CycleLog {
 public:
  void Info(const std::string&) override {}
  void Warn(const std::string&) override {}
  void Error(const std::string&) override {}
};

// Turns what a RosterSource reads into a Roster: waits for a file still being written, maps
// the columns, validates the rows and applies the integrity gate against the last accepted
// roster (production: roster/roster_loader.h). Errors are returned as is (IoError: cannot
// be read; Invalid: the header is unusable).
class RosterLoader {
 public:
  virtual ~RosterLoader() = default;
  virtual Result<Roster> Load(RosterSource& source,
                              const std::optional<RosterFingerprint>& last_accepted,
                              int64_t now_ms) = 0;
  // What the state store keeps of an accepted roster (production: AcceptedFingerprint of
  // roster/roster_loader.h). The default takes the digest the gate left in the roster.
  virtual RosterFingerprint Fingerprint(const Roster& roster, int64_t now_ms) {
    RosterFingerprint fp;
    fp.fingerprint = roster.fingerprint;
    fp.rows = static_cast<int64_t>(roster.entries.size());
    fp.accepted_ms = now_ms;
    return fp;
  }
};

// What a cycle takes from the configuration. Built per cycle by the daemon (daemon/cycle.cc),
// so a reloaded configuration applies from the next cycle on.
struct CycleOptions {
  PlannerOptions planner;
  MembershipOptions membership;       // rules empty: memberships off
  int64_t interval_ms = 3'600'000;    // schedule.interval (the deactivation budget window)
  // schedule.full_every: incremental cycles in between (cycle/users_snapshot.h); 0: every
  // cycle lists every account.
  int64_t full_every_ms = 0;
  int concurrency = 1;                // mattermost.concurrency
  bool revoke_tokens_on_deactivate = false;  // policy.revoke_tokens_on_deactivate
  std::string server;                 // the Mattermost URL as shown (no password)
  bool insecure_skip_verify = false;  // warned about every cycle
  // Removes secrets (a URL password) from a message; may be empty.
  std::function<std::string(std::string)> scrub;
  // Decodes a journaled action (sync/plan_json.h in production); may be empty.
  std::function<Result<Action>(const std::string&)> decode_action;
  // Called while applying (done, total); may be empty.
  std::function<void(int, int)> on_progress;
};

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_SEAMS_H_
