// Planner, part 4: the safety guards. Suspected renames (a key leaves while a look-alike key
// appears), an untrusted roster (only creates go ahead), and max_deactivations hold actions
// back; --force releases them, except ambiguous matches (held in planner_person.cc) and people
// named in rejected rows (planner_protect.cc), which need a human.
#include <cmath>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

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
  AddConflictHold();            // never released: the server refuses a duplicate
  GuardOutcome mass = HoldMassIdentityChange();  // before the deactivations are counted
  int deactivations = 0;
  GuardOutcome rename = HoldRenames(&deactivations);
  GuardOutcome untrusted = HoldUntrusted();
  GuardOutcome max = HoldMaxDeactivations(deactivations);

  int ambiguous = 0;
  for (const Action& action : actions_) ambiguous += HeldBy(action, kGuardAmbiguous) ? 1 : 0;
  if (ambiguous > 0) {
    holds_.push_back(rostersync::Hold{
        kGuardAmbiguous, ambiguous,
        std::to_string(ambiguous) + " action" + (ambiguous == 1 ? "" : "s") +
            " for roster rows that match existing accounts ambiguously (see notices); "
            "resolve by hand, --force does not release these"});
  }
  for (GuardOutcome* g : {&mass, &rename, &untrusted, &max}) {
    if (!g->applies) continue;
    if (opt_.force) {
      Notice("", "--force: " + g->forced);
    } else {
      holds_.push_back(rostersync::Hold{g->guard, g->count, g->message});
    }
  }
  FailedDeactivationAttention();
}

// A known key leaving while a look-alike key appears: both held (see DetectRenames).
PlanBuilder::GuardOutcome PlanBuilder::HoldRenames(int* deactivations) {
  std::unordered_set<std::string> rename_new;  // new keys
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (identities_[i].suspected_rename) rename_new.insert(rows_[i]->key);
  }
  std::string pairs;
  for (size_t i = 0; i < rename_pairs_.size() && i < 5; ++i) {
    pairs += (i ? ", " : "") + rename_pairs_[i];
  }
  if (rename_pairs_.size() > 5) pairs += ", ...";
  GuardOutcome out;
  out.guard = kGuardRename;
  for (Action& action : actions_) {
    bool is_deactivate = action.type == ActionType::kDeactivate;
    // One held by an earlier guard (a rejected row, a hand deactivation) is not counted.
    if (is_deactivate && !action.held) ++*deactivations;
    bool renamed = (is_deactivate && rename_leavers_.count(action.key) > 0) ||
                   (action.user_id.empty() && rename_new.count(action.key) > 0);
    if (!renamed) continue;
    ++out.count;
    if (!opt_.force) Hold(&action, kGuardRename, "suspected rename " + pairs);
  }
  out.applies = out.count > 0;
  out.message = "suspected rename " + pairs +
                ": create and deactivate held; re-key the ledger if it is one person, or use "
                "--force if they are two";
  out.forced = "suspected rename not held: " + pairs;
  return out;
}

// Only creates (and the create's own follow-ups, which have no account id yet) go ahead: an
// untrusted roster changes no existing identity (a mis-decoded name, a shifted column). It
// always shows as a hold (and exit 4), even with nothing to hold: "No changes." would hide
// the bad input.
PlanBuilder::GuardOutcome PlanBuilder::HoldUntrusted() {
  GuardOutcome out;
  out.guard = kGuardUntrusted;
  out.applies = !roster_.trusted;
  if (!out.applies) return out;
  std::string why;
  for (const std::string& reason : roster_.untrusted_reasons) {
    why += (why.empty() ? "" : "; ") + reason;
  }
  if (why.empty()) why = "the roster failed its integrity checks";
  for (Action& action : actions_) {
    if (action.user_id.empty() || action.held) continue;
    ++out.count;
    if (!opt_.force) Hold(&action, kGuardUntrusted, why);
  }
  out.forced = "changes to existing accounts from an untrusted roster not held: " + why;
  out.message = out.count > 0
                    ? std::to_string(out.count) + " change" + (out.count == 1 ? "" : "s") +
                          " to existing accounts held: roster not trusted (" + why +
                          "); only creates go ahead"
                    : "roster not trusted (" + why +
                          "): no change to an existing account is planned until the roster "
                          "is fixed";
  return out;
}

PlanBuilder::GuardOutcome PlanBuilder::HoldMaxDeactivations(int deactivations) {
  const Threshold& limit = opt_.policy.max_deactivations;
  double allowed = limit.percent ? managed_ * limit.value / 100.0 : limit.value;
  GuardOutcome out;
  out.guard = kGuardMaxDeactivations;
  out.applies = deactivations > 0 && deactivations > allowed;
  out.count = deactivations;
  long pct = managed_ > 0 ? std::lround(deactivations * 100.0 / managed_) : 100;
  out.message = std::to_string(deactivations) + " deactivation" +
                (deactivations == 1 ? "" : "s") + " (" + std::to_string(pct) +
                "% of managed users) " + (deactivations == 1 ? "exceeds" : "exceed") +
                " policy.max_deactivations=" + FormatNumber(limit.value) +
                (limit.percent ? "%" : "");
  out.forced = out.message;
  if (out.applies && !opt_.force) {
    for (Action& action : actions_) {
      if (action.type == ActionType::kDeactivate) {
        Hold(&action, kGuardMaxDeactivations, out.message);
      }
    }
  }
  return out;
}

}  // namespace planner_internal
}  // namespace rostersync
