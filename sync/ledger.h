// The identity ledger: roster key <-> Mattermost user id, plus provenance (what rostersync
// last set, because the API never returns auth_data nor email_verified in lists) and absence
// tracking for the deactivation grace. Persisted by the StateStore; plain values here.
#ifndef ROSTERSYNC_SYNC_LEDGER_H_
#define ROSTERSYNC_SYNC_LEDGER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace rostersync {

// set_values key: why the last deactivation of this person failed (the executor sets it and
// clears it on success; the planner clears it when the roster wants the person active). While
// set, a planned deactivation is also an attention item.
inline constexpr char kDeactivateFailed[] = "deactivate_failed";

struct LedgerEntry {
  std::string key;
  std::string user_id;
  // field -> value rostersync last set. Keys used: username, email, first_name, last_name,
  // nickname, position, locale, roles, auth_service, auth_data, email_verified ("true";
  // "false" after an email change), active ("true"/"false"), password_reset_sent ("true"),
  // email_pending (a new email the server keeps pending the person's verification; cleared
  // when a listing shows it), requested:<field> (what rostersync asked when the server
  // stored <field> in its own form, e.g. a cleaned name or a replaced locale: not re-sent).
  // What each action records: ActionSetValues (sync/plan.h), corrected by the server's
  // answer (RecordServerAnswer, sync/executor.h). Also kDeactivateFailed.
  std::map<std::string, std::string> set_values;
  int64_t absent_since_ms = 0;  // 0 = present in the last roster
  int absent_cycles = 0;        // consecutive cycles absent
  std::set<std::string> reported;  // one-time reports already made, e.g. "sso_username"

  bool operator==(const LedgerEntry& o) const {
    return key == o.key && user_id == o.user_id && set_values == o.set_values &&
           absent_since_ms == o.absent_since_ms && absent_cycles == o.absent_cycles &&
           reported == o.reported;
  }
  bool operator!=(const LedgerEntry& o) const { return !(*this == o); }
};

using Ledger = std::map<std::string, LedgerEntry>;  // by roster key

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_LEDGER_H_
