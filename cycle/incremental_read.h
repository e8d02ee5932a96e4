// The server read of an incremental cycle (docs/design.md, "Full and incremental cycles"):
// the snapshot's users refreshed with what changed since its watermark, instead of a listing
// of every account. Accounts the last cycles acted on and ledger ids the snapshot lacks are
// re-read in full; roster rows whose email or username no known account has (joiners,
// renames) are looked up, so an account created outside rostersync that collides with them
// is found. Any failure, or an answer that does not fit the question, fails the whole read:
// nothing is planned from a partial view. Thread-compatible; no I/O but through UsersApi.
#ifndef ROSTERSYNC_CYCLE_INCREMENTAL_READ_H_
#define ROSTERSYNC_CYCLE_INCREMENTAL_READ_H_

#include <cstddef>
#include <string>
#include <vector>

#include "cycle/users_snapshot.h"
#include "sync/ledger.h"
#include "sync/roster.h"
#include "sync/status.h"
#include "sync/user.h"
#include "sync/users_api.h"

namespace rostersync::cycle {

// What the rows of a roster need looked up: the (lower-cased, de-duplicated) usernames and
// emails that no account of `view` has.
struct RowLookups {
  std::vector<std::string> usernames;
  std::vector<std::string> emails;
};
RowLookups LookupsFor(const Roster& roster, const std::vector<User>& view);

// What a delta read did, for the log and the tests.
struct DeltaRead {
  std::size_t reread = 0;     // ids read in full (touched, or in the ledger only)
  std::size_t checked = 0;    // ids asked "changed since the watermark?"
  std::size_t changed = 0;    // accounts that came back changed
  std::size_t gone = 0;       // re-read ids the server no longer has (dropped from the view)
  std::size_t looked_up = 0;  // accounts found by username or email
  int requests = 0;
};

// Refreshes *view (the snapshot's users, moved in by the caller) against the server:
//  1. snapshot.touched and the ledger's ids *view lacks: POST /users/ids (no since), in
//     batches of kDeltaIdsBatch; an id not returned is gone and leaves the view;
//  2. every other id of *view: POST /users/ids?since=<snapshot.watermark_ms>, batched;
//  3. lookups: POST /users/usernames (batches of 100), then GET /users/email/{e} (404: none).
// Changed or found accounts replace their copy (by id) or join the view. An error, an
// account that was not asked for, or one returned twice, fails the call (*view is then
// unspecified: the caller drops it).
Result<DeltaRead> RefreshView(UsersApi& api, const UsersSnapshot& snapshot, const Ledger& ledger,
                              const RowLookups& lookups, std::vector<User>* view);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_INCREMENTAL_READ_H_
