// The listing plausibility guard (see listing_guard.h).
#include "sync/listing_guard.h"

#include "sync/flat_index.h"

namespace rostersync {

namespace {

bool ChangesIdentity(const Action& action) {
  if (action.user_id.empty()) return true;  // a create and its follow-ups
  switch (action.type) {
    case ActionType::kDeactivate:
    case ActionType::kCreate:
    case ActionType::kAuth:
      return true;
    case ActionType::kUpdate:
      return action.patch.username.has_value() || action.patch.email.has_value();
    default:
      return false;
  }
}

}  // namespace

std::vector<std::string> LedgerIdsMissingFromListing(const Ledger& ledger,
                                                     const std::vector<User>& users,
                                                     ListingCheck* check) {
  // Views into `users` and `ledger`, which outlive the sets: no copy of 2N ids.
  FlatIndex<char> listed;
  listed.Reserve(users.size());
  for (const User& u : users) listed.Emplace(u.id, 0);
  std::vector<std::string> missing;
  FlatIndex<char> expected;
  expected.Reserve(ledger.size());
  for (const auto& [key, entry] : ledger) {
    if (entry.user_id.empty()) continue;
    auto active = entry.set_values.find("active");
    if (active != entry.set_values.end() && active->second == "false") continue;
    if (!expected.Emplace(entry.user_id, 0).second) continue;
    if (listed.Find(entry.user_id) == nullptr) missing.push_back(entry.user_id);
  }
  check->expected = expected.size();
  check->listed = expected.size() - missing.size();
  return missing;
}

bool ListingImplausible(const ListingCheck& check) {
  // A few unlisted accounts are ordinary (a rename moves one across a page boundary) and
  // are merged into the listing once confirmed; the guard is for a listing cut short.
  if (check.confirmed < kMinUnlistedForGuard) return false;
  return check.listed * 2 < check.listed + check.confirmed;
}

int HoldForImplausibleListing(const ListingCheck& check, bool force, Plan* plan) {
  if (!ListingImplausible(check)) return 0;
  const std::string counts =
      "the server's user listing holds " + std::to_string(check.listed) + " of the " +
      std::to_string(check.listed + check.confirmed) +
      " managed users that POST /users/ids confirms exist (ledger: " +
      std::to_string(check.expected) + " active)";
  int held = 0;
  for (Action& action : plan->actions) {
    if (action.held || !ChangesIdentity(action)) continue;
    ++held;
    if (force) continue;
    action.held = true;
    action.held_reason = std::string(kGuardImplausibleListing) + ": " + counts;
  }
  if (force) {
    plan->notices.push_back("--force: " + counts + "; " + std::to_string(held) +
                            " deactivations and identity changes applied anyway");
    return 0;
  }
  plan->holds.push_back(Hold{
      kGuardImplausibleListing, held,
      std::to_string(held) + " action" + (held == 1 ? "" : "s") +
          " (deactivations, creates, username/email/auth changes) held: " + counts +
          "; the listing is not trusted (a proxy or the server cuts it short). Check the "
          "server and any proxy, then run again; --force applies them anyway"});
  return held;
}

}  // namespace rostersync
