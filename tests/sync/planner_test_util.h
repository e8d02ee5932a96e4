// Test helpers for the planner: value builders and a tiny server simulation that applies a
// plan to a vector<User> the way Mattermost would. Header-only; not thread-safe.
#ifndef ROSTERSYNC_TESTS_SYNC_PLANNER_TEST_UTIL_H_
#define ROSTERSYNC_TESTS_SYNC_PLANNER_TEST_UTIL_H_

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/planner.h"

namespace rostersync {
namespace testing_util {

inline constexpr int64_t kNow = 1795953600000;  // 2026-11-29T12:00:00Z
inline constexpr int64_t kDay = 86'400'000;

inline std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline User MakeUser(const std::string& id, const std::string& username,
                     const std::string& first = "", const std::string& last = "") {
  User u;
  u.id = id;
  u.username = username;
  u.email = username + "@example.com";
  u.first_name = first;
  u.last_name = last;
  u.roles = "system_user";
  return u;
}

inline RosterEntry MakeRow(const std::string& key, const std::string& username,
                           const std::string& first = "", const std::string& last = "") {
  RosterEntry r;
  r.key = key;
  r.username = username;
  r.email = username + "@example.com";
  r.first_name = first;
  r.last_name = last;
  r.where = "roster.csv:" + key;
  return r;
}

// A ledger entry as a previous successful cycle would have left it.
inline LedgerEntry Known(const std::string& key, const User& u) {
  LedgerEntry e;
  e.key = key;
  e.user_id = u.id;
  e.set_values["email_verified"] = "true";
  e.set_values["active"] = "true";
  return e;
}

struct World {
  Roster roster;
  std::vector<User> users;
  Ledger ledger;
  PlannerOptions options;
  std::string self_id = "self";
  int64_t now = kNow;
  std::optional<ServerCapabilities> capabilities;  // unset: the planner is not told

  PlannerInput Input() const {
    PlannerInput in;
    in.roster = &roster;
    in.users = &users;
    in.ledger = &ledger;
    in.self_user_id = self_id;
    in.now_ms = now;
    in.capabilities = capabilities ? &*capabilities : nullptr;
    return in;
  }
  Plan Run() const { return MakePlan(Input(), options); }
  void Link(const std::string& key, const User& u) { ledger[key] = Known(key, u); }
};

// The ledger as the plan leaves it (the input ledger with the plan's delta merged).
inline Ledger LedgerAfter(const Ledger& before, const Plan& plan) {
  Ledger ledger = before;
  MergeLedgerChanges(plan, &ledger);
  return ledger;
}

// Applies the plan's non-held actions to `users` as the server would, and returns the ledger
// the executor would persist (LedgerAfter + RecordAppliedAction).
inline Ledger ApplyPlan(const Ledger& before, const Plan& plan, std::vector<User>* users,
                        int64_t now, int* next_id) {
  Ledger ledger = LedgerAfter(before, plan);
  std::map<std::string, std::string> created;  // key -> id
  auto find = [&](const std::string& id) -> User* {
    for (User& u : *users) {
      if (u.id == id) return &u;
    }
    return nullptr;
  };
  for (const Action& a : plan.actions) {
    if (a.held) continue;
    std::string id = a.user_id.empty() ? created[a.key] : a.user_id;
    if (a.type == ActionType::kCreate) {
      User u;
      u.id = "new" + std::to_string((*next_id)++);
      u.username = Lower(a.new_user.username);
      u.email = Lower(a.new_user.email);
      u.first_name = a.new_user.first_name;
      u.last_name = a.new_user.last_name;
      u.nickname = a.new_user.nickname;
      u.position = a.new_user.position;
      u.locale = a.new_user.locale;
      u.auth_service = a.new_user.auth_service;
      u.roles = "system_user";
      users->push_back(u);
      id = created[a.key] = u.id;
    }
    User* u = find(id);
    if (u == nullptr) continue;
    switch (a.type) {
      case ActionType::kUpdate:
        if (a.patch.username) u->username = Lower(*a.patch.username);
        if (a.patch.email) u->email = Lower(*a.patch.email);
        if (a.patch.first_name) u->first_name = *a.patch.first_name;
        if (a.patch.last_name) u->last_name = *a.patch.last_name;
        if (a.patch.nickname) u->nickname = *a.patch.nickname;
        if (a.patch.position) u->position = *a.patch.position;
        if (a.patch.locale) u->locale = *a.patch.locale;
        break;
      case ActionType::kDeactivate: u->delete_at = now; break;
      case ActionType::kReactivate: u->delete_at = 0; break;
      case ActionType::kRole:
      case ActionType::kGuest:
      case ActionType::kPromote: u->roles = a.roles; break;
      case ActionType::kAuth: u->auth_service = a.auth_service; break;
      default: break;
    }
    RecordAppliedAction(a, id, &ledger[a.key]);
  }
  return ledger;
}

inline std::vector<ActionType> Types(const Plan& plan) {
  std::vector<ActionType> out;
  for (const Action& a : plan.actions) out.push_back(a.type);
  return out;
}

inline bool HasNotice(const Plan& plan, const std::string& part) {
  return std::any_of(plan.notices.begin(), plan.notices.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

}  // namespace testing_util
}  // namespace rostersync

#endif  // ROSTERSYNC_TESTS_SYNC_PLANNER_TEST_UTIL_H_
