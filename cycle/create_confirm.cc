#include "cycle/create_confirm.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include "sync/text.h"

namespace rostersync::cycle {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Adds `u` to *found unless *known already holds its id.
void Keep(User u, std::unordered_set<std::string>* known, std::vector<User>* found) {
  if (!u.id.empty() && known->insert(u.id).second) found->push_back(std::move(u));
}

}  // namespace

Result<int> FindAccountsForCreates(UsersApi& api, const Plan& plan, std::vector<User>* users) {
  std::vector<const Action*> creates;
  for (const Action& a : plan.actions) {
    if (a.type == ActionType::kCreate && !a.held) creates.push_back(&a);
  }
  if (creates.empty()) return 0;
  std::unordered_set<std::string> known;
  known.reserve(users->size());
  for (const User& u : *users) known.insert(u.id);

  std::vector<User> found;
  std::unordered_set<std::string> names_found;
  for (std::size_t start = 0; start < creates.size(); start += kCreateUsernameBatch) {
    const std::size_t end = std::min(creates.size(), start + kCreateUsernameBatch);
    std::vector<std::string> names;
    for (std::size_t i = start; i < end; ++i) names.push_back(creates[i]->new_user.username);
    Result<std::vector<User>> got = api.GetUsersByUsernames(names);
    if (!got.ok()) {
      return got.status().Annotate("confirming that the " + std::to_string(creates.size()) +
                                   " accounts to create do not exist yet");
    }
    for (User& u : *got) {
      names_found.insert(Lower(u.username));
      Keep(std::move(u), &known, &found);
    }
  }
  int lookups = 0;
  for (const Action* a : creates) {
    if (names_found.count(Lower(a->new_user.username)) != 0) continue;
    if (a->new_user.email.empty()) continue;
    if (lookups == kMaxCreateEmailLookups) break;
    ++lookups;
    Result<User> got = api.GetUserByEmail(a->new_user.email);
    if (got.ok()) {
      Keep(std::move(got).value(), &known, &found);
    } else if (!got.status().IsNotFound()) {
      return got.status().Annotate("confirming that no account has the email of roster key " +
                                   EscapeControl(a->key));
    }
  }
  const int appended = static_cast<int>(found.size());
  for (User& u : found) users->push_back(std::move(u));
  return appended;
}

}  // namespace rostersync::cycle
