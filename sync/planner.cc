// Planner entry points: MakePlan runs a PlanBuilder over everyone; MakePlanForKey keeps one
// person's actions, notices and ledger change, with the guards evaluated on what is kept.
// Also the ledger delta (Plan::ledger_after / ledger_removed) that the pass builds.
#include "sync/planner.h"

#include <algorithm>

#include "sync/clock.h"
#include "sync/planner_internal.h"

namespace rostersync {
namespace planner_internal {

namespace {

// Equal but for the key (an input entry's own key may be unset; the map key is the truth).
bool SameEntry(const LedgerEntry& a, const LedgerEntry& b) {
  return a.user_id == b.user_id && a.absent_since_ms == b.absent_since_ms &&
         a.absent_cycles == b.absent_cycles && a.set_values == b.set_values &&
         a.reported == b.reported;
}

}  // namespace

void PlanBuilder::RecordLedger(const std::string& key, const LedgerEntry* old,
                               const EntryDraft& draft) {
  if (!draft.exists()) {
    if (old != nullptr) ledger_removed_.push_back(key);
    return;
  }
  if (!draft.edited() || (old != nullptr && SameEntry(*old, draft.get()))) return;
  LedgerEntry& added = ledger_after_.emplace_hint(ledger_after_.end(), key, draft.get())->second;
  added.key = key;
}

void PlanBuilder::AddGuestsHold() {
  std::vector<std::string> keys;
  std::string why;
  const std::string prefix = std::string(kGuardGuests) + ": ";
  for (const Action& a : actions_) {
    if (!a.held || a.held_reason.compare(0, prefix.size(), prefix) != 0) continue;
    keys.push_back(a.key);
    why = a.held_reason.substr(prefix.size());
  }
  if (keys.empty()) return;
  std::sort(keys.begin(), keys.end());
  std::string message = keys.size() == 1 ? keys[0] + " " + why
                                         : std::to_string(keys.size()) + " people (" + keys[0] +
                                               ", ...): " + why;
  holds_.push_back(rostersync::Hold{kGuardGuests, static_cast<int>(keys.size()), message});
}

void PlanBuilder::PlanPeople() {
  // One ordered pass over rows and absent ledger entries (both sorted by key): the ledger
  // delta is appended in key order, and only an entry that changed is copied (EntryDraft).
  auto absent = absent_.begin();
  for (size_t i = 0; i <= rows_.size(); ++i) {
    while (absent != absent_.end() && (i == rows_.size() || (*absent)->first < rows_[i]->key)) {
      const auto& [key, old] = **absent;
      draft_.Start(&old);
      PlanAbsent(key, old, &draft_);
      RecordLedger(key, &old, draft_);
      ++absent;
    }
    if (i == rows_.size()) break;
    const LedgerEntry* known = identities_[i].known;
    draft_.Start(known);
    PlanRow(*rows_[i], identities_[i], &draft_);
    ForgetFailedDeactivation(*rows_[i], &draft_);
    RecordLedger(rows_[i]->key, known, draft_);
  }
}

void PlanBuilder::KeepOnlyKey(const std::string& key) {
  actions_.erase(std::remove_if(actions_.begin(), actions_.end(),
                                [&](const Action& a) { return a.key != key; }),
                 actions_.end());
  notices_.erase(std::remove_if(notices_.begin(), notices_.end(),
                                [&](const KeyedNotice& n) { return n.key != key; }),
                 notices_.end());
  if (!InRoster(key) && ledger_.count(key) == 0) {
    Notice(key, key + " is neither in the roster nor in the ledger; nothing to do");
  }
  for (auto it = ledger_after_.begin(); it != ledger_after_.end();) {
    it = it->first == key ? std::next(it) : ledger_after_.erase(it);
  }
  ledger_removed_.erase(std::remove_if(ledger_removed_.begin(), ledger_removed_.end(),
                                       [&](const std::string& k) { return k != key; }),
                        ledger_removed_.end());
}

Plan PlanBuilder::Build(const std::string* only_key) {
  today_ = UtcDate(in_.now_ms);
  only_key_ = only_key;
  IndexUsers();
  ResolveIdentities();
  DetectRenames();
  PlanPeople();
  if (only_key != nullptr) KeepOnlyKey(*only_key);
  ApplyGuards();
  AddGuestsHold();
  ProviderOwnedNotices();

  std::stable_sort(actions_.begin(), actions_.end(), [](const Action& a, const Action& b) {
    if (a.key != b.key) return a.key < b.key;
    return static_cast<int>(a.type) < static_cast<int>(b.type);
  });
  std::stable_sort(notices_.begin(), notices_.end(),
                   [](const KeyedNotice& a, const KeyedNotice& b) { return a.key < b.key; });

  Plan plan;
  plan.actions = std::move(actions_);
  plan.holds = std::move(holds_);
  plan.notices.reserve(notices_.size());
  for (KeyedNotice& notice : notices_) plan.notices.push_back(std::move(notice.text));
  plan.ledger_after = std::move(ledger_after_);
  plan.ledger_removed = std::move(ledger_removed_);
  plan.managed_users = managed_;
  plan.roster_rows = static_cast<int>(roster_.row_count > 0
                                          ? roster_.row_count
                                          : static_cast<int64_t>(roster_.entries.size()));
  plan.rejected_rows = static_cast<int>(roster_.rejected.size());
  FinishPlan(&plan);
  return plan;
}

}  // namespace planner_internal

Plan MakePlan(const PlannerInput& input, const PlannerOptions& options) {
  return planner_internal::PlanBuilder(input, options).Build(nullptr);
}

Plan MakePlanForKey(const PlannerInput& input, const PlannerOptions& options,
                    const std::string& key) {
  return planner_internal::PlanBuilder(input, options).Build(&key);
}

}  // namespace rostersync
