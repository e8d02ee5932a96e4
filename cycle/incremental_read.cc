// RefreshView and LookupsFor: see cycle/incremental_read.h.
#include "cycle/incremental_read.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "cycle/create_confirm.h"
#include "sync/flat_index.h"
#include "sync/text.h"

namespace rostersync::cycle {
namespace {

// The view being refreshed: copies replaced by id, new accounts appended, gone ones dropped.
// The index views ids in one arena (built once) and, for accounts that join, in a deque:
// no allocation per account, which matters at 100k accounts per cycle.
class View {
 public:
  explicit View(std::vector<User>* users) : users_(*users) {
    std::size_t bytes = 0;
    for (const User& u : users_) bytes += u.id.size();
    arena_.reserve(bytes);  // never grows past this: the views below stay valid
    index_.Reserve(users_.size() + 16);
    for (std::size_t i = 0; i < users_.size(); ++i) {
      const std::size_t at = arena_.size();
      arena_ += users_[i].id;
      index_.Emplace(std::string_view(arena_).substr(at, users_[i].id.size()), i);
    }
  }
  bool Has(std::string_view id) const { return index_.Find(id) != nullptr; }
  void Put(User user) {
    if (const std::size_t* at = index_.Find(user.id)) {
      User& old = users_[*at];
      if (old.username != user.username) reorder_ = true;
      old = std::move(user);
      return;
    }
    joined_.push_back(user.id);
    index_.Emplace(joined_.back(), users_.size());
    users_.push_back(std::move(user));
    reorder_ = true;
  }
  void Drop(const std::string& id) {
    if (Has(id)) gone_.insert(id);
  }
  // Drops the gone accounts and, when a username changed or an account joined, sorts by
  // username as a listing is.
  void Finish() {
    if (!gone_.empty()) {
      users_.erase(std::remove_if(users_.begin(), users_.end(),
                                  [&](const User& u) { return gone_.count(u.id) > 0; }),
                   users_.end());
    }
    if (reorder_) {
      std::stable_sort(users_.begin(), users_.end(),
                       [](const User& a, const User& b) { return a.username < b.username; });
    }
  }

 private:
  std::vector<User>& users_;
  std::string arena_;
  std::deque<std::string> joined_;
  FlatIndex<std::size_t> index_;
  std::set<std::string> gone_;
  bool reorder_ = false;
};

// Fails unless every account of `answer` has a non-empty id among `asked` and comes once.
Status CheckAnswer(const std::vector<User>& answer, const std::vector<std::string>& asked,
                   const std::string& what) {
  if (answer.empty()) return Status::Ok();
  FlatIndex<char> want;
  want.Reserve(asked.size());
  for (const std::string& id : asked) want.Emplace(id, 0);
  FlatIndex<char> seen;
  seen.Reserve(answer.size());
  for (const User& u : answer) {
    if (u.id.empty() || want.Find(u.id) == nullptr || !seen.Emplace(u.id, 0).second) {
      return Status::Invalid(what + " answered an account it was not asked for, or one twice (" +
                             EscapeControl(u.id) + "): the answer cannot be trusted");
    }
  }
  return Status::Ok();
}

using BatchRead = std::function<Result<std::vector<User>>(const std::vector<std::string>&)>;

// Reads `ids` in batches of kDeltaIdsBatch; calls `got` with each batch and its answer.
Status ReadInBatches(const std::vector<std::string>& ids, const std::string& what,
                     const BatchRead& read, DeltaRead* stats,
                     const std::function<void(const std::vector<std::string>&,
                                              std::vector<User>&)>& got) {
  for (std::size_t at = 0; at < ids.size(); at += kDeltaIdsBatch) {
    std::vector<std::string> batch(ids.begin() + at,
                                   ids.begin() + std::min(ids.size(), at + kDeltaIdsBatch));
    Result<std::vector<User>> answer = read(batch);
    ++stats->requests;
    if (!answer.ok()) return answer.status().Annotate(what);
    if (Status s = CheckAnswer(*answer, batch, what); !s.ok()) return s;
    got(batch, *answer);
  }
  return Status::Ok();
}

// Step 3 of RefreshView: the rows' usernames, then their emails.
Status LookUp(UsersApi& api, const RowLookups& lookups, View* view, DeltaRead* stats) {
  for (std::size_t at = 0; at < lookups.usernames.size(); at += kCreateUsernameBatch) {
    std::vector<std::string> batch(
        lookups.usernames.begin() + at,
        lookups.usernames.begin() + std::min(lookups.usernames.size(), at + kCreateUsernameBatch));
    Result<std::vector<User>> found = api.GetUsersByUsernames(batch);
    ++stats->requests;
    if (!found.ok()) return found.status().Annotate("looking up the roster's new usernames");
    std::unordered_set<std::string> asked(batch.begin(), batch.end());
    for (User& u : *found) {
      if (u.id.empty() || asked.count(Lower(u.username)) == 0) {
        return Status::Invalid("POST /users/usernames answered an account it was not asked for");
      }
      ++stats->looked_up;
      view->Put(std::move(u));
    }
  }
  for (const std::string& email : lookups.emails) {
    Result<User> found = api.GetUserByEmail(email);
    ++stats->requests;
    if (!found.ok() && found.status().IsNotFound()) continue;
    if (!found.ok()) return found.status().Annotate("looking up a roster row's email");
    if (found->id.empty() || Lower(found->email) != email) {
      return Status::Invalid("GET /users/email answered another account than the one asked for");
    }
    ++stats->looked_up;
    view->Put(std::move(found).value());
  }
  return Status::Ok();
}

}  // namespace

RowLookups LookupsFor(const Roster& roster, const std::vector<User>& view) {
  // The server stores usernames and emails lower-cased: view them in place (a copy only for
  // the odd one that is not), so 100k accounts cost no allocation each.
  std::deque<std::string> lowered;
  auto folded = [&](const std::string& s) -> std::string_view {
    if (IsLower(s)) return s;
    lowered.push_back(Lower(s));
    return lowered.back();
  };
  FlatIndex<char> usernames, emails;
  usernames.Reserve(view.size());
  emails.Reserve(view.size());
  for (const User& u : view) {
    usernames.Emplace(folded(u.username), 0);
    emails.Emplace(folded(u.email), 0);
  }
  RowLookups out;
  std::set<std::string> asked_usernames, asked_emails;
  for (const RosterEntry& row : roster.entries) {
    std::string_view username = folded(row.username), email = folded(row.email);
    if (!username.empty() && usernames.Find(username) == nullptr &&
        asked_usernames.emplace(username).second) {
      out.usernames.emplace_back(username);
    }
    if (!email.empty() && emails.Find(email) == nullptr && asked_emails.emplace(email).second) {
      out.emails.emplace_back(email);
    }
  }
  return out;
}

Result<DeltaRead> RefreshView(UsersApi& api, const UsersSnapshot& snapshot, const Ledger& ledger,
                              const RowLookups& lookups, std::vector<User>* users) {
  View view(users);
  DeltaRead stats;
  std::set<std::string> reread = snapshot.touched;  // ordered: batches are reproducible
  for (const auto& [key, entry] : ledger) {
    if (!entry.user_id.empty() && !view.Has(entry.user_id)) reread.insert(entry.user_id);
  }
  reread.erase("");
  std::vector<std::string> full_ids(reread.begin(), reread.end());
  std::vector<std::string> checked;
  checked.reserve(users->size());
  for (const User& u : *users) {
    if (reread.empty() || reread.count(u.id) == 0) checked.push_back(u.id);
  }
  stats.reread = full_ids.size();
  stats.checked = checked.size();
  Status s = ReadInBatches(
      full_ids, "re-reading the accounts acted on (POST /users/ids)",
      [&](const std::vector<std::string>& ids) { return api.GetUsersByIds(ids); }, &stats,
      [&](const std::vector<std::string>& batch, std::vector<User>& answer) {
        std::unordered_set<std::string> back;
        for (User& u : answer) {
          back.insert(u.id);
          view.Put(std::move(u));
        }
        for (const std::string& id : batch) {
          if (back.count(id) == 0 && view.Has(id)) ++stats.gone, view.Drop(id);
        }
      });
  if (!s.ok()) return s;
  const int64_t since = snapshot.watermark_ms;
  s = ReadInBatches(
      checked, "reading the accounts changed since the last cycle (POST /users/ids?since=)",
      [&](const std::vector<std::string>& ids) { return api.GetUsersChangedSince(ids, since); },
      &stats, [&](const std::vector<std::string>&, std::vector<User>& answer) {
        stats.changed += answer.size();
        for (User& u : answer) view.Put(std::move(u));
      });
  if (!s.ok()) return s;
  if (s = LookUp(api, lookups, &view, &stats); !s.ok()) return s;
  view.Finish();
  return stats;
}

}  // namespace rostersync::cycle
