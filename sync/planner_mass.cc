// Planner, part 7: guards against a roster whose rows slipped (a fill-down or sort error that
// gives each key its neighbour's values). Too many email/username changes in one cycle hold
// every change of those people and every (re)activation (mass_identity_change, released by
// --force); an
// email or username that another managed account keeps is held for the person who would take
// it (identity_conflict, never released: the server refuses a duplicate).
#include <cmath>
#include <cstdio>

#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

namespace {

std::string FormatLimit(const Threshold& limit) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", limit.value);
  return std::string(buf) + (limit.percent ? "%" : "");
}

}  // namespace

bool PlanBuilder::RowRenames(const RosterEntry& row, const User& user) const {
  return (patchable_[kEmail] && !row.email.empty() && !EqualsIgnoreCase(row.email, user.email)) ||
         (patchable_[kUsername] && !row.username.empty() &&
          !EqualsIgnoreCase(row.username, user.username));
}

void PlanBuilder::IndexManaged() {
  if (managed_built_) return;
  managed_built_ = true;
  for (size_t i = 0; i < identities_.size(); ++i) {  // first: a row wins over the ledger
    const Identity& id = identities_[i];
    if (id.user != nullptr &&
        (id.kind == Identity::Kind::kKnown || id.kind == Identity::Kind::kAdopt)) {
      managed_rows_.Emplace(id.user->id, static_cast<int>(i));
    }
  }
  for (const auto& [key, entry] : ledger_) {
    if (!entry.user_id.empty()) managed_rows_.Emplace(entry.user_id, -1);
  }
}

bool PlanBuilder::KeptByManaged(const User& holder, int field) {
  IndexManaged();
  const int* row_index = managed_rows_.Find(holder.id);
  if (row_index == nullptr) return false;  // not ours: left to the notice
  if (*row_index < 0 || !patchable_[field]) return true;  // absent, or the field is not synced
  const RosterEntry& row = *rows_[*row_index];
  const std::string& wanted = field == kEmail ? row.email : row.username;
  const std::string& current = field == kEmail ? holder.email : holder.username;
  return wanted.empty() || EqualsIgnoreCase(wanted, current);  // it does not move away
}

void PlanBuilder::AddConflictHold() {
  int count = 0;
  std::string first;
  const std::string prefix = std::string(kGuardConflict) + ": ";
  for (const Action& a : actions_) {
    if (a.type != ActionType::kUpdate || !a.held ||
        a.held_reason.compare(0, prefix.size(), prefix) != 0) {
      continue;
    }
    if (first.empty()) first = a.key + ": " + a.held_reason.substr(prefix.size());
    ++count;
  }
  if (count == 0) return;
  holds_.push_back(rostersync::Hold{
      kGuardConflict, count,
      std::to_string(count) + " email/username change" + (count == 1 ? "" : "s") +
          " held: another managed account keeps the value (e.g. " + first +
          "); --force does not release these"});
}

PlanBuilder::GuardOutcome PlanBuilder::HoldMassIdentityChange() {
  const Threshold& limit = opt_.policy.max_deactivations;
  const double allowed = limit.percent ? managed_ * limit.value / 100.0 : limit.value;
  const int changes = static_cast<int>(identity_keys_.size());
  GuardOutcome out;
  out.guard = kGuardMassIdentity;
  // A percentage of a small team would hold a single rename: at least kMinMassChanges.
  out.applies = changes > allowed && (!limit.percent || changes >= kMinMassChanges);
  if (!out.applies) return out;
  long pct = managed_ > 0 ? std::lround(changes * 100.0 / managed_) : 100;
  std::string what = std::to_string(changes) + " email/username changes at once (" +
                     std::to_string(pct) + "% of managed users) exceed policy.max_deactivations=" +
                     FormatLimit(limit);
  out.message = what + ": rows shifted? check the export";
  out.forced = what + " not held";
  // All of those people's changes; and every deactivation or reactivation, since a shifted
  // key column also leaves a key absent (its person would be deactivated).
  for (Action& action : actions_) {
    bool on_off = action.type == ActionType::kDeactivate || action.type == ActionType::kReactivate;
    if (action.held || (!on_off && identity_keys_.count(action.key) == 0)) continue;
    ++out.count;
    if (!opt_.force) Hold(&action, kGuardMassIdentity, what + ": rows shifted?");
  }
  return out;
}

}  // namespace planner_internal
}  // namespace rostersync
