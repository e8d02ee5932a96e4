// The listing plausibility guard: a user listing far smaller than the ledger knows (a proxy
// that cuts pages, a server that ignores ?page=) is not trusted. The ledger ids missing from
// the listing are confirmed with POST /users/ids; when fewer than half of the ledger's
// existing managed users were listed (and at least 5 were not), every deactivation and identity
// change is held.
#ifndef ROSTERSYNC_SYNC_LISTING_GUARD_H_
#define ROSTERSYNC_SYNC_LISTING_GUARD_H_

#include <cstddef>
#include <string>
#include <vector>

#include "sync/ledger.h"
#include "sync/plan.h"
#include "sync/user.h"

namespace rostersync {

inline constexpr const char* kGuardImplausibleListing = "implausible_listing";

struct ListingCheck {
  std::size_t expected = 0;   // the ledger's active managed user ids
  std::size_t listed = 0;     // of those, how many the listing holds
  std::size_t confirmed = 0;  // of the missing ones, how many POST /users/ids says exist
};

// The user ids of ledger entries rostersync believes active (mapped to a user, "active" not
// set to "false") that `users` does not list. Sets check->expected and check->listed.
std::vector<std::string> LedgerIdsMissingFromListing(const Ledger& ledger,
                                                     const std::vector<User>& users,
                                                     ListingCheck* check);

// Fewer confirmed-but-unlisted accounts than this never trigger the guard.
inline constexpr std::size_t kMinUnlistedForGuard = 5;

// True when fewer than half of the ledger's managed users that still exist were listed,
// and at least kMinUnlistedForGuard of them were missing.
bool ListingImplausible(const ListingCheck& check);

// Holds every deactivation, create, auth change and username/email change in `plan` with
// guard kGuardImplausibleListing and adds one Hold line naming the counts. --force (`force`)
// releases it, as it releases the roster's plausibility guard; a notice says so. Returns the
// number of actions held.
int HoldForImplausibleListing(const ListingCheck& check, bool force, Plan* plan);

}  // namespace rostersync

#endif  // ROSTERSYNC_SYNC_LISTING_GUARD_H_
