// Planner, part 5: guards that protect one person's identity. A person named in a rejected
// roster row (by key, email or username) is not deactivated, renamed or re-authenticated
// this cycle; an account deactivated outside rostersync is not reactivated silently.
#include <algorithm>

#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

namespace {

// Deactivation, a username or email change, an auth change, a create (a re-key: a new key
// for a person a rejected row names): what a wrong row can do to a person that the next
// cycle cannot undo without side effects.
bool ChangesIdentity(const Action& action) {
  switch (action.type) {
    case ActionType::kDeactivate:
    case ActionType::kAuth:
    case ActionType::kCreate:
      return true;
    case ActionType::kUpdate:
      return action.patch.username.has_value() || action.patch.email.has_value();
    default:
      return false;
  }
}

// Bounded: a reason may be long (a duplicate group), a plan line should not be.
std::string Shorten(const std::string& text) {
  constexpr size_t kMax = 160;
  return text.size() <= kMax ? text : text.substr(0, kMax) + "...";
}

bool ContainsIgnoreCase(const std::string& haystack, const std::string& needle) {
  return !needle.empty() && Lower(haystack).find(needle) != std::string::npos;
}

}  // namespace

std::string PlanBuilder::RejectedRowNaming(const Action& action) const {
  const Roster& r = roster_;
  std::vector<std::string> emails, usernames;  // lower-cased
  const User* user = FindUser(action.user_id);
  if (user != nullptr) {
    emails.push_back(Lower(user->email));
    usernames.push_back(Lower(user->username));
  }
  if (action.patch.email) emails.push_back(Lower(*action.patch.email));
  if (action.patch.username) usernames.push_back(Lower(*action.patch.username));
  if (action.type == ActionType::kCreate) {
    emails.push_back(Lower(action.new_user.email));
    usernames.push_back(Lower(action.new_user.username));
  }
  std::string value;  // the email or username named, when the key is not
  const bool by_key = r.rejected_keys.count(action.key) > 0;
  for (const std::string& e : emails) {
    if (value.empty() && !e.empty() && r.rejected_emails.count(e) > 0) value = e;
  }
  for (const std::string& u : usernames) {
    if (value.empty() && !u.empty() && r.rejected_usernames.count(u) > 0) value = u;
  }
  if (!by_key && value.empty()) return "";
  // The row that names them: by key, else by Roster::rejected_where, else the first whose
  // reason mentions the value.
  const RowError* row = nullptr;
  auto where_it = by_key ? r.rejected_where.end() : r.rejected_where.find(value);
  for (const RowError& error : r.rejected) {
    if (where_it != r.rejected_where.end()) {
      if (error.where != where_it->second) continue;
      row = &error;
      break;
    }
    if (by_key ? error.key == action.key : ContainsIgnoreCase(error.reason, value)) {
      row = &error;
      break;
    }
  }
  std::string who = by_key ? "key " + action.key : value;
  std::string where;
  if (row != nullptr) {
    where = "rejected row " + row->where + " (" + Shorten(row->reason) + ")";
  } else if (where_it != r.rejected_where.end()) {
    where = "rejected row " + where_it->second;
  } else {
    where = "a rejected row" + (r.origin.empty() ? "" : " of " + r.origin);
  }
  return who + " is named in " + where + "; fix the row first";
}

void PlanBuilder::ProtectRejected() {
  const Roster& r = roster_;
  if (r.rejected_keys.empty() && r.rejected_emails.empty() && r.rejected_usernames.empty()) {
    return;
  }
  int count = 0;
  std::string first;
  for (Action& action : actions_) {
    if (action.held || !ChangesIdentity(action)) continue;
    std::string why = RejectedRowNaming(action);
    if (why.empty()) continue;
    Hold(&action, kGuardRejectedRow, why);
    if (first.empty()) first = action.key + ": " + why;
    ++count;
    if (action.type != ActionType::kCreate) continue;
    for (Action& follow_up : actions_) {  // the create's own follow-ups wait with it
      if (follow_up.key == action.key && follow_up.user_id.empty()) {
        Hold(&follow_up, kGuardRejectedRow, why);
      }
    }
  }
  if (count == 0) return;
  holds_.push_back(rostersync::Hold{
      kGuardRejectedRow, count,
      std::to_string(count) + " deactivation" + (count == 1 ? "" : "s") +
          ", rename, re-key or auth change" + (count == 1 ? "" : "s") +
          " held: the person is named in a rejected roster row (e.g. " + first +
          "); --force does not release these"});
}

void PlanBuilder::HoldOutsideDeactivations() {
  int count = 0;
  for (Action& action : actions_) {
    if (action.type != ActionType::kReactivate || action.held) continue;
    auto it = ledger_.find(action.key);
    if (it == ledger_.end()) continue;
    auto active = it->second.set_values.find("active");
    // A managed account (in the ledger) that rostersync did not deactivate itself: someone
    // else did, whether rostersync created it (active "true") or adopted it (no record).
    // A returner (rostersync's own deactivation, active "false") is reactivated normally.
    if (active != it->second.set_values.end() && active->second == "false") continue;
    ++count;
    attention_.push_back(Attention{
        action.key, action.username,
        action.key + " " + action.username +
            " was deactivated outside rostersync; reactivate with sync --force"});
    if (!opt_.force) {
      // The person's other changes wait with the reactivation: patching a suspended account
      // someone deactivated on purpose (incident response) is not ours to do either.
      for (Action& other : actions_) {
        if (other.key == action.key) {
          Hold(&other, kGuardOutside, "deactivated outside rostersync (sync --force reactivates)");
        }
      }
    }
  }
  if (opt_.force && count > 0) {
    attention_.erase(std::remove_if(attention_.begin(), attention_.end(),
                                    [](const Attention& a) {
                                      return a.message.find("deactivated outside") !=
                                             std::string::npos;
                                    }),
                     attention_.end());
    Notice("", "--force: " + std::to_string(count) +
                   " account(s) deactivated outside rostersync are reactivated");
  }
}

}  // namespace planner_internal
}  // namespace rostersync
