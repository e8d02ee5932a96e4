// Planner, part 4: the safety guards. Suspected renames (a key leaves while a look-alike key
// appears), an untrusted roster (only creates go ahead), and max_deactivations hold actions
// back; --force releases them, except ambiguous matches (held in planner_person.cc) and people
// named in rejected rows (planner_protect.cc), which need a human.
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

namespace {

std::string FormatNumber(double value) {
  char buf[32];
  if (value == std::floor(value)) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
  } else {
    std::snprintf(buf, sizeof buf, "%g", value);
  }
  return buf;
}

bool HeldBy(const Action& action, const char* guard) {
  const std::string& r = action.held_reason;
  size_t n = std::char_traits<char>::length(guard);
  return action.held && r.compare(0, n, guard) == 0 && r.size() > n && r[n] == ':';
}

}  // namespace

void PlanBuilder::Hold(Action* action, const char* guard, const std::string& why) {
  if (action->held) return;  // the first guard names the reason
  action->held = true;
  action->held_reason = std::string(guard) + ": " + why;
}

// A known key leaving while a new key appears with the same email or full name is most likely
// one person re-keyed by HR: creating + deactivating would cost them their account history.
void PlanBuilder::DetectRenames() {
  std::unordered_map<std::string, std::string> leaver_by_email;  // lowercased -> key
  std::unordered_map<std::string, std::string> leaver_by_name;
  for (const Ledger::value_type* absent : absent_) {
    const std::string& key = absent->first;
    const LedgerEntry* entry = &absent->second;
    if (roster_.rejected_keys.count(key) > 0) continue;
    const User* user = FindUser(entry->user_id);
    if (user == nullptr || !user->active() || !OutOfScopeReason(*user).empty()) continue;
    if (!user->email.empty()) leaver_by_email.emplace(Lower(user->email), key);
    std::string name = FullName(user->first_name, user->last_name);
    if (!name.empty()) leaver_by_name.emplace(name, key);
  }
  for (size_t i = 0; i < rows_.size(); ++i) {
    Identity& id = identities_[i];
    const RosterEntry& row = *rows_[i];
    if (id.kind != Identity::Kind::kCreate) continue;
    std::string how = "same account";
    if (!id.suspected_rename && !leaver_by_email.empty() && !row.email.empty()) {
      auto it = leaver_by_email.find(Lower(row.email));
      if (it != leaver_by_email.end()) {
        id.suspected_rename = true;
        id.rename_partner = it->second;
        how = "same email";
      }
    }
    if (!id.suspected_rename && !leaver_by_name.empty()) {
      std::string name = FullName(row.first_name, row.last_name);
      auto it = name.empty() ? leaver_by_name.end() : leaver_by_name.find(name);
      if (it != leaver_by_name.end()) {
        id.suspected_rename = true;
        id.rename_partner = it->second;
        how = "same full name";
      }
    }
    if (!id.suspected_rename) continue;
    rename_leavers_.insert(id.rename_partner);
    rename_pairs_.push_back(id.rename_partner + " -> " + row.key + " (" + how + ")");
  }
}

void PlanBuilder::ApplyGuards() {
  if (only_key_ == nullptr) FindUnmatched();
  FindLeaverAttention();
  ProtectRejected();            // never released: named in a rejected row
  HoldOutsideDeactivations();   // released by --force
  const bool force = opt_.force;
  std::unordered_map<std::string, const std::string*> rename_new;  // new key -> pair text
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (identities_[i].suspected_rename) rename_new.emplace(rows_[i]->key, nullptr);
  }
  std::string pairs;
  for (size_t i = 0; i < rename_pairs_.size() && i < 5; ++i) {
    pairs += (i ? ", " : "") + rename_pairs_[i];
  }
  if (rename_pairs_.size() > 5) pairs += ", ...";

  int rename_count = 0;
  int deactivations = 0;
  for (Action& action : actions_) {
    bool is_deactivate = action.type == ActionType::kDeactivate;
    // One held by an earlier guard (a rejected row, a hand deactivation) is not counted.
    if (is_deactivate && !action.held) ++deactivations;
    bool renamed = (is_deactivate && rename_leavers_.count(action.key) > 0) ||
                   (action.type == ActionType::kCreate && rename_new.count(action.key) > 0) ||
                   (action.user_id.empty() && rename_new.count(action.key) > 0);
    if (!renamed) continue;
    ++rename_count;
    if (!force) Hold(&action, kGuardRename, "suspected rename " + pairs);
  }
  int untrusted_count = 0;
  std::string untrusted_why;
  for (const std::string& reason : roster_.untrusted_reasons) {
    untrusted_why += (untrusted_why.empty() ? "" : "; ") + reason;
  }
  if (untrusted_why.empty()) untrusted_why = "the roster failed its integrity checks";
  if (!roster_.trusted) {
    // Only creates (and the create's own follow-ups, which have no account id yet) go ahead:
    // an untrusted roster changes no existing identity (a mis-decoded name, a shifted column).
    for (Action& action : actions_) {
      if (action.user_id.empty() || action.held) continue;
      ++untrusted_count;
      if (!force) Hold(&action, kGuardUntrusted, untrusted_why);
    }
  }
  const Threshold& limit = opt_.policy.max_deactivations;
  double allowed = limit.percent ? managed_ * limit.value / 100.0 : limit.value;
  bool exceeded = deactivations > 0 && deactivations > allowed;
  long pct = managed_ > 0 ? std::lround(deactivations * 100.0 / managed_) : 100;
  std::string max_message = std::to_string(deactivations) + " deactivation" +
                            (deactivations == 1 ? "" : "s") + " (" + std::to_string(pct) +
                            "% of managed users) " + (deactivations == 1 ? "exceeds" : "exceed") +
                            " policy.max_deactivations=" +
                            FormatNumber(limit.value) + (limit.percent ? "%" : "");
  if (exceeded && !force) {
    for (Action& action : actions_) {
      if (action.type == ActionType::kDeactivate) Hold(&action, kGuardMaxDeactivations, max_message);
    }
  }

  int ambiguous = 0;
  for (const Action& action : actions_) ambiguous += HeldBy(action, kGuardAmbiguous) ? 1 : 0;
  if (ambiguous > 0) {
    holds_.push_back(rostersync::Hold{
        kGuardAmbiguous, ambiguous,
        std::to_string(ambiguous) + " action" + (ambiguous == 1 ? "" : "s") +
            " for roster rows that match existing accounts ambiguously (see notices); "
            "resolve by hand, --force does not release these"});
  }
  if (rename_count > 0) {
    if (force) {
      Notice("", "--force: suspected rename not held: " + pairs);
    } else {
      holds_.push_back(rostersync::Hold{
          kGuardRename, rename_count,
          "suspected rename " + pairs + ": create and deactivate held; re-key the ledger if it "
          "is one person, or use --force if they are two"});
    }
  }
  // An untrusted roster always shows as a hold (and exit 4), even when it planned no
  // deactivation: rejected people are protected, so "No changes." would hide the bad input.
  if (!roster_.trusted) {
    if (force) {
      Notice("", "--force: changes to existing accounts from an untrusted roster not held: " +
                     untrusted_why);
    } else if (untrusted_count > 0) {
      holds_.push_back(rostersync::Hold{
          kGuardUntrusted, untrusted_count,
          std::to_string(untrusted_count) + " change" + (untrusted_count == 1 ? "" : "s") +
              " to existing accounts held: roster not trusted (" + untrusted_why +
              "); only creates go ahead"});
    } else {
      holds_.push_back(rostersync::Hold{
          kGuardUntrusted, 0,
          "roster not trusted (" + untrusted_why +
              "): no change to an existing account is planned until the roster is fixed"});
    }
  }
  if (exceeded) {
    if (force) {
      Notice("", "--force: " + max_message);
    } else {
      holds_.push_back(rostersync::Hold{kGuardMaxDeactivations, deactivations, max_message});
    }
  }
}

}  // namespace planner_internal
}  // namespace rostersync
