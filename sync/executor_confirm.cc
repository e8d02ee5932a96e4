// ConfirmUnlisted: a listing (GET /users, OFFSET paging on a live table) is not a snapshot,
// so an id the ledger knows but the listing lacks is confirmed with POST /users/ids before
// the planner may treat the account as gone (docs/server-compatibility.md).
#include <algorithm>
#include <unordered_set>

#include "sync/flat_index.h"

#include "sync/executor.h"

namespace rostersync {

Status ConfirmUnlisted(UsersApi& api, const Ledger& ledger, std::vector<User>* users,
                       int* confirmed) {
  if (confirmed != nullptr) *confirmed = 0;
  // Views into *users, which is not touched until the end: no copy of N ids.
  FlatIndex<char> listed;
  listed.Reserve(users->size());
  for (const User& u : *users) listed.Emplace(u.id, 0);
  std::unordered_set<std::string> found_ids;
  std::vector<std::string> missing;
  for (const auto& [key, entry] : ledger) {
    if (!entry.user_id.empty() && listed.Find(entry.user_id) == nullptr) {
      missing.push_back(entry.user_id);
    }
  }
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  std::vector<User> found;
  for (size_t start = 0; start < missing.size(); start += kMaxIdsPerLookup) {
    size_t end = std::min(missing.size(), start + kMaxIdsPerLookup);
    std::vector<std::string> chunk(missing.begin() + start, missing.begin() + end);
    auto got = api.GetUsersByIds(chunk);
    if (!got.ok()) {
      return got.status().Annotate("confirming " + std::to_string(missing.size()) +
                                   " ledger accounts the listing did not show");
    }
    for (User& u : *got) {
      if (listed.Find(u.id) == nullptr && found_ids.insert(u.id).second) {
        found.push_back(std::move(u));
      }
    }
  }
  if (confirmed != nullptr) *confirmed = static_cast<int>(found.size());
  for (User& u : found) users->push_back(std::move(u));
  return Status::Ok();
}

}  // namespace rostersync
