// FindAccountsForCreates: a listing (GET /users, OFFSET paging on a live table) is not a
// snapshot, so an account it missed gets a planned create the server refuses ("email
// exists"). Before a plan's creates run, their usernames are looked up in batches (POST
// /users/usernames) and the rest by email (GET /users/email/{e}); see
// docs/server-compatibility.md, "A listing is not a snapshot".
#ifndef ROSTERSYNC_CYCLE_CREATE_CONFIRM_H_
#define ROSTERSYNC_CYCLE_CREATE_CONFIRM_H_

#include <cstddef>
#include <vector>

#include "sync/plan.h"
#include "sync/status.h"
#include "sync/user.h"
#include "sync/users_api.h"

namespace rostersync::cycle {

// Usernames per POST /users/usernames request.
inline constexpr std::size_t kCreateUsernameBatch = 100;
// GET /users/email/{e} lookups per cycle; creates past this many go ahead unconfirmed by email
// (their usernames were still looked up).
inline constexpr int kMaxCreateEmailLookups = 50;

// For every create in `plan` that is not held: looks its username up, then (for those not
// found, up to kMaxCreateEmailLookups) its email. Appends to *users each account found that
// *users does not already hold (by id) and returns how many were appended: the caller plans
// again, so the row adopts or matches the account instead of creating it. A lookup that
// fails (other than NotFound for an email) fails the whole call: nothing should be created
// on an absence that was not confirmed.
Result<int> FindAccountsForCreates(UsersApi& api, const Plan& plan, std::vector<User>* users);

}  // namespace rostersync::cycle

#endif  // ROSTERSYNC_CYCLE_CREATE_CONFIRM_H_
